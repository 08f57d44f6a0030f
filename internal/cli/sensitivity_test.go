package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const japan2025 = "assessments/japan/2025.yaml"

// sensitivityArgs keeps golden runs small and fast.
var sensitivityArgs = []string{"sensitivity", japan2021, japan2025, "--samples", "2000", "--sobol", "256"}

func TestSensitivityFormats(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"sensitivity_table.golden", nil},
		{"sensitivity_markdown.golden", []string{"--format", "markdown"}},
		{"sensitivity_csv.golden", []string{"--format", "csv"}},
		{"sensitivity_json.golden", []string{"--format", "json"}},
		{"sensitivity_criteria_levels.golden", []string{"--criteria", "--levels", "--seed", "7", "--noise", "0.5"}},
		{"sensitivity_dirichlet.golden", []string{"--dirichlet", "30", "--aggregation", "geometric"}},
		{"sensitivity_weighted.golden", []string{"--profile", "defence-first", "--weight", "offence=2"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			res := runCLI(t, nil, append(append([]string{}, sensitivityArgs...), tt.args...)...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if strings.Contains(res.stderr, "\r") {
				t.Errorf("a progress bar was drawn on a stderr that is not a terminal: %q", res.stderr)
			}
			golden(t, tt.golden, res.stdout)
		})
	}
}

