package weights

import "github.com/capscore/capscore/internal/rubric"

// Effective is one pillar's or criterion's weight as it takes part in
// scoring: as set, normalised among its siblings, and as a share of the
// overall score's total weight.
type Effective struct {
	ID string
	// Pillar is the parent pillar's index; Criterion is -1 for a pillar.
	Pillar, Criterion int
	Relative          float64
	Normalised        float64
	// OfOverall is the pillar's normalised weight times the criterion's
	// within it: the share of the overall a full score would carry.
	OfOverall float64
	Origin    Origin
}

// Effective lists every weight, each pillar followed by its criteria, in
// rubric order.
func (s *Set) Effective(r *rubric.Rubric) []Effective {
	var out []Effective
	pw := Normalize(s.Pillar)
	for p, pl := range r.Pillars {
		out = append(out, Effective{ID: pl.ID, Pillar: p, Criterion: -1,
			Relative: s.Pillar[p], Normalised: pw[p], OfOverall: pw[p], Origin: s.PillarOrigin[p]})
		cw := Normalize(s.Criterion[p])
		for c, cr := range pl.Criteria {
			out = append(out, Effective{ID: cr.ID, Pillar: p, Criterion: c,
				Relative: s.Criterion[p][c], Normalised: cw[c], OfOverall: pw[p] * cw[c], Origin: s.CriterionOrigin[p][c]})
		}
	}
	return out
}
