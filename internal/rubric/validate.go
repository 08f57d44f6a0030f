package rubric

import (
	"fmt"
	"strings"

	"github.com/capscore/capscore/internal/diag"
	"go.yaml.in/yaml/v3"
)

// validate checks what spans the whole file, once it is decoded.
func (p *parser) validate(root *yaml.Node) {
	rd, r := p.rd, p.r
	p.checkScaled()
	for _, level := range sortedLevels(p.minSourceKey) {
		k := p.minSourceKey[level]
		if p.scaleOK && (level < r.Scale.Min || level > r.Scale.Max) {
			rd.Errorf(k, "evidence.min_sources: level %d is off the scale %d..%d", level, r.Scale.Min, r.Scale.Max)
		}
	}
	p.checkPillarSet(root)

	seen := map[string]diag.Pos{}
	pillarWeights := 0.0
	for _, pl := range r.Pillars {
		pillarWeights += pl.Weight
		if pl.ID != "" {
			seen[pl.ID] = pl.Pos
		}
	}
	for _, pl := range r.Pillars {
		sum := 0.0
		for _, c := range pl.Criteria {
			sum += c.Weight
			if c.ID == "" {
				continue
			}
			if !ValidID(c.ID) {
				rd.ErrorAt(c.Pos, "criterion id %q: use lowercase kebab-case (letters, digits, hyphens), no dots", c.ID)
			}
			if first, dup := seen[c.ID]; dup {
				rd.ErrorAt(c.Pos, "criterion id %q is already used at %s; ids are unique across the rubric", c.ID, first)
				continue
			}
			seen[c.ID] = c.Pos
		}
		if len(pl.Criteria) > 0 && sum == 0 {
			rd.ErrorAt(pl.Pos, "pillar %s: every criterion weight is 0; at least one must be above 0", pl.ID)
		}
		for _, c := range pl.Criteria {
			if c.Weight != pl.Criteria[0].Weight && c.WeightReason == "" {
				rd.WarnAt(c.Pos, "criterion %s: its weight differs from its siblings' without a weight_reason; say why", c.ID)
			}
		}
	}
	if len(r.Pillars) > 0 && pillarWeights == 0 {
		rd.Errorf(root, "every pillar weight is 0; at least one must be above 0")
	}
	ids := r.IDs()
	for _, prof := range r.Profiles {
		for _, s := range prof.Weights {
			if _, ok := r.Lookup(s.ID); !ok {
				rd.ErrorAt(s.Pos, "profile %s: unknown pillar or criterion %q%s", prof.Name, s.ID, diag.DidYouMean(s.ID, ids))
			}
			if s.Value < 0 {
				rd.ErrorAt(s.Pos, "profile %s: weight %s=%g is negative", prof.Name, s.ID, s.Value)
			}
		}
	}
}

// checkPillarSet insists on exactly the seven pillars, in order.
func (p *parser) checkPillarSet(root *yaml.Node) {
	rd, r := p.rd, p.r
	canon := Pillars()
	names := make([]string, len(canon))
	for i, c := range canon {
		names[i] = c.ID
	}
	have := map[string]bool{}
	for _, pl := range r.Pillars {
		if pl.ID == "" {
			continue
		}
		if have[pl.ID] {
			rd.ErrorAt(pl.Pos, "pillar %q appears twice; each of the seven pillars appears once", pl.ID)
			continue
		}
		have[pl.ID] = true
		known := false
		for _, n := range names {
			known = known || n == pl.ID
		}
		if !known {
			rd.ErrorAt(pl.Pos, "unknown pillar %q%s; a rubric has exactly the pillars %s", pl.ID, diag.DidYouMean(pl.ID, names), strings.Join(names, ", "))
		}
	}
	var missing []string
	for _, n := range names {
		if !have[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		rd.Errorf(root, "pillars: missing %s; a rubric may drop no pillar", strings.Join(missing, ", "))
		return
	}
	for i, pl := range r.Pillars {
		if i < len(names) && pl.ID != names[i] {
			rd.ErrorAt(pl.Pos, "pillar %q is out of order: pillars go %s", pl.ID, strings.Join(names, ", "))
			return
		}
	}
}

// String names the rubric for messages.
func (r *Rubric) String() string { return fmt.Sprintf("%s %s", r.ID, r.Version) }
