package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAgreeFormats(t *testing.T) {
	chdirRepo(t)
	for _, f := range []string{"table", "markdown", "csv", "json"} {
		t.Run(f, func(t *testing.T) {
			res := runCLI(t, nil, "agree", "testdata/panel/", "--samples", "2000", "--format", f)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if strings.Contains(res.stdout, "NaN") {
				t.Error("output shows NaN")
			}
			golden(t, "agree_"+f+".golden", res.stdout)
			// The capped finding is warned about on stderr, once.
			if strings.Count(res.stderr, "offensive-intent: stated level 3 credited at 2") != 1 {
				t.Errorf("stderr: %s", res.stderr)
			}
		})
	}
}

func TestAgreeOptions(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "agree", "testdata/panel/", "--metric", "interval", "--stated", "--seed", "9", "--samples", "500", "--weight", "offence=2")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	for _, want := range []string{"interval metric, on stated levels", "500 bootstrap resamples", "seed 9", "offence 2 (flag --weight offence=2)"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("missing %q in\n%s", want, res.stdout)
		}
	}
	// One seed, one set of numbers.
	again := runCLI(t, nil, "agree", "testdata/panel/", "--metric", "interval", "--stated", "--seed", "9", "--samples", "500", "--weight", "offence=2")
	if again.stdout != res.stdout {
		t.Error("two runs with one seed differ")
	}
}

func TestAgreeRefuses(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown metric", []string{"agree", "testdata/panel/", "--metric", "cardinal"}, ExitUsage, `--metric "cardinal": use one of nominal, ordinal, interval, ratio`},
		{"negative samples", []string{"agree", "testdata/panel/", "--samples", "-1"}, ExitUsage, "--samples -1"},
		{"consensus with a format", []string{"agree", "testdata/panel/", "--consensus", "--format", "json"}, ExitUsage, "drop --format"},
		{"no argument", []string{"agree"}, ExitUsage, "requires at least 1 arg"},
		{"two revisions", []string{"agree", "assessments/japan/"}, ExitInvalid, "a panel is one country and one revision"},
		{"format", []string{"agree", "testdata/panel/", "--format", "xlsx"}, ExitUsage, `--format "xlsx"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, tt.args...)
			if res.code != tt.code || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", res.code, res.stderr, tt.code, tt.want)
			}
		})
	}
}

func TestAgreeConsensus(t *testing.T) {
	chdirRepo(t)
	out := filepath.Join(t.TempDir(), "consensus.yaml")
	res := runCLI(t, nil, "agree", "testdata/panel/", "--consensus", "-o", out)
	if res.code != ExitOK || res.stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", res.code, res.stdout, res.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"assessors:\n  - Amara Adler\n  - Boris Brandt\n  - Chloé Castel\n", "r9-2:", `revision: "2024"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("consensus lacks %q", want)
		}
	}
	// It validates on its own and beside the panel (its assessors differ
	// from each member's); the one warning is Brandt's capped finding.
	if v := runCLI(t, nil, "validate", out, "testdata/panel/"); v.code != ExitOK || !strings.Contains(v.stdout, "0 error(s), 1 warning(s) in 4 file(s)") ||
		!strings.Contains(v.stdout, "brandt.yaml:293:12: warning: offensive-intent: stated level 3 credited at 2") {
		t.Errorf("validate: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	for _, m := range []string{"adler", "brandt", "castel"} {
		c := runCLI(t, nil, "compare", "testdata/panel/"+m+".yaml", out, "--format", "json")
		if c.code != ExitOK || !strings.Contains(c.stdout, `"change": "Panel, credited levels: Amara Adler`) {
			t.Errorf("compare %s: exit %d %s", m, c.code, c.stderr)
		}
	}
	// Standard output without -o.
	if s := runCLI(t, nil, "agree", "testdata/panel/", "--consensus"); s.code != ExitOK || !strings.HasPrefix(s.stdout, "country: Ruritania\n") {
		t.Errorf("exit %d: %.200s", s.code, s.stdout)
	}
}
