package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewAssessmentGolden(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"new_korea.golden", []string{"new", "assessment", "--country", "Republic of Korea", "--code", "KOR", "--as-of", "2026-11-26"}},
		{"new_from.golden", []string{"new", "assessment", "--from", ruritania2, "--as-of", "2026-01-15"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			res := runCLI(t, nil, tt.args...)
			if res.code != ExitOK || res.stderr != "" {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			golden(t, tt.golden, res.stdout)
		})
	}
}

// TestNewAssessmentValidates writes scaffolds and revisions and runs
// validate on them: warnings for the empty findings, never an error.
func TestNewAssessmentValidates(t *testing.T) {
	chdirRepo(t)
	dir := t.TempDir()
	for _, tt := range []struct {
		name     string
		args     []string
		warnings string
	}{
		{"korea", []string{"--country", "Republic of Korea", "--code", "KOR"}, "finding national-strategy has no level yet"},
		{"quoted name", []string{"--country", `Côte d'Ivoire: "test"`, "--code", "CIV", "--revision", "2026-draft"}, "has no level yet"},
		{"from japan", []string{"--from", japanBase}, ""},
		{"from ruritania", []string{"--from", ruritania2}, "finding military-doctrine has no level yet"},
		{"from a revision with another country", []string{"--from", ruritania1, "--country", "Ruritania (draft)", "--code", "RUD"}, "has no level yet"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".yaml")
			res := runCLI(t, nil, append([]string{"new", "assessment", "--output", out, "--as-of", "2026-11-26"}, tt.args...)...)
			if res.code != ExitOK || !strings.Contains(res.stderr, "wrote "+out) {
				t.Fatalf("new: exit %d: %s", res.code, res.stderr)
			}
			v := runCLI(t, nil, "validate", out)
			if v.code != ExitOK || !strings.Contains(v.stdout, "0 error(s)") {
				t.Fatalf("validate: exit %d\n%s%s", v.code, v.stdout, v.stderr)
			}
			if !strings.Contains(v.stdout, tt.warnings) {
				t.Errorf("validate output lacks %q:\n%s", tt.warnings, v.stdout)
			}
			if s := runCLI(t, nil, "score", out); s.code != ExitOK && !strings.Contains(s.stderr, "no pillar could be scored") {
				t.Errorf("score: exit %d: %s", s.code, s.stderr)
			}
		})
	}
}

func TestNewAssessmentFrom(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "new", "assessment", "--from", ruritania2, "--as-of", "2026-01-15")
	for _, want := range []string{"revision: \"2026\"", "as_of: 2026-01-15", "supersedes: \"2025\"", "rubric_version: \"2.0.0\"",
		"  r5: {title: Cyber Command Establishment Order", "military-cyber-personnel: {value: 600",
		"  offensive-intent:\n    level: 2\n    confidence: medium\n    evidence:", "  military-doctrine:\n    level: null"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("revision lacks %q", want)
		}
	}
	if strings.Contains(res.stdout, "change:") {
		t.Error("the old revision's change notes were kept")
	}
	// Same year as the old revision: the revision label takes the date.
	same := runCLI(t, nil, "new", "assessment", "--from", ruritania2, "--as-of", "2025-09-30")
	if !strings.Contains(same.stdout, `revision: "2025-09-30"`) {
		t.Errorf("same-year revision:\n%s", same.stdout[:400])
	}
	// A revision dated before the file it revises is refused.
	early := runCLI(t, nil, "new", "assessment", "--from", ruritania2, "--as-of", "2024-01-01")
	if early.code != ExitUsage || !strings.Contains(early.stderr, "before") {
		t.Errorf("early revision: exit %d: %s", early.code, early.stderr)
	}
}

func TestNewAssessmentNeverOverwrites(t *testing.T) {
	chdirRepo(t)
	out := filepath.Join(t.TempDir(), "kor.yaml")
	if err := os.WriteFile(out, []byte("analyst's work\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"new", "assessment", "--country", "Republic of Korea", "--code", "KOR", "--output", out}
	res := runCLI(t, nil, args...)
	if res.code != ExitInvalid || !strings.Contains(res.stderr, "give --force") {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != "analyst's work\n" {
		t.Fatalf("file changed without --force: %q", got)
	}
	res = runCLI(t, nil, append(args, "--force")...)
	if res.code != ExitOK {
		t.Fatalf("--force: exit %d: %s", res.code, res.stderr)
	}
	if got, _ := os.ReadFile(out); !strings.Contains(string(got), "country: Republic of Korea") {
		t.Fatalf("--force did not write the scaffold: %q", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the output: %v", entries)
	}
}

func TestNewAssessmentErrors(t *testing.T) {
	chdirRepo(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("country: X\ncode: xx\nrubric: iiss-seven-pillars\nrevision: 1\nas_of: 2020\nfindings: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"nothing", nil, ExitUsage, "give --country and --code, or --from FILE"},
		{"no code", []string{"--country", "Korea"}, ExitUsage, "give --country and --code"},
		{"bad code", []string{"--country", "Korea", "--code", "ko"}, ExitUsage, "three capital letters"},
		{"bad date", []string{"--country", "Korea", "--code", "KOR", "--as-of", "2026-02-30"}, ExitUsage, "does not exist"},
		{"control character", []string{"--country", "Korea\x1b[2J", "--code", "KOR"}, ExitInvalid, "control character"},
		{"missing from", []string{"--from", "nowhere.yaml"}, ExitInvalid, "nowhere.yaml"},
		{"invalid from", []string{"--from", bad}, ExitInvalid, "three capital letters"},
		{"no kind", []string{"--kind"}, ExitUsage, "unknown flag"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, append([]string{"new", "assessment"}, tt.args...)...)
			if res.code != tt.code || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, want %d; stderr lacks %q:\n%s", res.code, tt.code, tt.want, res.stderr)
			}
		})
	}
	if res := runCLI(t, nil, "new"); res.code != ExitUsage || !strings.Contains(res.stderr, "capscore new assessment") {
		t.Errorf("new alone: exit %d: %s", res.code, res.stderr)
	}
}
