package cli

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/schema"
)

const japan2021 = "assessments/japan/2021.yaml"

func TestScoreFormats(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"core/score_table.golden", []string{"score", japan2021}},
		{"core/score_detail.golden", []string{"score", japan2021, "--detail"}},
		{"core/score_markdown.golden", []string{"score", japan2021, "--format", "markdown", "--detail"}},
		{"core/score_csv.golden", []string{"score", japan2021, "--format", "csv", "--detail"}},
		{"core/score_json.golden", []string{"score", japan2021, "--format", "json"}},
		{"core/score_geometric.golden", []string{"score", japan2021, "--aggregation", "geometric"}},
		{"core/score_weighted.golden", []string{"score", japan2021, "--profile", "military", "--weight", "strategy=3", "--weight", "national-strategy=1"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			res := runCLI(t, nil, tt.args...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			golden(t, tt.golden, res.stdout)
		})
	}
}

// TestScoreJSONContract checks the keys and the arithmetic DESIGN.md fixes.
func TestScoreJSONContract(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "score", japan2021, "--format", "json")
	var doc struct {
		Rubric      struct{ ID, Version string }
		Aggregation string
		Assessments []struct {
			File, Country, Code, Revision string
			AsOf                          string `json:"as_of"`
			Overall                       float64
			Tier                          struct{ ID, Label string }
			Coverage                      float64
			Pillars                       []struct {
				ID                   string
				Weight, Contribution float64
				Score                *float64
				Criteria             []struct {
					ID          string
					Weight      float64
					StatedLevel *int `json:"stated_level"`
					Level       *int
					Score       *float64
					Counted     bool
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	a := doc.Assessments[0]
	if doc.Rubric.ID != "iiss-seven-pillars" || a.File != japan2021 || a.AsOf != "2021-06-28" || a.Tier.ID != "3" {
		t.Errorf("unexpected header: %+v %+v", doc.Rubric, a)
	}
	sum, wsum := 0.0, 0.0
	for _, p := range a.Pillars {
		sum += p.Contribution
		wsum += p.Weight
		if p.Score != nil && abs(p.Contribution-p.Weight**p.Score) > 1e-9 {
			t.Errorf("%s: contribution %v is not weight × score", p.ID, p.Contribution)
		}
		cw := 0.0
		for _, c := range p.Criteria {
			cw += c.Weight
		}
		if abs(cw-1) > 1e-9 {
			t.Errorf("%s: criterion weights sum to %v", p.ID, cw)
		}
	}
	if abs(sum-a.Overall) > 1e-9 || abs(wsum-1) > 1e-9 {
		t.Errorf("contributions sum to %v, overall %v; weights sum to %v", sum, a.Overall, wsum)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestValidate(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "validate", "rubrics/", japan2021)
	if res.code != ExitOK {
		t.Fatalf("bundled files: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	golden(t, "core/validate_bundled.golden", res.stdout)

	bad := "internal/cli/testdata/core/bad-assessment.yaml"
	for _, f := range []string{"table", "markdown", "csv", "json"} {
		t.Run(f, func(t *testing.T) {
			res := runCLI(t, nil, "validate", bad, "--format", f)
			if res.code != ExitInvalid {
				t.Fatalf("exit %d, want 1", res.code)
			}
			golden(t, "core/validate_bad_"+f+".golden", res.stdout+"-- stderr --\n"+res.stderr)
		})
	}
}

func TestExplain(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"core/explain_criterion.golden", []string{"explain", "national-strategy", japan2021}},
		{"core/explain_measured.golden", []string{"explain", "military-cyber-personnel", japan2021}},
		{"core/explain_pillar.golden", []string{"explain", "offence", japan2021}},
		{"core/explain_markdown.golden", []string{"explain", "national-strategy", japan2021, "--format", "markdown"}},
		{"core/explain_csv.golden", []string{"explain", "offence", japan2021, "--format", "csv"}},
		{"core/explain_json.golden", []string{"explain", "national-strategy", japan2021, "--format", "json"}},
		{"core/explain_profile.golden", []string{"explain", "intelligence", japan2021, "--profile", "defence-first"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			res := runCLI(t, nil, tt.args...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			golden(t, tt.golden, res.stdout)
		})
	}
}

func TestExitCodes(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown flag", []string{"score", "--nope"}, ExitUsage, "unknown flag: --nope"},
		{"unknown command", []string{"scroe"}, ExitUsage, `unknown command "scroe"`},
		{"malformed weight", []string{"score", "--weight", "offence=x"}, ExitUsage, "--weight offence=x: not a number"},
		{"misspelt weight id", []string{"score", "--weight", "offense=2"}, ExitUsage, `unknown pillar or criterion "offense" (did you mean "offence"?)`},
		{"negative weight", []string{"score", "--weight", "offence=-1"}, ExitUsage, "negative"},
		{"all pillars zero", []string{"score", "--weight", "strategy=0", "--weight", "governance=0", "--weight", "intelligence=0", "--weight", "empowerment=0", "--weight", "resilience=0", "--weight", "leadership=0", "--weight", "offence=0"}, ExitUsage, "every weight at this level is 0"},
		{"unknown profile", []string{"score", "--profile", "defense-first"}, ExitUsage, `did you mean "defence-first"?`},
		{"bad format", []string{"score", "--format", "xml"}, ExitUsage, `--format "xml": use one of table, markdown, csv, json`},
		{"bad aggregation", []string{"score", "--aggregation", "median"}, ExitUsage, "use arithmetic or geometric"},
		{"unknown explain id", []string{"explain", "national-stratgy"}, ExitUsage, `did you mean "national-strategy"?`},
		{"explain without id", []string{"explain"}, ExitUsage, "accepts between 1 and 2 arg(s)"},
		{"missing file", []string{"score", "nope.yaml"}, ExitInvalid, "nope.yaml: no such file or directory"},
		{"directory as rubric", []string{"score", "--rubric", "rubrics"}, ExitInvalid, "rubrics: is a directory, not a regular file"},
		{"invalid assessment", []string{"score", "internal/cli/testdata/core/bad-assessment.yaml"}, ExitInvalid, "bad-assessment.yaml:14:12: finding national-strategy: level 5 is off the scale 0..4"},
		{"bad schema name", []string{"schema", "rubrik"}, ExitUsage, `invalid argument "rubrik"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, tt.args...)
			if res.code != tt.code || !strings.Contains(res.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", res.code, res.stderr, tt.code, tt.stderr)
			}
			if strings.Contains(res.stderr, "goroutine") || strings.Contains(res.stderr, "panic") {
				t.Errorf("stack trace on stderr:\n%s", res.stderr)
			}
		})
	}
}

func TestEnvironmentSettings(t *testing.T) {
	chdirRepo(t)
	env := map[string]string{"CAPSCORE_FORMAT": "csv", "CAPSCORE_AGGREGATION": "geometric"}
	res := runCLI(t, env, "score", japan2021)
	if !strings.HasPrefix(res.stdout, "file,country") {
		t.Errorf("CAPSCORE_FORMAT=csv ignored:\n%s", res.stdout)
	}
	bad := runCLI(t, map[string]string{"CAPSCORE_FORMAT": "xml"}, "score", japan2021)
	if bad.code != ExitInvalid || !strings.Contains(bad.stderr, `CAPSCORE_FORMAT: format "xml": use one of`) {
		t.Errorf("a bad value from the environment is blamed on it, exit 1: exit %d\n%s", bad.code, bad.stderr)
	}
	flagWins := runCLI(t, env, "score", japan2021, "--format", "json")
	if !strings.Contains(flagWins.stdout, `"aggregation": "geometric"`) {
		t.Errorf("flag should win over env for format, env should still set aggregation:\n%s", flagWins.stdout)
	}
}

func TestOutputFile(t *testing.T) {
	chdirRepo(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "scores.json")
	res := runCLI(t, nil, "score", japan2021, "--format", "json", "--output", out)
	if res.code != ExitOK || res.stdout != "" {
		t.Fatalf("exit %d, stdout %q", res.code, res.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil || !json.Valid(data) {
		t.Fatalf("output file: %v, valid JSON %v", err, json.Valid(data))
	}
	// A failing run leaves the earlier file as it was, and no temporary file.
	res = runCLI(t, nil, "score", "internal/cli/testdata/core/bad-assessment.yaml", "--output", out)
	if res.code != ExitInvalid {
		t.Fatalf("exit %d", res.code)
	}
	again, _ := os.ReadFile(out)
	entries, _ := os.ReadDir(dir)
	if string(again) != string(data) || len(entries) != 1 {
		t.Errorf("failed run touched the output: %d entries", len(entries))
	}
}

func TestSchemaFilesMatch(t *testing.T) {
	chdirRepo(t)
	for _, name := range []string{"rubric", "assessment"} {
		res := runCLI(t, nil, "schema", name)
		want, err := schema.JSON(name)
		if err != nil || res.stdout != string(want) {
			t.Fatalf("schema %s: command output differs from the package (%v)", name, err)
		}
		path := filepath.Join("schemas", name+".schema.json")
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s is stale; run go test ./internal/cli -update (%v)", path, err)
		}
	}
}

// TestScoreFlagParsing checks flags reach the options without running.
func TestScoreFlagParsing(t *testing.T) {
	a := &app{io: IO{}, getenv: func(string) (string, bool) { return "", false }}
	var got *scoreOptions
	cmd := a.newScoreCmd(func(o *scoreOptions) error { got = o; return errors.New("stop") })
	cmd.SetArgs([]string{"--detail", "a.yaml", "dir/"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err == nil || got == nil {
		t.Fatal("runF not called")
	}
	if !got.detail || strings.Join(got.paths, ",") != "a.yaml,dir/" {
		t.Errorf("parsed %+v", got)
	}
}

func TestInterrupted(t *testing.T) {
	chdirRepo(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb strings.Builder
	code := Run(ctx, []string{"score", japan2021}, IO{In: strings.NewReader(""), Out: &out, Err: &errb}, func(string) (string, bool) { return "", false })
	if code != ExitInvalid || !strings.Contains(errb.String(), "capscore: interrupted") || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
