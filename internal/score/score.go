// Package score is the pure engine: it applies a rubric and effective
// weights to an assessment and returns criterion, pillar and overall scores
// and the tier. It does no I/O.
package score

import (
	"fmt"
	"math"
	"strings"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
)

// Options override the rubric's aggregation and missing rule when set.
type Options struct {
	Aggregation rubric.Aggregation
	Missing     rubric.Missing
}

// Resolve fills unset options from the rubric.
func (o Options) Resolve(r *rubric.Rubric) Options {
	if o.Aggregation == "" {
		o.Aggregation = r.Aggregation
	}
	if o.Missing == "" {
		o.Missing = r.Missing
	}
	return o
}

// Result is one scored assessment.
type Result struct {
	File     string   `json:"file"`
	Country  string   `json:"country"`
	Code     string   `json:"code"`
	Revision string   `json:"revision"`
	AsOf     string   `json:"as_of"`
	Overall  *float64 `json:"overall"`
	Tier     *Tier    `json:"tier"`
	Coverage float64  `json:"coverage"`
	Pillars  []Pillar `json:"pillars"`
	Warnings []string `json:"warnings"`
	// WarningPos places each warning, where it has a place in the file
	// (a capped finding's level); the zero Pos otherwise.
	WarningPos []diag.Pos             `json:"-"`
	Source     *assessment.Assessment `json:"-"`
}

// warn adds a warning that has no place of its own in the file.
func (r *Result) warn(msg string) {
	r.Warnings = append(r.Warnings, msg)
	r.WarningPos = append(r.WarningPos, diag.Pos{File: r.File})
}

// Diagnostics returns the warnings as positioned diagnostics: each at its
// place in the file where it has one, else at the file.
func (r *Result) Diagnostics() diag.List { return placed(r.File, r.Warnings, r.WarningPos) }

// Diagnostics returns the evaluation's warnings (capped findings) placed in
// file, for checks that score nothing.
func (ev *Evaluation) Diagnostics(file string) diag.List {
	return placed(file, ev.Warnings, ev.WarningPos)
}

func placed(file string, msgs []string, at []diag.Pos) diag.List {
	out := make(diag.List, len(msgs))
	for i, msg := range msgs {
		pos := diag.Pos{File: file}
		if i < len(at) && at[i].Line > 0 {
			pos = at[i]
		}
		out[i] = diag.Diagnostic{Pos: pos, Severity: diag.Warning, Msg: msg}
	}
	return out
}

// Tier is the tier an assessment lands in.
type Tier struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Pillar is one pillar's result. Weight is normalised among the pillars.
type Pillar struct {
	ID           string      `json:"id"`
	Title        string      `json:"title"`
	Weight       float64     `json:"weight"`
	Score        *float64    `json:"score"`
	Contribution *float64    `json:"contribution"`
	Criteria     []Criterion `json:"criteria"`
}

// Criterion is one criterion's result. Weight is normalised within its
// pillar; Level is the credited level.
type Criterion struct {
	ID            string   `json:"id"`
	Weight        float64  `json:"weight"`
	StatedLevel   *int     `json:"stated_level"`
	MeasuredLevel *int     `json:"measured_level,omitempty"`
	Level         *int     `json:"level"`
	Score         *float64 `json:"score"`
	Contribution  *float64 `json:"contribution"`
	Counted       bool     `json:"counted"`
	Capped        bool     `json:"capped,omitempty"`
	Sources       int      `json:"sources"`
	Confidence    string   `json:"confidence,omitempty"`
}

// Evaluation is the weight-independent part of scoring: every criterion's
// credited level and score. It is computed once per assessment and reused
// under any number of weight sets.
type Evaluation struct {
	// Scores[p][c] is the criterion score in [0,100]; Has[p][c] reports
	// whether the criterion has a credited level at all.
	Scores   [][]float64
	Has      [][]bool
	Criteria [][]Criterion
	Warnings []string
	// WarningPos places each warning in the assessment file.
	WarningPos []diag.Pos
}

// Evaluate credits every criterion of the rubric from the assessment.
func Evaluate(r *rubric.Rubric, a *assessment.Assessment) *Evaluation {
	ev := &Evaluation{
		Scores:   make([][]float64, len(r.Pillars)),
		Has:      make([][]bool, len(r.Pillars)),
		Criteria: make([][]Criterion, len(r.Pillars)),
	}
	// One array of each kind for the whole rubric, sliced per pillar: a
	// result's numbers are pointers, and one allocation for each would
	// dominate the cost of scoring.
	n := 0
	for _, pl := range r.Pillars {
		n += len(pl.Criteria)
	}
	scores, has, crits := make([]float64, n), make([]bool, n), make([]Criterion, n)
	slots := make([]slot, n)
	at := 0
	for p, pl := range r.Pillars {
		k := len(pl.Criteria)
		ev.Scores[p], ev.Has[p], ev.Criteria[p] = scores[at:at+k:at+k], has[at:at+k:at+k], crits[at:at+k:at+k]
		for c := range pl.Criteria {
			cr, warn, pos := credit(r, &pl.Criteria[c], a, &slots[at+c])
			ev.Criteria[p][c] = cr
			if cr.Score != nil {
				ev.Scores[p][c] = *cr.Score
				ev.Has[p][c] = true
			}
			if warn != "" {
				ev.Warnings = append(ev.Warnings, warn)
				ev.WarningPos = append(ev.WarningPos, pos)
			}
		}
		at += k
	}
	return ev
}

