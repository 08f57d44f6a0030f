// Package compare sets scored assessments side by side: pillar and overall
// deltas, the findings that changed between two columns, the split of a
// change in the overall into evidence and weights, and the criteria that
// cannot be compared because the rubrics differ. It is pure: every score
// comes from the score package and nothing here touches files or terminals.
package compare

import (
	"fmt"
	"math"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Side is one column: an assessment scored with a rubric under a weight set.
type Side struct {
	Label      string
	Profile    string
	Rubric     *rubric.Rubric
	Assessment *assessment.Assessment
	Weights    *weights.Set
}

// Against says which column a delta is taken against.
type Against string

const (
	// Previous takes each column against the one before it, which reads a
	// chain of revisions step by step.
	Previous Against = "previous"
	// First takes every column against the first, a common baseline.
	First Against = "first"
)

// ParseAgainst reads an Against name.
func ParseAgainst(s string) (Against, error) {
	switch a := Against(s); a {
	case Previous, First:
		return a, nil
	}
	return "", fmt.Errorf("against %q: use previous or first", s)
}

// Options hold the engine options shared by every column and the delta base.
type Options struct {
	Score   score.Options
	Against Against
}

// Comparison is everything `capscore compare` prints.
type Comparison struct {
	Against     Against  `json:"against"`
	Aggregation string   `json:"aggregation"`
	Columns     []Column `json:"columns"`
	Steps       []Step   `json:"steps"`
	Warnings    []string `json:"warnings"`
}

// RubricRef names a rubric and its version.
type RubricRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

func refOf(r *rubric.Rubric) RubricRef { return RubricRef{r.ID, r.Version} }

// Column is one scored side.
type Column struct {
	Label    string        `json:"label"`
	File     string        `json:"file"`
	Country  string        `json:"country"`
	Code     string        `json:"code"`
	Revision string        `json:"revision"`
	AsOf     string        `json:"as_of"`
	Profile  string        `json:"profile"`
	Rubric   RubricRef     `json:"rubric"`
	Overall  *float64      `json:"overall"`
	Tier     *score.Tier   `json:"tier"`
	Coverage float64       `json:"coverage"`
	Pillars  []PillarScore `json:"pillars"`
	// Result is the full scored result, for printers that want more.
	Result *score.Result `json:"-"`
}

// PillarScore is one pillar's score in one column, with its weight
// (normalised among the pillars) and its contribution to the overall
// (nil when the aggregation gives none).
type PillarScore struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Score        *float64 `json:"score"`
	Weight       float64  `json:"weight"`
	Contribution *float64 `json:"contribution"`
}

// Delta is a value in the base column, in the later column, and the change.
// Change is nil when either side has no value.
type Delta struct {
	From   *float64 `json:"from"`
	To     *float64 `json:"to"`
	Change *float64 `json:"change"`
}

func delta(from, to *float64) Delta {
	d := Delta{From: from, To: to}
	if from != nil && to != nil {
		c := *to - *from
		d.Change = &c
	}
	return d
}

// Step compares one column with its base column.
type Step struct {
	From    int           `json:"from"`
	To      int           `json:"to"`
	Pillars []PillarDelta `json:"pillars"`
	Overall Delta         `json:"overall"`
	// WeightsDiffer reports whether the two columns weigh anything
	// differently (after normalisation among siblings).
	WeightsDiffer bool `json:"weights_differ"`
	// Attribution is nil when either column has no overall score.
	Attribution *Attribution `json:"attribution"`
	Changes     []Change     `json:"changes"`
	// Other is the part of the overall's change that no changed finding
	// carries: the criteria whose findings are unchanged but whose share
	// moved (other weights, a sibling added or dropped). Nil unless the
	// aggregation is arithmetic and both overalls exist.
	Other *float64 `json:"other_effect"`
	// Rubrics is nil when both columns use the same rubric.
	Rubrics *RubricDiff `json:"rubric_difference,omitempty"`
}

// PillarDelta is one pillar's change: of its score (inline), of its
// weight and of its contribution to the overall, so that a change of
// weights shows pillar by pillar even where no score moved.
type PillarDelta struct {
	ID string `json:"id"`
	Delta
	Weight       Delta `json:"weight"`
	Contribution Delta `json:"contribution"`
}

