package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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
			Criteria, Levels   bool
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
	if p.Seed != 42 || p.Samples != 1500 || p.Noise == nil || *p.Noise != 0.3 || p.Dirichlet != nil || !p.Criteria || p.Levels || !p.WorkersIndependent {
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
	var first string
	for _, w := range []string{"1", "2", "8"} {
		res := runCLI(t, nil, append(append([]string{}, sensitivityArgs...), "--criteria", "--levels", "--format", "json", "--workers", w)...)
		if res.code != ExitOK {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		if first == "" {
			first = res.stdout
		} else if res.stdout != first {
			t.Fatalf("--workers %s changed the output", w)
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
