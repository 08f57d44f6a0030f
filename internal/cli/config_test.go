package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// settingsAfter runs a probe command through the real root, so the config
// file, CAPSCORE_* variables and flags are resolved exactly as for any
// command, and returns the settings it saw.
func settingsAfter(t *testing.T, env map[string]string, args ...string) (globals, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{io: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, getenv: func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}}
	root := a.newRoot()
	var seen globals
	root.AddCommand(takesFormats(&cobra.Command{Use: "probe", RunE: func(*cobra.Command, []string) error {
		seen = a.globals
		return nil
	}}, textFormats))
	root.SetArgs(append([]string{"probe"}, args...))
	root.SetOut(&out)
	root.SetErr(&errb)
	code := ExitOK
	if err := root.ExecuteContext(context.Background()); err != nil {
		printError(&errb, err)
		code = ExitInvalid
		if isUsage(err) {
			code = ExitUsage
		}
	}
	return seen, errb.String(), code
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Every setting resolves flag > CAPSCORE_* > config file > default.
func TestSettingsPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "capscore.yaml"),
		"rubric: mine.yaml\nprofile: military\nformat: csv\naggregation: geometric\nmissing: zero\n")
	type setting struct {
		name, config, env, flag, def string
		get                          func(g globals) string
	}
	for _, s := range []setting{
		{"rubric", filepath.Join(dir, "mine.yaml"), "env.yaml", "flag.yaml", "", func(g globals) string { return g.rubric }},
		{"profile", "military", "equal", "defence-first", "", func(g globals) string { return g.profile }},
		{"format", "csv", "markdown", "json", "table", func(g globals) string { return g.format }},
		{"aggregation", "geometric", "arithmetic", "geometric", "", func(g globals) string { return g.aggregation }},
		{"missing", "zero", "exclude", "zero", "", func(g globals) string { return g.missing }},
	} {
		t.Run(s.name, func(t *testing.T) {
			envKey := "CAPSCORE_" + strings.ToUpper(s.name)
			for _, tt := range []struct {
				layers string
				env    map[string]string
				args   []string
				want   string
			}{
				{"default", nil, nil, s.def},
				{"config", nil, []string{"--config", cfg}, s.config},
				{"env over config", map[string]string{envKey: s.env}, []string{"--config", cfg}, s.env},
				{"flag over env", map[string]string{envKey: s.env}, []string{"--config", cfg, "--" + s.name, s.flag}, s.flag},
				{"flag over config", nil, []string{"--config", cfg, "--" + s.name, s.flag}, s.flag},
				{"env alone", map[string]string{envKey: s.env}, nil, s.env},
			} {
				g, stderr, code := settingsAfter(t, tt.env, tt.args...)
				if code != ExitOK {
					t.Fatalf("%s: exit %d: %s", tt.layers, code, stderr)
				}
				if got := s.get(g); got != tt.want {
					t.Errorf("%s: %s = %q, want %q", tt.layers, s.name, got, tt.want)
				}
			}
		})
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "c.yaml"), "format: markdown\n")
	other := writeFile(t, filepath.Join(dir, "d.yaml"), "format: csv\n")
	g, stderr, code := settingsAfter(t, map[string]string{"CAPSCORE_CONFIG": cfg})
	if code != ExitOK || g.format != "markdown" || g.cfgFile != cfg {
		t.Errorf("CAPSCORE_CONFIG: exit %d, format %q, file %q: %s", code, g.format, g.cfgFile, stderr)
	}
	g, _, _ = settingsAfter(t, map[string]string{"CAPSCORE_CONFIG": cfg}, "--config", other)
	if g.format != "csv" {
		t.Errorf("--config does not beat CAPSCORE_CONFIG: format %q", g.format)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name, text, want string
	}{
		{"unknown key", "fromat: csv\n", `c.yaml:1:1: unknown config key "fromat" (did you mean "format"?)`},
		{"unknown key, nothing near", "colour: red\n", `c.yaml:1:1: unknown config key "colour"; the keys are rubric, profile, format, aggregation, missing, weights, profiles`},
		{"output", "output: out.txt\n", "c.yaml:1:1: output is not a config file setting"},
		{"a list for text", "\nformat: [csv]\n", "c.yaml:2:9: format: expected text, got a list"},
		{"root not a mapping", "- format\n", "c.yaml:1:1: config: expected a mapping, got a list"},
		{"duplicate key, said once", "format: csv\nformat: json\n", "c.yaml:2:1: config: duplicate key \"format\" (first at line 1); keep one\ncapscore: 1 error(s)"},
		{"not yaml", "format: [csv\n", "c.yaml:1: YAML syntax"},
		{"uppercase key", "Format: csv\n", `c.yaml:1:1: config key "Format": keys are lowercase without dots (viper would read it as format); write "format"`},
		{"dotted profile", "profiles:\n  hawk.v2: {offence: 2}\n", `c.yaml:2:3: profile name "hawk.v2": use lowercase kebab-case without dots; write "hawk-v2"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFile(t, filepath.Join(dir, tt.name, "c.yaml"), tt.text)
			_, stderr, code := settingsAfter(t, nil, "--config", cfg)
			if code != ExitInvalid || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant %s", code, stderr, tt.want)
			}
		})
	}
}

// A config file that is blank, holds only comments or only a null sets
// nothing and is no error.
func TestConfigWithoutSettings(t *testing.T) {
	dir := t.TempDir()
	for i, text := range []string{"", "\n", "# nothing yet\n", "~\n", "---\n", "format: ~\n"} {
		cfg := writeFile(t, filepath.Join(dir, fmt.Sprint(i), "c.yaml"), text)
		g, stderr, code := settingsAfter(t, nil, "--config", cfg)
		if code != ExitOK || g.format != "table" {
			t.Errorf("%q: exit %d, format %q: %s", text, code, g.format, stderr)
		}
	}
}

// With no --config, ./capscore.yaml is read, and failing that the user
// config directory's capscore/capscore.yaml.
func TestConfigLookup(t *testing.T) {
	work, home := t.TempDir(), t.TempDir()
	t.Chdir(work)
	// The user config directory is found through the injected environment
	// only, so the real one of whoever runs the tests never leaks in.
	env := map[string]string{"XDG_CONFIG_HOME": home, "HOME": home}
	userDir, ok := userConfigDir(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if !ok {
		t.Skip("no user config directory on this system")
	}
	g, _, _ := settingsAfter(t, env)
	if g.cfgFile != "" {
		t.Fatalf("read %s with no config anywhere", g.cfgFile)
	}
	user := writeFile(t, filepath.Join(userDir, "capscore", "capscore.yaml"), "format: csv\nweights:\n  offence: 2\n")
	g, stderr, code := settingsAfter(t, env)
	if code != ExitOK || g.cfgFile != user || g.format != "csv" {
		t.Errorf("user config: exit %d, file %q, format %q: %s", code, g.cfgFile, g.format, stderr)
	}
	if g, _, _ := settingsAfter(t, map[string]string{"HOME": t.TempDir()}); g.cfgFile != "" {
		t.Errorf("another HOME still found %s", g.cfgFile)
	}
	writeFile(t, filepath.Join(work, "capscore.yaml"), "format: markdown\nweights:\n  offence: 3\n")
	g, _, _ = settingsAfter(t, env)
	if g.cfgFile != "capscore.yaml" || g.format != "markdown" {
		t.Errorf("./capscore.yaml: file %q, format %q", g.cfgFile, g.format)
	}
	// The weight it sets says so.
	res := runCLI(t, nil, "weights", "--format", "csv")
	if !strings.Contains(res.stdout, "offence,,3,") || !strings.Contains(res.stdout, ",config,config capscore.yaml:3:3") {
		t.Errorf("weights from ./capscore.yaml:\n%s%s", res.stdout, res.stderr)
	}
}
