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

func TestRelinkSchema(t *testing.T) {
	const line = "# yaml-language-server: $schema="
	onDisk := func(name string) bool { return filepath.ToSlash(filepath.Clean(name)) == "schemas/a.json" }
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, first, from, out, want string
	}{
		{"same folder", line + "../../schemas/a.json", "as/jp/2021.yaml", "as/jp/2025.yaml", line + "../../schemas/a.json"},
		{"deeper", line + "../../schemas/a.json", "as/jp/2021.yaml", "x/y/z/new.yaml", line + "../../../schemas/a.json"},
		{"current folder", line + "../../schemas/a.json", "as/jp/2021.yaml", "new.yaml", line + "schemas/a.json"},
		{"standard output", line + "../../schemas/a.json", "as/jp/2021.yaml", "", line + "schemas/a.json"},
		{"dash", line + "../../schemas/a.json", "as/jp/2021.yaml", "-", line + "schemas/a.json"},
		{"absolute output", line + "../../schemas/a.json", "as/jp/2021.yaml", filepath.Join(cwd, "as", "new.yaml"), line + "../schemas/a.json"},
		{"text after the path", line + "../../schemas/a.json  # editor", "as/jp/2021.yaml", "new.yaml", line + "schemas/a.json  # editor"},
		{"crlf", line + "../../schemas/a.json\r", "as/jp/2021.yaml", "new.yaml", line + "schemas/a.json\r"},
		{"url kept", line + "https://capscore.dev/a.json", "as/jp/2021.yaml", "new.yaml", line + "https://capscore.dev/a.json"},
		{"absolute kept", line + "/srv/a.json", "as/jp/2021.yaml", "new.yaml", line + "/srv/a.json"},
		{"other comment kept", "# schema: ../../schemas/a.json", "as/jp/2021.yaml", "new.yaml", "# schema: ../../schemas/a.json"},
		{"not on disk", line + "../schemas/a.json", "as/jp/2021.yaml", "new.yaml", strings.Split(schemaNote, "\n")[0]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.first + "\ncountry: X\n"
			got := string(relinkSchema([]byte(in), tt.from, tt.out, onDisk))
			first, rest, _ := strings.Cut(got, "\n")
			if first != tt.want {
				t.Errorf("first line %q, want %q", first, tt.want)
			}
			if !strings.HasSuffix(rest, "country: X\n") {
				t.Errorf("the rest changed: %q", rest)
			}
			if tt.name == "not on disk" && (strings.Count(got, "\n") != 4 || strings.Contains(got, "$schema=")) {
				t.Errorf("note: %q", got)
			}
		})
	}
}

// A revision written into another folder names the same schema file, by
// a path relative to that folder; one whose schema is not on disk gets a
// note instead, and still validates.
func TestNewFromRelinksSchema(t *testing.T) {
	chdirRepo(t)
	schema, err := filepath.Abs("schemas/assessment.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	out := filepath.Join(tmp, "drafts", "japan", "2026.yaml")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, nil, "new", "assessment", "--from", japanBase, "--as-of", "2026-11-26", "-o", out)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	ref, ok := strings.CutPrefix(first, "# yaml-language-server: $schema=")
	if !ok || filepath.IsAbs(ref) {
		t.Fatalf("first line %q", first)
	}
	if got := filepath.Join(filepath.Dir(out), filepath.FromSlash(ref)); got != schema {
		t.Errorf("the comment names %s, want %s", got, schema)
	}

	// Standard output: relative to the current folder.
	res = runCLI(t, nil, "new", "assessment", "--from", japanBase, "--as-of", "2026-11-26")
	if !strings.HasPrefix(res.stdout, "# yaml-language-server: $schema=schemas/assessment.schema.json\n") {
		t.Errorf("standard output starts %.80q", res.stdout)
	}

	// A copy away from the repository has no schema beside it.
	orig, err := os.ReadFile(japanBase)
	if err != nil {
		t.Fatal(err)
	}
	from := writeFile(t, filepath.Join(tmp, "elsewhere", "2021.yaml"), string(orig))
	lone := filepath.Join(tmp, "elsewhere", "2026.yaml")
	if res := runCLI(t, nil, "new", "assessment", "--from", from, "--as-of", "2026-11-26", "-o", lone); res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	data, err = os.ReadFile(lone)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), schemaNote+"\n") || strings.Contains(string(data), "$schema=") {
		t.Errorf("starts %.200q", data)
	}
	if v := runCLI(t, nil, "validate", lone); v.code != ExitOK {
		t.Errorf("validate: exit %d: %s%s", v.code, v.stdout, v.stderr)
	}
}
