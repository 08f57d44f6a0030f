package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var allFormats = []string{"table", "markdown", "csv", "json"}

// TestDeterministic runs each reading command twice with every format and
// expects byte-identical output: no map order may leak into what is printed.
func TestDeterministic(t *testing.T) {
	chdirRepo(t)
	bad, _ := filepath.Abs("testdata/bad/many-errors-one-file/assessment.yaml")
	mini, _ := filepath.Abs("testdata/bad/mini.yaml")
	for _, args := range [][]string{
		{"score", "--detail"},
		{"score", "assessments/", "--profile", "defence-first", "--weight", "offence=2"},
		{"validate"},
		{"--rubric", mini, "validate", bad},
		{"explain", "national-strategy", japan2021},
		{"explain", "offence"},
		{"weights", "--profile", "military"},
		{"compare", "assessments/japan/2021.yaml", "assessments/japan/2025.yaml"},
	} {
		for _, f := range allFormats {
			args := append(append([]string{}, args...), "--format", f)
			name := strings.Join(args, " ")
			t.Run(name, func(t *testing.T) {
				first := runCLI(t, nil, args...)
				for i := 0; i < 2; i++ {
					again := runCLI(t, nil, args...)
					if again != first {
						t.Fatalf("run %d differs from the first:\n--- first (exit %d) ---\n%s%s\n--- again (exit %d) ---\n%s%s",
							i+2, first.code, first.stdout, first.stderr, again.code, again.stdout, again.stderr)
					}
				}
				if first.stdout == "" && first.code == ExitOK {
					t.Fatal("printed nothing")
				}
			})
		}
	}
}

// TestTerminalSafe feeds escape sequences through the one way input text
// can reach a printer unrefused, file names, and expects none on either
// stream in any format; escapes inside YAML text are refused by the loader
// with a position (see testdata/bad/control-yaml-escape).
func TestTerminalSafe(t *testing.T) {
	japan, err := os.ReadFile("../../assessments/japan/2021.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	evil := "\x1b]0;owned\x07\x1b[2J\x1b[31mjapan\u009b1m.yaml"
	if err := os.WriteFile(filepath.Join(dir, evil), japan, 0o644); err != nil {
		t.Fatal(err)
	}
	broken := "\x1b[31mbroken.yaml"
	if err := os.WriteFile(filepath.Join(dir, broken), []byte("country: X\nfindings: {a: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, args := range [][]string{
		{"score", evil, "--detail"},
		{"validate", evil, broken},
		{"score", broken},
		{"explain", "national-strategy", evil},
		{"compare", evil, evil},
		{"sensitivity", "--samples", "100", evil},
		{"weights", "--weight", "offence=2"},
		{"score", "\x1b[2Jmissing.yaml"},
		{"--rubric", "\x1b[2Jrubric.yaml", "score"},
	} {
		for _, f := range allFormats {
			args := append(append([]string{}, args...), "--format", f)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				res := runCLI(t, nil, args...)
				streams := map[string]string{"stderr": res.stderr}
				// CSV and JSON are data for other programs and keep input
				// text as it is (JSON escapes C0 controls itself).
				if f == "table" || f == "markdown" {
					streams["stdout"] = res.stdout
				}
				for stream, s := range streams {
					if i := strings.IndexFunc(s, func(r rune) bool { return r == 0x1b || r == 0x07 || r == 0x9b }); i >= 0 {
						t.Errorf("%s holds a control character at byte %d: %q", stream, i, s[max(0, i-40):min(len(s), i+40)])
					}
				}
			})
		}
	}
}

// TestFailedRunLeavesOutputAlone checks that a command failing on bad input
// leaves an existing --output file as it was and leaves no temporary file.
func TestFailedRunLeavesOutputAlone(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "scores.json")
	old := "previous scores\n"
	if err := os.WriteFile(target, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("country: X\nfindings: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"score", bad, "--output", target, "--format", "json"},
		{"explain", "offence", bad, "--output", target},
		{"score", "--weight", "offence=NaN", "--output", target},
	} {
		res := runCLI(t, nil, args...)
		if res.code == ExitOK {
			t.Fatalf("%v: exit 0", args)
		}
		if got, _ := os.ReadFile(target); string(got) != old {
			t.Errorf("%v: target now %q", args, got)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		for _, e := range entries {
			t.Log(e.Name())
		}
		t.Errorf("%d files in the folder, want the target and the input", len(entries))
	}
}

// TestWritesOnlyOutput runs every command in an empty folder and expects it
// still empty afterwards; `new --from` must refuse to overwrite an existing
// --output without --force.
func TestWritesOnlyOutput(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	japan := filepath.Join(root, japan2021)
	dir := t.TempDir()
	t.Chdir(dir)
	for _, args := range [][]string{
		{"score", "--detail"},
		{"validate"},
		{"explain", "offence"},
		{"weights"},
		{"compare", japan, filepath.Join(root, "assessments/japan/2025.yaml")},
		{"sensitivity", "--samples", "200"},
		{"schema", "assessment"},
		{"new", "assessment", "--from", japan},
	} {
		if res := runCLI(t, nil, args...); res.code != ExitOK {
			t.Fatalf("%v: exit %d\n%s", args, res.code, res.stderr)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("%v wrote %s", args, entries[0].Name())
		}
	}
	target := filepath.Join(dir, "japan-2026.yaml")
	if err := os.WriteFile(target, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, nil, "new", "assessment", "--from", japan, "--output", target)
	if res.code == ExitOK {
		t.Fatal("new --from overwrote an existing file without --force")
	}
	if got, _ := os.ReadFile(target); string(got) != "mine\n" {
		t.Fatalf("target now %q", got)
	}
}
