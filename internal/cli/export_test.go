package cli

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/load"
)

// TestBundledOutsideRepo runs what a user of the installed binary runs in
// an empty folder: every bundled file is reached by name, and every place
// printed in a bundled file can be exported and opened by that name.
func TestBundledOutsideRepo(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	env := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": dir}
	ok := func(args ...string) result {
		t.Helper()
		res := runCLI(t, env, args...)
		if res.code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, res.code, res.stderr)
		}
		return res
	}
	res := ok("new", "assessment", "--from", "japan@2021", "--as-of", "2026-01-31", "-o", "my.yaml")
	if !strings.Contains(res.stderr, "wrote my.yaml") {
		t.Errorf("new --from: %s", res.stderr)
	}
	if data, _ := os.ReadFile("my.yaml"); strings.Contains(string(data), "$schema=../../") {
		t.Errorf("the schema link of a bundled file was copied:\n%.300s", data)
	}
	// japan is its bundled revisions and the file named, by as_of.
	res = ok("compare", "japan", "my.yaml", "--format", "json")
	var doc struct{ Columns []struct{ File string } }
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, c := range doc.Columns {
		files = append(files, c.File)
	}
	if strings.Join(files, " ") != "bundled:assessments/japan/2021.yaml bundled:assessments/japan/2025.yaml my.yaml" {
		t.Errorf("compare japan my.yaml: %v", files)
	}
	res = ok("score", "bundled:assessments/japan/2021.yaml")
	if !strings.Contains(res.stdout, "— bundled:assessments/japan/2021.yaml") {
		t.Errorf("score bundled:…:\n%.400s", res.stdout)
	}
	ok("explain", "national-strategy", "japan@2025")
	res = ok("--rubric", "bundled:rubrics/iiss-seven-pillars.yaml", "score", "JPN@2021")
	if !strings.Contains(res.stdout, "(bundled:rubrics/iiss-seven-pillars.yaml)") {
		t.Errorf("--rubric bundled:… is not named:\n%.600s", res.stdout)
	}
	// The older bundled rubric, by its short name, for a file judged
	// against it.
	ok("--rubric", "iiss-seven-pillars@1.0.0", "new", "assessment", "--country", "Testland", "--code", "TST", "--as-of", "2026-01-31", "-o", "t.yaml")
	res = runCLI(t, env, "--rubric", "bundled:rubrics/iiss-seven-pillars-1.0.0.yaml", "validate", "t.yaml")
	if res.code != ExitOK {
		t.Errorf("validate against rubric 1.0.0: %d %s", res.code, res.stderr)
	}
	// Every bundled place printed opens by its name, and exports.
	res = ok("weights", "--format", "json")
	places := regexp.MustCompile(`bundled:[a-z0-9./-]+\.yaml`).FindAllString(res.stdout, -1)
	if len(places) == 0 {
		t.Fatal("weights names no bundled place")
	}
	for _, p := range places {
		if _, err := load.ReadFile(p); err != nil {
			t.Errorf("printed %s cannot be opened: %v", p, err)
		}
	}
	res = ok("export", "japan@2021", places[0])
	if res.stdout != "wrote assessments/japan/2021.yaml (bundled:assessments/japan/2021.yaml)\nwrote rubrics/iiss-seven-pillars.yaml (bundled:rubrics/iiss-seven-pillars.yaml)\n" {
		t.Errorf("export printed %q", res.stdout)
	}
	want, _ := load.ReadFile("bundled:assessments/japan/2021.yaml")
	if got, err := os.ReadFile(filepath.Join("assessments", "japan", "2021.yaml")); err != nil || string(got) != string(want) {
		t.Errorf("export wrote %d bytes, %v; want the bundled file's %d", len(got), err, len(want))
	}
	res = ok("score", "assessments/japan/2021.yaml", "--format", "json")
	if !strings.Contains(res.stdout, `"assessments/japan/2021.yaml"`) {
		t.Errorf("the exported file is not scored under its own name:\n%.300s", res.stdout)
	}
}

