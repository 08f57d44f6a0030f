package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/compare"
	"github.com/capscore/capscore/internal/report/htmlreport"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// TestNoTierShownEverywhere: an assessment with an overall score but no
// pillar showing strength meets no tier, and every format says so rather
// than leaving the cell blank.
func TestNoTierShownEverywhere(t *testing.T) {
	r, as := fixture(t, true)
	a := *as[0]
	a.Findings = cloneFindingsAt(&a, 0)
	a.Facts = nil
	w := weights.Defaults(r)
	res := score.Score(r, &a, w, score.Options{})
	if res.Overall == nil || res.Tier != nil {
		t.Fatalf("fixture: overall %v, tier %v; want an overall and no tier", res.Overall, res.Tier)
	}
	s := Scores{Rubric: r, Weights: w, Results: []*score.Result{res, score.Score(r, as[1], w, score.Options{})}}
	for _, f := range []Format{Table, Markdown, CSV} {
		var b bytes.Buffer
		if err := WriteScores(&b, f, s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), textfmt.NoTier) {
			t.Errorf("%s: %q not shown:\n%s", f, textfmt.NoTier, b.String())
		}
	}
	var js bytes.Buffer
	if err := WriteScores(&js, JSON, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"tier": null`) && !strings.Contains(js.String(), `"tier":null`) {
		t.Errorf("json: tier is not null:\n%s", js.String())
	}
	var h bytes.Buffer
	if err := htmlreport.Write(&h, htmlreport.Report{Rubric: r, Aggregation: r.Aggregation, Missing: r.Missing, Weights: w,
		Results: []*score.Result{score.Score(r, &a, w, score.Options{})}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), "<strong>"+textfmt.NoTier+"</strong>") || strings.Contains(h.String(), "Tier "+textfmt.NoTier) {
		t.Errorf("html: no tier not shown plainly")
	}
	c := compare.Compare([]compare.Side{{Label: "A", Rubric: r, Assessment: &a, Weights: w}, {Label: "B", Rubric: r, Assessment: as[1], Weights: w}}, compare.Options{})
	for _, f := range []Format{Table, Markdown, CSV} {
		var b bytes.Buffer
		if err := WriteComparison(&b, f, c, ComparisonOptions{Layers: ComparisonLayers{Columns: []textfmt.LabelledWeights{{Label: "A", Rubric: r, Weights: w}, {Label: "B", Rubric: r, Weights: w}}}}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), textfmt.NoTier) {
			t.Errorf("compare %s: %q not shown:\n%s", f, textfmt.NoTier, b.String())
		}
	}
}

// cloneFindingsAt copies a's findings with every stated level set to l.
func cloneFindingsAt(a *assessment.Assessment, l int) map[string]*assessment.Finding {
	out := map[string]*assessment.Finding{}
	for id, f := range a.Findings {
		g := *f
		g.Level = &l
		out[id] = &g
	}
	return out
}
