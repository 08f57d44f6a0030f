package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/explain"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report/htmlreport"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// The bad-input corpus holds a measured criterion whose finding states no
// level and whose fact cites too few sources for its measured level, and
// an assessment with no findings at all (no pillar score, no tier).
const (
	cappedNoLevel = "../../testdata/bad/measured-capped-no-level-report/assessment.yaml"
	noFindings    = "testdata/empty.yaml"
)

// Every renderer handles every optional field being absent: a capped
// criterion without a stated level, a pillar without a score, a result
// without a tier, and contributions that geometric aggregation leaves
// undefined. The capped criterion shows the measured level as the one
// the evidence rule lowered.
func TestRenderersWithoutOptionalFields(t *testing.T) {
	r, _, err := load.Rubric("../../testdata/bad/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := load.Read([]string{cappedNoLevel, noFindings})
	if err != nil {
		t.Fatal(err)
	}
	as, ds := load.Assessments(inputs, r)
	if ds.HasErrors() || len(as) != 2 {
		t.Fatal(ds.Errors())
	}
	w := weights.Defaults(r)
	for _, agg := range []rubric.Aggregation{rubric.Arithmetic, rubric.Geometric} {
		opt := score.Options{Aggregation: agg}
		var results []*score.Result
		for _, a := range as {
			results = append(results, score.Score(r, a, w, opt))
		}
		if results[1].Tier != nil && results[1].Overall != nil {
			t.Fatalf("%s: the assessment without findings has an overall score", agg)
		}
		want := map[Format]string{Table: "2→1 partial (capped)", Markdown: "2→1 partial (capped)", CSV: "cyber-force,1,,1,50", JSON: `"measured_level": 2`}
		for _, f := range []Format{Table, Markdown, CSV, JSON} {
			var b bytes.Buffer
			if err := WriteScores(&b, f, Scores{Rubric: r, Aggregation: agg, Results: results, Detail: true}); err != nil {
				t.Fatalf("%s %s: %v", agg, f, err)
			}
			if !strings.Contains(b.String(), want[f]) {
				t.Errorf("%s score %s lacks %q:\n%s", agg, f, want[f], b.String())
			}
		}
		var b bytes.Buffer
		if err := htmlreport.Write(&b, htmlreport.Report{Rubric: r, Aggregation: agg, Missing: r.Missing, Weights: w, Results: results}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), `<td class="level">2→1 partial (capped)`) {
			t.Errorf("%s report lacks the capped level", agg)
		}
		for i, a := range as {
			for _, id := range []string{"offence", "cyber-force"} {
				ex, err := explain.Build(r, a, w, results[i], id)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range []Format{Table, Markdown, CSV, JSON} {
					var b bytes.Buffer
					if err := WriteExplanation(&b, f, ex, ExplainLayers{Rubric: r, Weights: w}); err != nil {
						t.Fatalf("%s explain %s %s: %v", agg, id, f, err)
					}
					if i == 0 && f == Table && !strings.Contains(b.String(), "2→1") && !strings.Contains(b.String(), "Measured level 2") {
						t.Errorf("%s explain %s shows no measured level:\n%s", agg, id, b.String())
					}
				}
			}
		}
	}
}