// TestSensitivityJSONReplays checks that the JSON carries what a replay
// needs, and that replaying it gives the same numbers.
func TestSensitivityJSONReplays(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "sensitivity", japan2021, "--samples", "1500", "--seed", "42", "--noise", "0.3", "--criteria", "--format", "json", "--weight", "offence=2")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var doc struct {
		Parameters struct {
			Seed               uint64
			Samples            int
			Noise              *float64
			Dirichlet          *float64
			Criteria           bool
			Levels             string
			WorkersIndependent bool `json:"workers_independent"`
		}
		Rubric  struct{ ID, Version, SHA256 string }
		Inputs  []struct{ File, SHA256 string }
		Weights struct {
			Pillars []struct {
				ID     string
				Weight float64
				Origin string
			}
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	p := doc.Parameters
	if p.Seed != 42 || p.Samples != 1500 || p.Noise == nil || *p.Noise != 0.3 || p.Dirichlet != nil || !p.Criteria || p.Levels != "fixed" || !p.WorkersIndependent {
		t.Errorf("parameters %+v", p)
	}
	if doc.Rubric.ID != "iiss-seven-pillars" || len(doc.Rubric.SHA256) != 64 {
		t.Errorf("rubric %+v", doc.Rubric)
	}
	if len(doc.Inputs) != 1 || doc.Inputs[0].File != japan2021 || len(doc.Inputs[0].SHA256) != 64 {
		t.Errorf("inputs %+v", doc.Inputs)
	}
	found := false
	for _, w := range doc.Weights.Pillars {
		if w.ID == "offence" {
			found = w.Weight == 2 && strings.Contains(w.Origin, "--weight offence=2")
		}
	}
	if !found {
		t.Errorf("the offence weight lost its value or its origin: %+v", doc.Weights.Pillars)
	}
	again := runCLI(t, nil, "sensitivity", japan2021, "--samples", "1500", "--seed", "42", "--noise", "0.3", "--criteria", "--format", "json", "--weight", "offence=2")
	if again.stdout != res.stdout {
		t.Error("the same parameters gave different output")
	}
}

func TestSensitivityWorkers(t *testing.T) {
	chdirRepo(t)
	for _, args := range [][]string{
		append(append([]string{}, sensitivityArgs...), "--criteria", "--levels"),
		append(append([]string{}, panelSensitivityArgs...), "--criteria", "--noise", "0.4"),
	} {
		var first string
		for _, w := range []string{"1", "2", "8"} {
			res := runCLI(t, nil, append(append([]string{}, args...), "--format", "json", "--workers", w)...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if first == "" {
				first = res.stdout
			} else if res.stdout != first {
				t.Fatalf("%v: --workers %s changed the output", args, w)
			}
		}
	}
}

// panelSensitivityArgs runs the fictional panel with levels drawn from it.
var panelSensitivityArgs = []string{"sensitivity", "testdata/panel/", "--levels", "panel", "--samples", "2000", "--sobol", "256"}

func TestSensitivityPanelFormats(t *testing.T) {
	chdirRepo(t)
	for _, f := range []string{"table", "markdown", "csv", "json"} {
		t.Run(f, func(t *testing.T) {
			res := runCLI(t, nil, append(append([]string{}, panelSensitivityArgs...), "--format", f)...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if strings.Contains(res.stdout, "NaN") {
				t.Error("output shows NaN")
			}
			golden(t, "sensitivity_panel_"+f+".golden", res.stdout)
			// The capped finding is warned about against its own file, once.
			if strings.Count(res.stderr, "offensive-intent: stated level 3 credited at 2") != 1 || !strings.Contains(res.stderr, "brandt.yaml:293:12: warning: offensive-intent") {
				t.Errorf("stderr: %s", res.stderr)
			}
		})
	}
}

// TestSensitivityPanelJSON checks what the JSON says of a panel run, and
// that the nominal overall is the consensus's that agree reports.
func TestSensitivityPanelJSON(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, append(append([]string{}, panelSensitivityArgs...), "--format", "json")...)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var doc struct {
		Parameters  struct{ Levels string }
		Assessments []struct {
			File    string
			Overall struct{ Nominal, P05, P95 float64 }
			Panel   []struct {
				Label, File string
				Assessors   []string
				Overall     float64
			}
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Parameters.Levels != "panel" || len(doc.Assessments) != 1 {
		t.Fatalf("levels %q, %d rows: want panel and one row", doc.Parameters.Levels, len(doc.Assessments))
	}
	a := doc.Assessments[0]
	if len(a.Panel) != 3 || a.Panel[1].Label != "Boris Brandt" || a.Panel[1].File != "testdata/panel/brandt.yaml" || a.Panel[1].Assessors[0] != "Boris Brandt" {
		t.Errorf("panel %+v", a.Panel)
	}
	ag := runCLI(t, nil, "agree", "testdata/panel/", "--samples", "0", "--format", "json")
	var adoc struct {
		Effect struct{ Consensus struct{ Overall float64 } }
	}
	if err := json.Unmarshal([]byte(ag.stdout), &adoc); err != nil {
		t.Fatal(err)
	}
	if a.Overall.Nominal != adoc.Effect.Consensus.Overall {
		t.Errorf("nominal %v, agree's consensus %v", a.Overall.Nominal, adoc.Effect.Consensus.Overall)
	}
	// The draws reach below the lowest member and above the highest only
	// with the weights moving too; the members lie within the spread.
	lo, hi := a.Panel[0].Overall, a.Panel[0].Overall
	for _, m := range a.Panel {
		lo, hi = min(lo, m.Overall), max(hi, m.Overall)
	}
	if !(a.Overall.P05 < hi && a.Overall.P95 > lo) {
		t.Errorf("5–95%% %v–%v misses the members' %v–%v", a.Overall.P05, a.Overall.P95, lo, hi)
	}
}

// TestSensitivityLevelsFlag: --levels takes its mode after = or as the next
// argument; bare, it is confidence, and the next argument stays a path.
func TestSensitivityLevelsFlag(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		args  []string
		mode  string
		paths []string
	}{
		{[]string{"--levels", "panel", "testdata/panel/"}, "panel", []string{"testdata/panel/"}},
		{[]string{"testdata/panel/", "--levels=panel"}, "panel", []string{"testdata/panel/"}},
		{[]string{"--levels", japan2021}, "confidence", []string{japan2021}},
		{[]string{japan2021, "--levels"}, "confidence", []string{japan2021}},
		{[]string{"--levels", "fixed", japan2021}, "fixed", []string{japan2021}},
		{[]string{"--levels", "./panel"}, "confidence", []string{"./panel"}},
		{[]string{"--levels=confidence", "panel"}, "confidence", []string{"panel"}},
		{[]string{"--levels", "panel", "--levels", "x"}, "confidence", []string{"panel", "x"}},
		{[]string{"--", "--levels", "panel"}, "fixed", []string{"--levels", "panel"}},
		{nil, "fixed", nil},
	} {
		raw := append([]string{"sensitivity"}, tt.args...)
		a := &app{io: IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}, getenv: func(string) (string, bool) { return "", false }, args: raw}
		var got *sensitivityOptions
		root := a.newRoot()
		for _, c := range root.Commands() {
			if c.Name() == "sensitivity" {
				root.RemoveCommand(c)
			}
		}
		root.AddCommand(a.newSensitivityCmd(func(o *sensitivityOptions) error { got = o; return nil }))
		root.SetArgs(raw)
		if err := root.Execute(); err != nil {
			t.Errorf("%v: %v", tt.args, err)
			continue
		}
		if got.cfg.LevelMode() != tt.mode || !slices.Equal(got.paths, tt.paths) {
			t.Errorf("%v: mode %s, paths %q; want %s, %q", tt.args, got.cfg.LevelMode(), got.paths, tt.mode, tt.paths)
		}
	}
}

func TestSensitivityPanelRefuses(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sensitivity", "--levels", "panel", japan2021, japan2025}, ExitInvalid,
			"capscore: --levels panel draws each criterion's level from a panel of assessors:\n  assessments/japan/2021.yaml: no other assessment of JPN revision \"2021\" is given"},
		{[]string{"sensitivity", "--levels", "panel", "testdata/panel/adler.yaml"}, ExitInvalid, "adler.yaml: no other assessment of RUR revision \"2024\""},
		{[]string{"sensitivity", "--levels=assessors", japan2021}, ExitUsage, `levels "assessors": use confidence, panel or fixed`},
	} {
		res := runCLI(t, nil, tt.args...)
		if res.code != tt.code || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, res.code, res.stderr, tt.code, tt.want)
		}
	}
}