// slot holds the numbers one criterion's result points to.
type slot struct {
	measured, level int
	score           float64
}

// credit applies measured levels and the evidence rule to one criterion.
// A capped criterion comes back with a warning placed at the level that was
// lowered: the finding's level, else the finding, else the fact.
func credit(r *rubric.Rubric, c *rubric.Criterion, a *assessment.Assessment, sl *slot) (Criterion, string, diag.Pos) {
	out := Criterion{ID: c.ID}
	f := a.Findings[c.ID]
	var sources []string
	var pos diag.Pos
	if f != nil {
		out.StatedLevel = f.Level
		out.Confidence = string(f.Confidence)
		sources = f.CitedSources()
		pos = f.Pos
		if f.LevelPos.Line > 0 {
			pos = f.LevelPos
		}
	}
	stated := out.StatedLevel
	claimed := "stated"
	if c.Measure != nil {
		fact, ok := a.Facts[c.Measure.Fact]
		if !ok {
			return out, "", pos
		}
		sl.measured = c.Measure.Level(r.Scale.Min, fact.Value)
		out.MeasuredLevel = &sl.measured
		stated = &sl.measured
		claimed = "measured"
		sources = union(sources, fact.Sources)
		if f == nil {
			pos = fact.Pos
		}
	}
	out.Sources = len(sources)
	if stated == nil {
		return out, "", pos
	}
	level := min(max(*stated, r.Scale.Min), r.Scale.Max)
	for level > r.Scale.Min && len(sources) < r.RequiredSources(level) {
		level--
	}
	warn := ""
	if level < *stated {
		out.Capped = true
		cited := "none"
		if len(sources) > 0 {
			cited = strings.Join(sources, ", ")
		}
		warn = fmt.Sprintf("%s: %s level %d credited at %d: %d distinct source(s) cited (%s), level %d needs %d; cite more sources or lower the level",
			c.ID, claimed, *stated, level, len(sources), cited, *stated, r.RequiredSources(*stated))
	}
	sl.level = level
	sl.score = 100 * float64(level-r.Scale.Min) / float64(r.Scale.Max-r.Scale.Min)
	out.Level = &sl.level
	out.Score = &sl.score
	return out, warn, pos
}

func union(a, b []string) []string {
	var set assessment.IDSet
	set.Grow(len(a) + len(b))
	for _, ids := range [][]string{a, b} {
		for _, s := range ids {
			set.Add(s)
		}
	}
	return set.IDs()
}

// Score evaluates and aggregates one assessment.
func Score(r *rubric.Rubric, a *assessment.Assessment, w *weights.Set, opt Options) *Result {
	return Aggregate(r, a, Evaluate(r, a), w, opt)
}

// eps absorbs floating-point noise when a score is compared with a tier
// threshold, so 87.49999999999999 from a weighted mean of 87.5 still counts.
const eps = 1e-9