// Compare scores every side and compares each column with its base.
func Compare(sides []Side, opt Options) *Comparison {
	if opt.Against == "" {
		opt.Against = Previous
	}
	c := &Comparison{Against: opt.Against, Columns: make([]Column, len(sides)), Warnings: []string{}}
	scored := make([]Scored, len(sides))
	evals := map[evalKey]*score.Evaluation{}
	for i, s := range sides {
		key := evalKey{s.Rubric, s.Assessment}
		ev, ok := evals[key]
		if !ok {
			ev = score.Evaluate(s.Rubric, s.Assessment)
			evals[key] = ev
		}
		scored[i] = Scored{Rubric: s.Rubric, Assessment: s.Assessment, Evaluation: ev, Weights: s.Weights}
		res := score.Aggregate(s.Rubric, s.Assessment, ev, s.Weights, opt.Score)
		c.Columns[i] = column(s, res)
		if v := s.Assessment.RubricVersion; v != "" && v != s.Rubric.Version {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s: judged against rubric %s version %s but scored with version %s; levels may not mean the same", s.Assessment.File, s.Rubric.ID, v, s.Rubric.Version))
		}
		if s.Assessment.Rubric != s.Rubric.ID {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s: judged against rubric %s but scored with %s", s.Assessment.File, s.Assessment.Rubric, s.Rubric.ID))
		}
	}
	if len(sides) > 0 {
		c.Aggregation = string(opt.Score.Resolve(sides[0].Rubric).Aggregation)
	}
	for to := 1; to < len(sides); to++ {
		from := to - 1
		if opt.Against == First {
			from = 0
		}
		st := step(c.Columns, scored, from, to, opt.Score)
		if st.Rubrics != nil {
			c.Warnings = append(c.Warnings, st.Rubrics.Summary(c.Columns[from].Label, c.Columns[to].Label))
		}
		for _, ch := range st.Changes {
			if ch.Fact != nil && ch.Fact.Basis.Changed() {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s → %s: %s is not comparable: %s; its effect is not counted as evidence", c.Columns[from].Label, c.Columns[to].Label, ch.Criterion, basisReason(ch.Fact)))
			}
		}
		c.Steps = append(c.Steps, st)
	}
	return c
}

type evalKey struct {
	r *rubric.Rubric
	a *assessment.Assessment
}

func column(s Side, res *score.Result) Column {
	col := Column{
		Label: s.Label, File: res.File, Country: res.Country, Code: res.Code, Revision: res.Revision,
		AsOf: res.AsOf, Profile: s.Profile, Rubric: refOf(s.Rubric), Overall: res.Overall, Tier: res.Tier,
		Coverage: res.Coverage, Pillars: make([]PillarScore, len(res.Pillars)), Result: res,
	}
	for i, p := range res.Pillars {
		col.Pillars[i] = PillarScore{ID: p.ID, Title: p.Title, Score: p.Score, Weight: p.Weight, Contribution: p.Contribution}
	}
	return col
}

func step(cols []Column, scored []Scored, from, to int, opt score.Options) Step {
	a, b := cols[from], cols[to]
	st := Step{From: from, To: to, Overall: delta(a.Overall, b.Overall), Changes: []Change{}}
	for _, p := range b.Pillars {
		var fromScore, fromWeight, fromContribution *float64
		if q := findPillar(a.Pillars, p.ID); q != nil {
			fromScore, fromWeight, fromContribution = q.Score, &q.Weight, q.Contribution
		}
		st.Pillars = append(st.Pillars, PillarDelta{ID: p.ID, Delta: delta(fromScore, p.Score),
			Weight: delta(fromWeight, &p.Weight), Contribution: delta(fromContribution, p.Contribution)})
	}
	sa, sb := scored[from], scored[to]
	st.Rubrics = DiffRubrics(sa.Rubric, sb.Rubric)
	st.WeightsDiffer = weightsDiffer(sa, sb)
	st.Attribution = Attribute(sa, sb, opt)
	st.Changes = Findings(sa.Rubric, a.Result, sb.Rubric, b.Result, st.Rubrics)
	if st.Overall.Change != nil && opt.Resolve(sb.Rubric).Aggregation == rubric.Arithmetic {
		other := *st.Overall.Change
		for _, ch := range st.Changes {
			if ch.Effect != nil {
				other -= *ch.Effect
			}
		}
		if math.Abs(other) < 1e-9 {
			// Rounding noise of summing contributions, not a share that moved.
			other = 0
		}
		st.Other = &other
	}
	return st
}

func findPillar(ps []PillarScore, id string) *PillarScore {
	for i := range ps {
		if ps[i].ID == id {
			return &ps[i]
		}
	}
	return nil
}

// weightsDiffer compares the normalised weights of b with a's weights
// carried over to b's rubric.
func weightsDiffer(a, b Scored) bool {
	wa := weights.Carry(a.Rubric, a.Weights, b.Rubric, b.Weights)
	const tol = 1e-12
	differ := func(x, y []float64) bool {
		nx, ny := weights.Normalize(x), weights.Normalize(y)
		for i := range nx {
			if d := nx[i] - ny[i]; d > tol || d < -tol {
				return true
			}
		}
		return false
	}
	if differ(wa.Pillar, b.Weights.Pillar) {
		return true
	}
	for p := range wa.Criterion {
		if differ(wa.Criterion[p], b.Weights.Criterion[p]) {
			return true
		}
	}
	return false
}
