package weights

import (
	"slices"

	"github.com/capscore/capscore/internal/rubric"
)

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

// Use is one layer's part in a weight set: the layer, the profile, config
// file or variable within it, and the pillars and criteria whose weight in
// force it set, in rubric order.
type Use struct {
	Layer Layer
	Name  string
	IDs   []string
}

// Uses lists every layer that set a weight in force, weakest first; the
// rubric's own comes first whether or not any of its weights is left.
// Layers whose every weight a stronger one replaced are not listed: they
// shape nothing.
func (s *Set) Uses(r *rubric.Rubric) []Use {
	out := []Use{{Layer: Default}}
	add := func(id string, o Origin) {
		if o.Layer == Default {
			out[0].IDs = append(out[0].IDs, id)
			return
		}
		for i := range out {
			if out[i].Layer == o.Layer && out[i].Name == o.Name {
				out[i].IDs = append(out[i].IDs, id)
				return
			}
		}
		out = append(out, Use{Layer: o.Layer, Name: o.Name, IDs: []string{id}})
	}
	for p, pl := range r.Pillars {
		add(pl.ID, s.PillarOrigin[p])
		for c, cr := range pl.Criteria {
			add(cr.ID, s.CriterionOrigin[p][c])
		}
	}
	// Weakest first; within a layer, in the order first met.
	slices.SortStableFunc(out, func(a, b Use) int { return a.Layer.Rank() - b.Layer.Rank() })
	return out
}