// TestExport covers what export refuses and --list.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	list := runCLI(t, nil, "export", "--list")
	if list.code != ExitOK || !strings.Contains(list.stdout, "bundled:assessments/japan/2021.yaml  ") || !strings.Contains(list.stdout, "iiss-seven-pillars@1.0.0") {
		t.Errorf("--list: %d %q", list.code, list.stdout)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export"}, ExitUsage, "export --list"},
		{[]string{"export", "--list", "japan"}, ExitUsage, "drop the names"},
		{[]string{"export", "atlantis"}, ExitInvalid, "no such bundled file"},
		{[]string{"export", "bundled:../../etc/passwd"}, ExitInvalid, "not a bundled path"},
		{[]string{"export", "japan", "-o", "out"}, ExitOK, "wrote out/assessments/japan/2025.yaml"},
		{[]string{"export", "japan@2021", "-o", "out"}, ExitInvalid, "give --force"},
		{[]string{"export", "japan@2021", "-o", "out", "--force"}, ExitOK, "wrote out/assessments/japan/2021.yaml"},
	} {
		res := runCLI(t, nil, tt.args...)
		if res.code != tt.code || !strings.Contains(res.stdout+res.stderr, tt.want) {
			t.Errorf("%v: exit %d, want %d and %q:\n%s%s", tt.args, res.code, tt.code, tt.want, res.stdout, res.stderr)
		}
	}
	// A target that is not a regular file is refused even with --force,
	// and then nothing is written at all.
	if err := os.MkdirAll(filepath.Join("x", "assessments", "japan", "2025.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, nil, "export", "japan", "-o", "x", "--force")
	if res.code != ExitInvalid || !strings.Contains(res.stderr, "is a directory") || !strings.Contains(res.stderr, "nothing was written") {
		t.Errorf("folder target: %d %s", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join("x", "assessments", "japan", "2021.yaml")); err == nil {
		t.Error("a file was written beside a refused target")
	}
	if err := os.Symlink("elsewhere", filepath.Join("x", "assessments", "japan", "2021.yaml")); err == nil {
		res := runCLI(t, nil, "export", "japan@2021", "-o", "x", "--force")
		if res.code != ExitInvalid || !strings.Contains(res.stderr, "symbolic link") {
			t.Errorf("symlink target: %d %s", res.code, res.stderr)
		}
	}
}

// TestExportAllOrNothing: when the second target cannot be written (its
// folder is a link to nowhere, which the checks before writing let
// through), the first is not written either, and no temporary file or
// folder made on the way is left.
func TestExportAllOrNothing(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("x", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", filepath.Join("x", "rubrics")); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, nil, "export", "japan@2021", "iiss-seven-pillars@1.0.0", "-o", "x")
	if res.code != ExitInvalid || !strings.Contains(res.stderr, "x/rubrics: cannot make the folder") || !strings.Contains(res.stderr, "nothing was written") || res.stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	var left []string
	filepath.WalkDir("x", func(p string, _ fs.DirEntry, err error) error {
		left = append(left, p)
		return err
	})
	if strings.Join(left, " ") != "x x/rubrics" {
		t.Errorf("left behind: %v", left)
	}
}

// TestExportIgnoresOutputVariable: CAPSCORE_OUTPUT names another
// command's output file, never export's folder.
func TestExportIgnoresOutputVariable(t *testing.T) {
	t.Chdir(t.TempDir())
	res := runCLI(t, map[string]string{"CAPSCORE_OUTPUT": "scores.json"}, "export", "japan@2021")
	if res.code != ExitOK || res.stdout != "wrote assessments/japan/2021.yaml (bundled:assessments/japan/2021.yaml)\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	if _, err := os.Lstat("scores.json"); err == nil {
		t.Error("scores.json was made")
	}
}