// Aggregate combines an evaluation under a weight set.
func Aggregate(r *rubric.Rubric, a *assessment.Assessment, ev *Evaluation, w *weights.Set, opt Options) *Result {
	opt = opt.Resolve(r)
	res := &Result{
		File: a.File, Country: a.Country, Code: a.Code, Revision: a.Revision, AsOf: a.AsOf.String(),
		Pillars: make([]Pillar, len(r.Pillars)), Warnings: append([]string{}, ev.Warnings...), Source: a,
		WarningPos: append([]diag.Pos{}, ev.WarningPos...),
	}
	pw := weights.Normalize(w.Pillar)
	// Weights take part in sums scaled by a power of two (see
	// weights.Scale): criterion weights by the largest counted one in
	// their pillar, pillar weights by the largest scored pillar's. No
	// finite weights can then overflow a sum, and a mean is the same
	// float64 as without scaling wherever that did not overflow.
	// One array holds the pillar scores, the scaled pillar weights and the
	// scaled criterion weights, pillar after pillar.
	np, n := len(r.Pillars), 0
	for _, pl := range r.Pillars {
		n += len(pl.Criteria)
	}
	buf := make([]float64, 2*np+n)
	sc, W, cs := buf[:np:np], buf[np:2*np:2*np], buf[2*np:]
	for p, pl := range r.Pillars {
		cw := weights.Normalize(w.Criterion[p])
		out := Pillar{ID: pl.ID, Title: pl.Title, Weight: pw[p], Criteria: make([]Criterion, len(pl.Criteria))}
		top := 0.0
		for c := range pl.Criteria {
			cr := ev.Criteria[p][c]
			cr.Weight = cw[c]
			switch {
			case ev.Has[p][c]:
				cr.Counted = true
				res.Coverage += pw[p] * cw[c]
			case opt.Missing == rubric.Zero:
				cr.Counted = true
				zero := 0.0
				cr.Score = &zero
			}
			if cr.Counted {
				top = max(top, w.Criterion[p][c])
			}
			out.Criteria[c] = cr
		}
		counted := cs[:len(pl.Criteria):len(pl.Criteria)]
		cs = cs[len(pl.Criteria):]
		var num, den float64
		if top > 0 {
			_, e := math.Frexp(top)
			for c := range pl.Criteria {
				if out.Criteria[c].Counted {
					counted[c] = weights.ScaleOne(w.Criterion[p][c], e)
					num += counted[c] * ev.Scores[p][c]
					den += counted[c]
				}
			}
		}
		if den > 0 {
			s := clamp(num / den)
			out.Score = &s
			sc[p] = s
		} else {
			res.warn(fmt.Sprintf("pillar %s: no criterion could be counted; it is unscored and left out of the overall", pl.ID))
		}
		res.Pillars[p] = out
	}
	// A sum of normalised shares can land a bit above 1 (1.0000000000000004).
	res.Coverage = min(res.Coverage, 1)
	top := 0.0
	for p := range res.Pillars {
		if res.Pillars[p].Score != nil {
			top = max(top, w.Pillar[p])
		}
	}
	var scoredW, arith, logSum float64
	zeroHit := false
	if top > 0 {
		_, e := math.Frexp(top)
		for p := range res.Pillars {
			if res.Pillars[p].Score == nil {
				continue
			}
			W[p] = weights.ScaleOne(w.Pillar[p], e)
			s := sc[p]
			scoredW += W[p]
			arith += W[p] * s
			if w.Pillar[p] > 0 {
				if s <= 0 {
					zeroHit = true
				} else {
					logSum += W[p] * math.Log(s)
				}
			}
		}
	}
	if scoredW > 0 {
		var o float64
		if opt.Aggregation == rubric.Geometric {
			if !zeroHit {
				o = clamp(math.Exp(logSum / scoredW))
			}
		} else {
			o = clamp(arith / scoredW)
		}
		res.Overall = &o
		if opt.Aggregation == rubric.Arithmetic {
			contributions(res, W, buf[2*np:], scoredW)
		}
	} else {
		res.warn("no pillar could be scored; there is no overall score")
	}
	res.Tier = tierOf(r, res)
	return res
}

// clamp keeps a weighted mean inside [0,100] where rounding in the last
// bit would push it out (a mean of 100s summing to 100.00000000000001).
func clamp(v float64) float64 { return min(max(v, 0), 100) }

// contributions splits the arithmetic overall into the points each pillar
// and each counted criterion adds; they sum to the overall. W and cs are
// the scaled pillar and counted criterion weights the means were taken
// with (cs pillar after pillar), scoredW the sum of W.
func contributions(res *Result, W, cs []float64, scoredW float64) {
	// The numbers live in one array; see Evaluate.
	n := len(res.Pillars)
	for _, pl := range res.Pillars {
		n += len(pl.Criteria)
	}
	nums := make([]float64, 0, n)
	ptr := func(v float64) *float64 {
		nums = append(nums, v)
		return &nums[len(nums)-1]
	}
	for p := range res.Pillars {
		pl := &res.Pillars[p]
		cw := cs[:len(pl.Criteria)]
		cs = cs[len(pl.Criteria):]
		if pl.Score == nil {
			continue
		}
		share := W[p] / scoredW
		pl.Contribution = ptr(share * *pl.Score)
		den := 0.0
		for i, cr := range pl.Criteria {
			if cr.Counted {
				den += cw[i]
			}
		}
		for i := range pl.Criteria {
			cr := &pl.Criteria[i]
			if cr.Counted {
				cr.Contribution = ptr(share * cw[i] / den * *cr.Score)
			}
		}
	}
}

func tierOf(r *rubric.Rubric, res *Result) *Tier {
	if res.Overall == nil {
		return nil
	}
	for _, t := range r.Tiers {
		if holds(t, res) {
			return &Tier{ID: t.ID, Label: t.Label}
		}
	}
	return nil
}

// holds reports whether every condition of tier t holds. Conditions are
// written so that a score that is not a number meets none of them.
func holds(t rubric.Tier, res *Result) bool {
	if t.OverallAtLeast != nil && !(*res.Overall >= *t.OverallAtLeast-eps) {
		return false
	}
	if t.EveryPillarAtLeast != nil {
		for _, p := range res.Pillars {
			if p.Score == nil || !(*p.Score >= *t.EveryPillarAtLeast-eps) {
				return false
			}
		}
	}
	if c := t.PillarsAtLeast; c != nil {
		n := 0
		for _, p := range res.Pillars {
			if p.Score != nil && *p.Score >= c.Score-eps {
				n++
			}
		}
		if n < c.Count {
			return false
		}
	}
	return true
}
