package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/testfix"
)

// complete runs cobra's hidden __complete command and returns the
// completions and the directive line.
func complete(t *testing.T, env map[string]string, args ...string) ([]string, string) {
	t.Helper()
	res := runCLI(t, env, append([]string{"__complete"}, args...)...)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

func TestCompleteWeight(t *testing.T) {
	got, directive := complete(t, nil, "score", "--weight", "off")
	r := testfix.Rubric(t, "")
	var want []string // pillars first, then criteria, each in rubric order
	for _, p := range r.Pillars {
		if strings.HasPrefix(p.ID, "off") {
			want = append(want, p.ID+"=\t"+p.Title)
		}
	}
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			if strings.HasPrefix(c.ID, "off") {
				want = append(want, c.ID+"=\t"+c.Title)
			}
		}
	}
	if len(want) < 2 || !strings.HasPrefix(want[0], "offence=\tOffensive cyber capability") {
		t.Fatalf("the bundled rubric changed: %v", want)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if directive != ":6" { // no space after "=", no file names
		t.Errorf("directive %s", directive)
	}
	all, _ := complete(t, nil, "weights", "--weight", "")
	if len(all) != 7+37 || !strings.HasPrefix(all[0], "strategy=\t") || !strings.HasPrefix(all[7], "national-strategy=\t") {
		t.Errorf("%d completions, first %q, eighth %q", len(all), all[0], all[7])
	}
	if after, _ := complete(t, nil, "weights", "--weight", "offence="); len(after) != 0 {
		t.Errorf("completed a value: %v", after)
	}
}

func TestCompleteProfile(t *testing.T) {
	got, directive := complete(t, nil, "weights", "--profile", "")
	var names []string
	for _, g := range got {
		name, reason, _ := strings.Cut(g, "\t")
		names = append(names, name)
		if reason == "" {
			t.Errorf("%s has no reason", name)
		}
	}
	if strings.Join(names, ",") != "equal,defence-first,economic-power,military" || directive != ":4" {
		t.Errorf("%v %s", names, directive)
	}
	// The config file's profiles come after the rubric's, whether the config
	// is given as a flag or in the environment.
	cfg, _ := filepath.Abs("testdata/weights/capscore.yaml")
	for _, run := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--config", cfg, "score", "--profile", "h"}},
		{map[string]string{"CAPSCORE_CONFIG": cfg}, []string{"score", "--profile", "h"}},
	} {
		got, _ = complete(t, run.env, run.args...)
		if len(got) != 1 || got[0] != "hawk\tOffence and intelligence first." {
			t.Errorf("%v", got)
		}
	}
}

// explain completes pillar ids, then criterion ids, each with its title,
// from the rubric the settings choose; then an assessment file.
func TestCompleteExplain(t *testing.T) {
	got, directive := complete(t, nil, "explain", "off")
	if len(got) < 2 || got[0] != "offence\tOffensive cyber capability" || directive != ":4" {
		t.Fatalf("%v %s", got, directive)
	}
	for _, g := range got[1:] {
		if id, title, _ := strings.Cut(g, "\t"); !strings.HasPrefix(id, "off") || title == "" {
			t.Errorf("%q", g)
		}
	}
	mini, _ := filepath.Abs("../../testdata/bad/mini.yaml")
	r := testfix.Rubric(t, mini)
	for _, env := range []map[string]string{{"CAPSCORE_RUBRIC": mini}, {"CAPSCORE_CONFIG": writeFile(t, filepath.Join(t.TempDir(), "c.yaml"), "rubric: "+mini+"\n")}} {
		all, _ := complete(t, env, "explain", "")
		if len(all) != len(r.IDs()) || !strings.HasPrefix(all[0], r.Pillars[0].ID+"\t") {
			t.Errorf("%v: %v, want the %d ids of %s", env, all, len(r.IDs()), mini)
		}
	}
	if files, directive := complete(t, nil, "explain", "offence", ""); !contains(files, "japan") || directive != ":4" {
		t.Errorf("second argument: %v %s", files, directive)
	}
}

func TestCompleteArgumentsAndChoices(t *testing.T) {
	for _, tt := range []struct {
		args      []string
		contains  string
		directive string
	}{
		{[]string{"explain", "national-"}, "national-strategy", ":4"},
		{[]string{"weights", "ahp", ""}, "yaml", ":8"},
		{[]string{"score", "--format", ""}, "markdown", ":4"},
		{[]string{"score", "--format", ""}, "xlsx", ":4"},
		{[]string{"version", "--format", ""}, "json", ":4"},
		{[]string{"score", "--aggregation", ""}, "geometric", ":4"},
		{[]string{"score", "--missing", ""}, "zero", ":4"},
		{[]string{"score", "--rubric", ""}, "iiss-seven-pillars@1.0.0", ":4"},
		{[]string{"score", "japan@"}, "japan@2021", ":4"},
		{[]string{"new", "assessment", "--from", "JPN@"}, "JPN@2025", ":4"},
		{[]string{"export", "bundled:r"}, "bundled:rubrics/iiss-seven-pillars.yaml", ":4"},
	} {
		got, directive := complete(t, nil, tt.args...)
		if !contains(got, tt.contains) || directive != tt.directive {
			t.Errorf("%v: %v %s", tt.args, got, directive)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s || strings.HasPrefix(x, s+"\t") {
			return true
		}
	}
	return false
}
