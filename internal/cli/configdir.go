package cli

import (
	"os"
	"path/filepath"
	"runtime"
)

// userConfigDir is os.UserConfigDir read through the injected environment,
// so a test (or a user's real ~/.config) never leaks into another run.
func userConfigDir(getenv func(string) (string, bool)) (string, bool) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		dir, err := os.UserConfigDir()
		return dir, err == nil
	}
	if dir, ok := getenv("XDG_CONFIG_HOME"); ok && filepath.IsAbs(dir) {
		return dir, true
	}
	if home, ok := getenv("HOME"); ok && home != "" {
		return filepath.Join(home, ".config"), true
	}
	return "", false
}
