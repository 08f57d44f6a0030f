package explain

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

func japan(t *testing.T) (*rubric.Rubric, *assessment.Assessment) {
	t.Helper()
	rd, err := os.ReadFile("../../rubrics/iiss-seven-pillars.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, ds := rubric.Parse("r.yaml", rd)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	ad, err := os.ReadFile("../../assessments/japan/2021.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, ds := assessment.Parse("a.yaml", ad)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return r, a
}

func TestPillarSharesAddUp(t *testing.T) {
	r, a := japan(t)
	w := weights.Defaults(r)
	res := score.Score(r, a, w, score.Options{})
	total := 0.0
	for _, p := range r.Pillars {
		ex, err := Build(r, a, w, res, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, c := range ex.Pillar.Criteria {
			sum += *c.Share
		}
		if math.Abs(sum-*ex.Pillar.Share) > 1e-12 {
			t.Errorf("%s: criterion shares sum to %v, pillar share %v", p.ID, sum, *ex.Pillar.Share)
		}
		total += *ex.Pillar.Share
	}
	if math.Abs(total-1) > 1e-12 {
		t.Errorf("pillar shares of the overall sum to %v", total)
	}
}

func TestCappedCriterion(t *testing.T) {
	r, a := japan(t)
	f := a.Findings["national-strategy"]
	four := 4
	f.Level = &four
	f.Evidence = f.Evidence[:1]
	w := weights.Defaults(r)
	res := score.Score(r, a, w, score.Options{})
	ex, err := Build(r, a, w, res, "national-strategy")
	if err != nil {
		t.Fatal(err)
	}
	c := ex.Criterion
	// One source: levels 3 and 4 need two, so the credit falls to 2.
	if !c.Capped || *c.StatedLevel != 4 || *c.Level != 2 {
		t.Errorf("capped %v stated %v credited %v", c.Capped, *c.StatedLevel, *c.Level)
	}
	if !c.Levels[4].Stated || c.Levels[4].Credited || !c.Levels[2].Credited {
		t.Errorf("level marks: %+v", c.Levels)
	}
	if c.SourcesCited != 1 || c.RequiredForLvl != 2 || len(c.Evidence) != 1 || c.Evidence[0].Sources[0].Title == "" {
		t.Errorf("evidence: cited %d, required %d, %+v", c.SourcesCited, c.RequiredForLvl, c.Evidence)
	}
	if c.Weight.Origin == "" || !strings.HasPrefix(c.Weight.Origin, "rubric ") {
		t.Errorf("weight origin %q", c.Weight.Origin)
	}
}

func TestUnknownID(t *testing.T) {
	r, a := japan(t)
	w := weights.Defaults(r)
	_, err := Build(r, a, w, score.Score(r, a, w, score.Options{}), "offense")
	if err == nil || !strings.Contains(err.Error(), `did you mean "offence"?`) {
		t.Errorf("got %v", err)
	}
}

// A pillar left unscored takes no share of the overall: the others' shares
// are among the scored pillars, and a criterion's share times the overall
// is the contribution it brings.
func TestShareOfOverallAmongScored(t *testing.T) {
	r, a := japan(t)
	for id := range a.Findings {
		if ref, _ := r.Lookup(id); ref.Pillar == 0 {
			delete(a.Findings, id)
		}
	}
	for _, c := range r.Pillars[0].Criteria {
		if c.Measure != nil {
			delete(a.Facts, c.Measure.Fact)
		}
	}
	w := weights.Defaults(r)
	res := score.Score(r, a, w, score.Options{})
	if res.Pillars[0].Score != nil {
		t.Fatal("the strategy pillar is still scored")
	}
	ex, err := Build(r, a, w, res, r.Pillars[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ex.Pillar.Weight.OfOverall, 1.0/6; math.Abs(got-want) > 1e-12 {
		t.Errorf("governance carries %v of the overall, want %v (one of six scored pillars)", got, want)
	}
	ex, err = Build(r, a, w, res, r.Pillars[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := ex.Pillar.Weight.OfOverall; got != 0 {
		t.Errorf("the unscored pillar carries %v of the overall, want 0", got)
	}
}