func TestSensitivityNoiseZero(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "sensitivity", japan2021, japan2025, "--noise", "0", "--criteria", "--samples", "700", "--format", "json")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var doc struct {
		Assessments []struct {
			Overall struct{ Nominal, Mean, P05, P50, P95 float64 }
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	score := runCLI(t, nil, "score", japan2021, japan2025, "--format", "json")
	var sdoc struct{ Assessments []struct{ Overall float64 } }
	if err := json.Unmarshal([]byte(score.stdout), &sdoc); err != nil {
		t.Fatal(err)
	}
	for i, a := range doc.Assessments {
		o := a.Overall
		want := sdoc.Assessments[i].Overall
		if o.Nominal != want || o.Mean != want || o.P05 != want || o.P50 != want || o.P95 != want {
			t.Errorf("assessment %d: %+v, want all %v as score prints", i, o, want)
		}
	}
}

func TestSensitivityUsage(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--noise", "1.5"}, "--noise 1.5"},
		{[]string{"--noise", "0.1", "--dirichlet", "5"}, "give one"},
		{[]string{"--dirichlet", "0.5"}, "--dirichlet 0.5"},
		{[]string{"--samples", "0"}, "--samples 0"},
		{[]string{"--format", "html"}, "--format"},
		{[]string{"--seed", "-1"}, "invalid argument"},
	} {
		res := runCLI(t, nil, append([]string{"sensitivity", japan2021}, tt.args...)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tt.args, res.code, res.stderr, tt.want)
		}
	}
}

// TestSensitivityCancelLeavesOutput interrupts a long run: the command
// stops promptly and the existing --output file is untouched.
func TestSensitivityCancelLeavesOutput(t *testing.T) {
	chdirRepo(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "run.json")
	if err := os.WriteFile(out, []byte("previous run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := Run(ctx, []string{"sensitivity", japan2021, "--samples", "1000000000", "--criteria", "--levels", "-o", out},
		IO{In: strings.NewReader(""), Out: &stdout, Err: &stderr}, func(string) (string, bool) { return "", false })
	if code != ExitInvalid || !strings.Contains(stderr.String(), "nothing was written") {
		t.Fatalf("exit %d after cancel, want 1 saying nothing was written: %s", code, stderr.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop after cancel", d)
	}
	data, err := os.ReadFile(out)
	if err != nil || string(data) != "previous run\n" {
		t.Errorf("--output changed: %q, %v", data, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestProgressOnlyOnTerminals(t *testing.T) {
	var piped bytes.Buffer
	p := newProgress(&piped, false, 0)
	p.update(1, 10)
	p.finish()
	if piped.Len() != 0 {
		t.Errorf("progress written to a pipe: %q", piped.String())
	}

	var tty bytes.Buffer
	p = newProgress(&tty, true, 0)
	p.update(3, 10)
	time.Sleep(300 * time.Millisecond)
	p.update(7, 10)
	p.finish()
	if !strings.Contains(tty.String(), "sensitivity") {
		t.Errorf("no progress bar on a terminal: %q", tty.String())
	}

	var short bytes.Buffer
	p = newProgress(&short, true, time.Hour)
	p.update(10, 10)
	p.finish()
	if short.Len() != 0 {
		t.Errorf("a short run drew a bar: %q", short.String())
	}
}
