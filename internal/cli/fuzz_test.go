package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzConfig runs `capscore weights` with any bytes as the config file and
// any --profile: the config loader and the weight layers it feeds must
// answer with an exit status and a message, never a panic, and print
// nothing on standard output when they fail.
func FuzzConfig(f *testing.F) {
	for _, s := range [][2]string{
		{"weights: {offence: 2, intelligence: 1.5}\n", ""},
		{"profiles:\n  mine: {resilience: 2}\nprofile: mine\n", ""},
		{"profiles:\n  mine: {resilience: 2}\n", "mine"},
		{"format: json\naggregation: geometric\nmissing: zero\n", ""},
		{"weights: {offense: 2}\n", ""},
		{"weights: [1, 2]\n", "defence-first"},
		{"wieghts: {}\n", ""},
		{"a: &a [*a]\n", ""},
		{"rubric: nowhere.yaml\n", ""},
		{"format: [json]\noutput: x\n", ""},
		{"- a\n", ""},
		{"~\n", ""},
		{"weights: {offence: 0, strategy: 0, governance: 0, intelligence: 0, empowerment: 0, resilience: 0, leadership: 0}\n", ""},
		{"", ""},
	} {
		f.Add([]byte(s[0]), s[1])
	}
	dir := f.TempDir()
	cfg := filepath.Join(dir, "capscore.yaml")
	f.Fuzz(func(t *testing.T, data []byte, profile string) {
		if err := os.WriteFile(cfg, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"--config", cfg, "weights", "--format", "json"}
		if profile != "" {
			args = append(args, "--profile", profile)
		}
		res := runCLI(t, nil, args...)
		out := res.stdout + res.stderr
		if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
			t.Fatalf("stack trace:\n%s", out)
		}
		switch res.code {
		case ExitOK:
			if !json.Valid([]byte(res.stdout)) {
				t.Fatalf("exit 0 with invalid JSON:\n%s", res.stdout)
			}
		case ExitInvalid, ExitUsage:
			if res.stdout != "" || res.stderr == "" {
				t.Fatalf("exit %d with stdout %q and stderr %q", res.code, res.stdout, res.stderr)
			}
			// Only the config file can be wrong when no profile is
			// given: every message says where in it.
			if profile == "" && !strings.Contains(res.stderr, cfg+":") {
				t.Fatalf("exit %d, and the message does not place it in the config file:\n%s", res.code, res.stderr)
			}
		default:
			t.Fatalf("exit %d", res.code)
		}
	})
}
