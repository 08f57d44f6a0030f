// Package explain gathers why a criterion or pillar scores what it does:
// the rubric's question and descriptors, the finding, its evidence with
// full citations, the weights with their origin, and the share of the
// overall score it carries. It only assembles; the numbers come from score.
package explain

import (
	"fmt"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Explanation is the whole answer to "why this score".
type Explanation struct {
	File      string      `json:"file"`
	Country   string      `json:"country"`
	Revision  string      `json:"revision"`
	AsOf      string      `json:"as_of"`
	Overall   *float64    `json:"overall"`
	Tier      *score.Tier `json:"tier"`
	Scale     []Level     `json:"scale"`
	Criterion *Criterion  `json:"criterion,omitempty"`
	Pillar    *Pillar     `json:"pillar,omitempty"`
}

// Weight is a weight as set, normalised among siblings, and as a share of
// the overall score's total weight.
type Weight struct {
	Relative   float64 `json:"relative"`
	Normalised float64 `json:"normalised"`
	OfOverall  float64 `json:"of_overall"`
	Origin     string  `json:"origin"`
	Reason     string  `json:"reason,omitempty"`
}

// Level is one rung of the scale with the criterion's descriptor.
type Level struct {
	Level      int    `json:"level"`
	Label      string `json:"label"`
	Descriptor string `json:"descriptor,omitempty"`
	Stated     bool   `json:"stated,omitempty"`
	Credited   bool   `json:"credited,omitempty"`
}

// Citation is a source in full.
type Citation struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Author    string `json:"author,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
	URL       string `json:"url,omitempty"`
}

// Claim is one piece of evidence with its citations.
type Claim struct {
	Claim   string     `json:"claim"`
	Sources []Citation `json:"sources"`
}

// Measure is a measured criterion's fact against its thresholds. Level is
// the level the value reaches; it stands in for a stated level.
type Measure struct {
	Fact       string    `json:"fact"`
	Unit       string    `json:"unit,omitempty"`
	Thresholds []float64 `json:"thresholds"`
	Value      *float64  `json:"value"`
	Level      *int      `json:"level,omitempty"`
	AsOf       string    `json:"as_of,omitempty"`
	Note       string    `json:"note,omitempty"`
	// Counts is what the rubric counts; Basis what this fact counted.
	Counts  string     `json:"counts,omitempty"`
	Basis   string     `json:"basis,omitempty"`
	Sources []Citation `json:"sources,omitempty"`
}

// Criterion explains one criterion.
type Criterion struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Question    string  `json:"question"`
	Pillar      string  `json:"pillar"`
	PillarTitle string  `json:"pillar_title"`
	Weight      Weight  `json:"weight"`
	Levels      []Level `json:"levels"`
	// LevelRule is the rubric's rule for a level met only in part; set
	// for judged criteria.
	LevelRule      string   `json:"level_rule,omitempty"`
	Measure        *Measure `json:"measure,omitempty"`
	StatedLevel    *int     `json:"stated_level"`
	Level          *int     `json:"level"`
	Capped         bool     `json:"capped"`
	RequiredForLvl int      `json:"sources_required"`
	SourcesCited   int      `json:"sources_cited"`
	Confidence     string   `json:"confidence,omitempty"`
	Rationale      string   `json:"rationale,omitempty"`
	Change         string   `json:"change,omitempty"`
	Evidence       []Claim  `json:"evidence"`
	Counted        bool     `json:"counted"`
	Score          *float64 `json:"score"`
	Contribution   *float64 `json:"contribution"`
	Share          *float64 `json:"share_of_overall"`
}

// Row is one criterion in a pillar's explanation. MeasuredLevel is set
// for a measured criterion whose fact is given: the evidence rule caps it
// instead of the stated level.
type Row struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	Weight        Weight   `json:"weight"`
	StatedLevel   *int     `json:"stated_level"`
	MeasuredLevel *int     `json:"measured_level,omitempty"`
	Level         *int     `json:"level"`
	Capped        bool     `json:"capped"`
	Confidence    string   `json:"confidence,omitempty"`
	Score         *float64 `json:"score"`
	Contribution  *float64 `json:"contribution"`
	Share         *float64 `json:"share_of_overall"`
}

// Pillar explains one pillar.
type Pillar struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Description  string   `json:"description,omitempty"`
	Weight       Weight   `json:"weight"`
	Score        *float64 `json:"score"`
	Contribution *float64 `json:"contribution"`
	Share        *float64 `json:"share_of_overall"`
	Criteria     []Row    `json:"criteria"`
}

// Build explains id (a criterion or pillar) for one scored assessment.
func Build(r *rubric.Rubric, a *assessment.Assessment, w *weights.Set, res *score.Result, id string) (*Explanation, error) {
	ref, ok := r.Lookup(id)
	if !ok {
		return nil, fmt.Errorf("%q is neither a pillar nor a criterion of rubric %s%s", id, r.ID, diag.DidYouMean(id, r.IDs()))
	}
	ex := &Explanation{File: a.File, Country: a.Country, Revision: a.Revision, AsOf: a.AsOf.String(), Overall: res.Overall, Tier: res.Tier}
	for l := r.Scale.Min; l <= r.Scale.Max; l++ {
		ex.Scale = append(ex.Scale, Level{Level: l, Label: r.Scale.Label(l)})
	}
	pl := &r.Pillars[ref.Pillar]
	pr := res.Pillars[ref.Pillar]
	pw := Weight{
		Relative: w.Pillar[ref.Pillar], Normalised: pr.Weight, OfOverall: pillarShare(res, ref.Pillar),
		Origin: w.PillarOrigin[ref.Pillar].String(), Reason: pl.WeightReason,
	}
	if ref.Criterion < 0 {
		p := &Pillar{ID: pl.ID, Title: pl.Title, Description: pl.Description, Weight: pw,
			Score: pr.Score, Contribution: pr.Contribution, Share: share(pr.Contribution, res.Overall)}
		for c := range pl.Criteria {
			cr := pr.Criteria[c]
			p.Criteria = append(p.Criteria, Row{
				ID: cr.ID, Title: pl.Criteria[c].Title, Weight: critWeight(res, pl, w, pr, ref.Pillar, c),
				StatedLevel: cr.StatedLevel, MeasuredLevel: cr.MeasuredLevel, Level: cr.Level, Capped: cr.Capped, Confidence: cr.Confidence,
				Score: cr.Score, Contribution: cr.Contribution, Share: share(cr.Contribution, res.Overall),
			})
		}
		ex.Pillar = p
		return ex, nil
	}
	c := &pl.Criteria[ref.Criterion]
	cr := pr.Criteria[ref.Criterion]
	out := &Criterion{
		ID: c.ID, Title: c.Title, Question: c.Question, Pillar: pl.ID, PillarTitle: pl.Title,
		Weight:      critWeight(res, pl, w, pr, ref.Pillar, ref.Criterion),
		StatedLevel: cr.StatedLevel, Level: cr.Level, Capped: cr.Capped, SourcesCited: cr.Sources,
		Confidence: cr.Confidence, Counted: cr.Counted, Score: cr.Score, Contribution: cr.Contribution,
		Share: share(cr.Contribution, res.Overall), Evidence: []Claim{},
	}
	stated := cr.StatedLevel
	if cr.MeasuredLevel != nil {
		stated = cr.MeasuredLevel
	}
	if stated != nil {
		out.RequiredForLvl = r.RequiredSources(*stated)
	}
	for l := r.Scale.Min; l <= r.Scale.Max; l++ {
		out.Levels = append(out.Levels, Level{
			Level: l, Label: r.Scale.Label(l), Descriptor: c.Descriptor(r.Scale, l),
			Stated: stated != nil && *stated == l, Credited: cr.Level != nil && *cr.Level == l,
		})
	}
	if c.Measure == nil {
		out.LevelRule = r.LevelRule
	}
	if m := c.Measure; m != nil {
		out.Measure = &Measure{Fact: m.Fact, Unit: m.Unit, Thresholds: m.Thresholds, Counts: m.Basis}
		if f, ok := a.Facts[m.Fact]; ok {
			v := f.Value
			out.Measure.Value, out.Measure.AsOf, out.Measure.Note, out.Measure.Basis = &v, f.AsOf.String(), f.Note, f.Basis
			out.Measure.Level = cr.MeasuredLevel
			out.Measure.Sources = cite(a, f.Sources)
		}
	}
	if f := a.Findings[c.ID]; f != nil {
		out.Rationale, out.Change = f.Rationale, f.Change
		for _, cl := range f.Evidence {
			out.Evidence = append(out.Evidence, Claim{Claim: cl.Claim, Sources: cite(a, cl.Sources)})
		}
	}
	ex.Criterion = out
	return ex, nil
}

// pillarShare is pillar p's share of the overall: its weight among the
// scored pillars, which alone make the overall; 0 when it is unscored.
func pillarShare(res *score.Result, p int) float64 {
	if res.Pillars[p].Score == nil {
		return 0
	}
	sum, all := 0.0, true
	for _, q := range res.Pillars {
		if q.Score != nil {
			sum += q.Weight
		} else {
			all = false
		}
	}
	switch {
	case all:
		return res.Pillars[p].Weight // already a share of the whole
	case sum == 0:
		return 0
	}
	return res.Pillars[p].Weight / sum
}

// criterionShare is criterion c's share of its pillar's score: its weight
// among the counted criteria; 0 when it is not counted.
func criterionShare(pr score.Pillar, c int) float64 {
	if !pr.Criteria[c].Counted {
		return 0
	}
	sum, all := 0.0, true
	for _, x := range pr.Criteria {
		if x.Counted {
			sum += x.Weight
		} else {
			all = false
		}
	}
	switch {
	case all:
		return pr.Criteria[c].Weight
	case sum == 0:
		return 0
	}
	return pr.Criteria[c].Weight / sum
}

func critWeight(res *score.Result, pl *rubric.Pillar, w *weights.Set, pr score.Pillar, p, c int) Weight {
	return Weight{
		Relative: w.Criterion[p][c], Normalised: pr.Criteria[c].Weight, OfOverall: pillarShare(res, p) * criterionShare(pr, c),
		Origin: w.CriterionOrigin[p][c].String(), Reason: pl.Criteria[c].WeightReason,
	}
}

func share(part, overall *float64) *float64 {
	if part == nil || overall == nil || *overall == 0 {
		return nil
	}
	s := *part / *overall
	return &s
}

func cite(a *assessment.Assessment, ids []string) []Citation {
	out := make([]Citation, 0, len(ids))
	for _, id := range ids {
		s, ok := a.Sources[id]
		if !ok {
			out = append(out, Citation{ID: id, Title: "(not defined)"})
			continue
		}
		out = append(out, Citation{ID: id, Title: s.Title, Author: s.Author, Publisher: s.Publisher, Date: s.Date.String(), URL: s.URL})
	}
	return out
}
