//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputRefusesItsInputs: --output naming a file the command read
// (however named: another spelling, a link, a folder's file, the rubric,
// the config file, new --from even with --force) fails with exit 1, names
// both, and leaves every file as it was, with no temporary file behind.
func TestOutputRefusesItsInputs(t *testing.T) {
	asmt, err := os.ReadFile("../../assessments/japan/2021.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rub, err := os.ReadFile("../../rubrics/iiss-seven-pillars.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := []byte("format: table\n")
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"score", nil, []string{"score", "a.yaml", "-o", "a.yaml"}, "--output a.yaml is an input of this command (a.yaml); choose another file"},
		{"validate", nil, []string{"validate", "a.yaml", "-o", "a.yaml"}, "--output a.yaml is an input of this command (a.yaml)"},
		{"another spelling", nil, []string{"score", "a.yaml", "-o", "./a.yaml"}, "--output ./a.yaml is an input of this command (a.yaml)"},
		{"link", nil, []string{"score", "a.yaml", "-o", "l.yaml"}, "--output l.yaml is an input of this command (a.yaml)"},
		{"folder", nil, []string{"score", "in", "-o", "in/b.yaml"}, "--output in/b.yaml is an input of this command (in/b.yaml)"},
		{"rubric", nil, []string{"score", "a.yaml", "--rubric", "r.yaml", "-o", "r.yaml"}, "--output r.yaml is an input of this command (r.yaml)"},
		{"config", map[string]string{}, []string{"score", "a.yaml", "-o", "capscore.yaml"}, "--output capscore.yaml is an input of this command (capscore.yaml)"},
		{"new --from", nil, []string{"new", "assessment", "--from", "a.yaml", "-o", "a.yaml", "--force"}, "--output a.yaml is an input of this command (a.yaml)"},
		{"variable", map[string]string{"CAPSCORE_NO_CONFIG": "1", "CAPSCORE_OUTPUT": "a.yaml"}, []string{"score", "a.yaml"}, "CAPSCORE_OUTPUT a.yaml is an input of this command (a.yaml)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			files := map[string][]byte{"a.yaml": asmt, "in/b.yaml": asmt, "r.yaml": rub, "capscore.yaml": cfg}
			for name, data := range files {
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Symlink("a.yaml", "l.yaml"); err != nil {
				t.Fatal(err)
			}
			env := tt.env
			if env == nil {
				env = map[string]string{"CAPSCORE_NO_CONFIG": "1"}
			}
			res := runCLI(t, env, tt.args...)
			if res.code != ExitInvalid || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, res.code, res.stderr, ExitInvalid, tt.want)
			}
			for name, data := range files {
				if got, err := os.ReadFile(name); err != nil || string(got) != string(data) {
					t.Errorf("%s changed (%v)", name, err)
				}
			}
			for _, d := range []string{".", "in"} {
				ents, _ := os.ReadDir(d)
				for _, e := range ents {
					if strings.Contains(e.Name(), ".tmp-") {
						t.Errorf("temporary file left: %s", filepath.Join(d, e.Name()))
					}
				}
			}
		})
	}
}

// TestOutputBesideItsInputs: an output that is not an input is written,
// even when a file of that name in another folder was read.
func TestOutputBesideItsInputs(t *testing.T) {
	asmt, err := os.ReadFile("../../assessments/japan/2021.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.Mkdir("in", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("in/a.yaml", asmt, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("a.yaml", []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, map[string]string{"CAPSCORE_NO_CONFIG": "1"}, "score", "in/a.yaml", "-o", "a.yaml")
	got, _ := os.ReadFile("a.yaml")
	if res.code != ExitOK || string(got) == "old\n" || !strings.Contains(string(got), "Japan") {
		t.Errorf("exit %d, stderr %q, a.yaml %q", res.code, res.stderr, got)
	}
}
