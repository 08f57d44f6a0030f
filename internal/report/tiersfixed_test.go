package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/sensitivity"
	"github.com/capscore/capscore/internal/weights"
)

var tinyPillars = []string{"strategy", "governance", "intelligence", "empowerment", "resilience", "leadership", "offence"}

// tinyRubric writes a rubric of the seven pillars, two criteria each
// (ID-x and ID-y) on a 0 to 4 scale, with the given tiers block, and one
// assessment per levels map (criterion id to level; 2 where not given).
func tinyRubric(t *testing.T, tiers string, levels ...map[string]int) (*rubric.Rubric, []*assessment.Assessment) {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id: tiny\nversion: 1.0.0\ntitle: Tiny\nscale: {min: 0, max: 4}\nevidence:\n  min_sources: {1: 1}\ntiers:\n" + tiers + "pillars:\n")
	for _, p := range tinyPillars {
		fmt.Fprintf(&b, "  - id: %s\n    title: %s\n    criteria:\n", p, p)
		for _, c := range []string{"x", "y"} {
			fmt.Fprintf(&b, "      - {id: %s-%s, title: %s, levels: {0: a, 1: b, 2: c, 3: d, 4: e}}\n", p, c, c)
		}
	}
	rfile := filepath.Join(dir, "rubric.yaml")
	if err := os.WriteFile(rfile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r, _, err := load.Rubric(rfile)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for i, lv := range levels {
		var a strings.Builder
		fmt.Fprintf(&a, "country: Land %d\ncode: TST\nrubric: tiny\nrevision: \"%d\"\nas_of: 2021-06-28\nsources:\n  s: {title: S, date: 2020}\nfindings:\n", i, i)
		for _, p := range tinyPillars {
			for _, c := range []string{"x", "y"} {
				l, ok := lv[p+"-"+c]
				if !ok {
					l = 2
				}
				fmt.Fprintf(&a, "  %s-%s: {level: %d, confidence: high, evidence: [{claim: c, sources: [s]}]}\n", p, c, l)
			}
		}
		name := filepath.Join(dir, fmt.Sprintf("a%d.yaml", i))
		if err := os.WriteFile(name, []byte(a.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	in, err := load.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	as, ds := load.Assessments(in, r)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	return r, as
}

// tiersSeen scores each assessment under random weight sets of the kind
// tiersFixed covers (some weights 0, the rest anywhere above; every pillar
// keeps a criterion weighted, some pillar stays weighted) and reports
// whether any assessment's tier differs from its nominal one.
func tiersSeen(r *rubric.Rubric, as []*assessment.Assessment, opt score.Options, criteria bool) bool {
	rng := rand.New(rand.NewPCG(1, 2))
	draw := func(ws []float64) {
		for {
			any := false
			for i := range ws {
				ws[i] = 0
				if rng.IntN(2) == 0 {
					ws[i] = rng.Float64() + 1e-9
					any = true
				}
			}
			if any {
				return
			}
		}
	}
	for _, a := range as {
		nominal := tierKey(score.Score(r, a, weights.Defaults(r), opt).Tier)
		for range 2500 {
			w := weights.Defaults(r)
			draw(w.Pillar)
			if criteria {
				for p := range w.Criterion {
					draw(w.Criterion[p])
				}
			}
			if tierKey(score.Score(r, a, w, opt).Tier) != nominal {
				return true
			}
		}
	}
	return false
}

// The rule behind the sensitivity note, on small rubrics: which weights
// can change a tier, checked against random weight sets, and the note's
// reason.
func TestTiersFixed(t *testing.T) {
	const (
		pillarTiers = "  - {id: t1, label: All, every_pillar_at_least: 60}\n  - {id: t2, label: Some, pillars_at_least: {count: 1, score: 70}}\n"
		noOverall   = "no tier uses overall_at_least"
		inRange     = "no overall_at_least changes a tier within that range"
		nor         = "Nor can criterion weights"
		may         = "Criterion weights, sampled here, move pillar scores and may change tiers."
	)
	for _, tc := range []struct {
		name              string
		tiers             string
		geometric         bool
		levels            []map[string]int
		pillar, criterion bool
		says, saysNot     string // in the note with criteria sampled
	}{
		{"pillar-score tiers, one criterion high", pillarTiers, false,
			[]map[string]int{{"strategy-x": 4, "strategy-y": 2}}, true, false, noOverall, nor},
		{"pillar-score tiers, criteria even", pillarTiers, false,
			[]map[string]int{{"strategy-x": 3, "strategy-y": 3}}, true, true, noOverall, may},
		{"overall threshold crossed", "  - {id: t1, label: High, overall_at_least: 55}\n", false,
			[]map[string]int{{"strategy-x": 3, "strategy-y": 3}}, false, false, "", "Tiers:"},
		{"overall threshold out of reach", "  - {id: t1, label: High, overall_at_least: 80}\n  - {id: t2, label: Rest}\n", false,
			[]map[string]int{{"strategy-x": 3, "strategy-y": 3}}, true, true, inRange, may},
		{"overall threshold out of reach of pillars only", "  - {id: t1, label: High, overall_at_least: 80}\n  - {id: t2, label: Rest}\n", false,
			[]map[string]int{{"strategy-x": 4, "strategy-y": 2}}, true, false, inRange, nor},
		{"overall threshold blocked by every pillar", "  - {id: t1, label: High, overall_at_least: 40, every_pillar_at_least: 60}\n  - {id: t2, label: Rest}\n", false,
			[]map[string]int{{"strategy-x": 3, "strategy-y": 3}}, true, true, inRange, may},
		{"threshold equal to the highest pillar", "  - {id: t1, label: High, overall_at_least: 75}\n  - {id: t2, label: Rest}\n", false,
			[]map[string]int{{"strategy-x": 3, "strategy-y": 3}}, false, false, "", "Tiers:"},
		{"geometric with a pillar at 0", "  - {id: t1, label: Some, overall_at_least: 10}\n", true,
			[]map[string]int{{"offence-x": 0, "offence-y": 0, "strategy-x": 3, "strategy-y": 3}}, false, false, "", "Tiers:"},
		{"one of two assessments can move", "  - {id: t1, label: High, overall_at_least: 60}\n  - {id: t2, label: Rest}\n", false,
			[]map[string]int{{}, {"strategy-x": 3, "strategy-y": 3}}, false, false, "", "Tiers:"},
		{"two assessments, both fixed", "  - {id: t1, label: High, overall_at_least: 60}\n  - {id: t2, label: Rest}\n", false,
			[]map[string]int{{}, {"strategy-x": 1, "strategy-y": 1}}, true, true, inRange, may},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, as := tinyRubric(t, tc.tiers, tc.levels...)
			opt := score.Options{}
			if tc.geometric {
				opt.Aggregation = rubric.Geometric
			}
			opt = opt.Resolve(r)
			w := weights.Defaults(r)
			res := &sensitivity.Result{}
			for _, a := range as {
				res.Assessments = append(res.Assessments, &sensitivity.Assessment{Nominal: score.Score(r, a, w, opt)})
			}
			for _, criteria := range []bool{false, true} {
				got := tiersFixed(Sensitivity{Rubric: r, Options: opt, Weights: w, Config: sensitivity.Config{Criteria: criteria}, Result: res})
				if got.PillarWeights != tc.pillar || got.CriterionWeights != tc.criterion {
					t.Fatalf("criteria %v: pillar weights fixed %v, criterion weights fixed %v; want %v, %v", criteria, got.PillarWeights, got.CriterionWeights, tc.pillar, tc.criterion)
				}
				// The rule agrees with what weight sets do.
				if seen := tiersSeen(r, as, opt, criteria); seen == (criteria && tc.criterion || !criteria && tc.pillar) {
					t.Errorf("criteria %v: random weights changed a tier: %v; the rule says fixed: %v", criteria, seen, !seen)
				}
				if (got.Note != "") != tc.pillar {
					t.Errorf("note %q with pillar weights fixed %v", got.Note, tc.pillar)
				}
				if criteria && got.Note != "" {
					if !strings.Contains(got.Note, tc.says) || tc.criterion && !strings.Contains(got.Note, nor) || !tc.criterion && !strings.Contains(got.Note, may) {
						t.Errorf("note %q: want %q and the criterion weights' sentence", got.Note, tc.says)
					}
				}
				if !criteria && (strings.Contains(got.Note, nor) || strings.Contains(got.Note, may)) {
					t.Errorf("criterion weights named when not sampled: %q", got.Note)
				}
				if criteria && tc.saysNot != "" && strings.Contains(got.Note, tc.saysNot) {
					t.Errorf("note %q says %q", got.Note, tc.saysNot)
				}
			}
			// Moved levels are named apart: they are not weights.
			got := tiersFixed(Sensitivity{Rubric: r, Options: opt, Weights: w, Config: sensitivity.Config{Levels: true}, Result: res})
			if tc.pillar != strings.HasSuffix(got.Note, " Levels, moved here, change the scores themselves and may change tiers.") {
				t.Errorf("with levels moved: note %q", got.Note)
			}
		})
	}
}

// The note is one line under the tables in table and markdown, and a
// field in JSON; a run whose tiers weights can change has neither.
func TestSensitivityTierNote(t *testing.T) {
	for _, tc := range []struct {
		name, tiers string
		fixed       bool
	}{
		{"fixed", "  - {id: t1, label: Some, pillars_at_least: {count: 1, score: 70}}\n", true},
		{"moves", "  - {id: t1, label: High, overall_at_least: 55}\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, as := tinyRubric(t, tc.tiers, map[string]int{"strategy-x": 3, "strategy-y": 3})
			w := weights.Defaults(r)
			opt := score.Options{}.Resolve(r)
			b := sensitivity.NewBuilder(r, w, opt)
			for _, a := range as {
				if err := b.Add(a); err != nil {
					t.Fatal(err)
				}
			}
			cfg := sensitivity.Config{Samples: 512, Seed: 1, Noise: 0.25}
			res, err := b.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			s := Sensitivity{Rubric: r, Options: opt, Weights: w, Config: cfg, Result: res}
			for _, f := range []Format{Table, Markdown} {
				var out bytes.Buffer
				if err := WriteSensitivity(&out, f, s); err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
				last := lines[len(lines)-1]
				if got := strings.HasPrefix(last, "Tiers: no pillar weight can change"); got != tc.fixed {
					t.Errorf("%s: last line %q", f, last)
				}
				if tc.fixed && !strings.Contains(out.String(), "│ never ") && !strings.Contains(out.String(), "| never ") {
					t.Errorf("%s: no break-even row reads never:\n%s", f, out.String())
				}
			}
			var js bytes.Buffer
			if err := WriteSensitivity(&js, JSON, s); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				TiersFixed *struct {
					PillarWeights *bool   `json:"pillar_weights"`
					Note          *string `json:"note"`
				} `json:"tiers_fixed"`
			}
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.TiersFixed == nil || doc.TiersFixed.PillarWeights == nil || *doc.TiersFixed.PillarWeights != tc.fixed || (doc.TiersFixed.Note != nil) != tc.fixed {
				t.Errorf("json tiers_fixed: %s", js.String()[strings.Index(js.String(), `"tiers_fixed"`):][:200])
			}
		})
	}
}
