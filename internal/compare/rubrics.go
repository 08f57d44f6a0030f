package compare

import (
	"fmt"
	"slices"
	"strings"

	"github.com/capscore/capscore/internal/rubric"
)

// RubricDiff is how two rubrics differ where it matters to a comparison.
type RubricDiff struct {
	From RubricRef `json:"from"`
	To   RubricRef `json:"to"`
	// Notes are rubric-wide differences (version, scale, evidence rule,
	// tiers, aggregation) that touch every criterion or the overall.
	Notes []string `json:"notes"`
	// Criteria are the criteria whose levels cannot be set side by side.
	Criteria []Incomparable `json:"criteria"`
}

// Incomparable is one criterion that does not mean the same in both rubrics.
type Incomparable struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Reason returns why a criterion is not comparable, or "".
func (d *RubricDiff) Reason(id string) string {
	for _, c := range d.Criteria {
		if c.ID == id {
			return c.Reason
		}
	}
	return ""
}

// Summary is the one-line warning for a comparison across these rubrics.
func (d *RubricDiff) Summary(from, to string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s uses rubric %s %s and %s uses %s %s", from, d.From.ID, d.From.Version, to, d.To.ID, d.To.Version)
	if len(d.Notes) > 0 {
		b.WriteString("; " + strings.Join(d.Notes, "; "))
	}
	if n := len(d.Criteria); n > 0 {
		ids := make([]string, n)
		for i, c := range d.Criteria {
			ids[i] = c.ID
		}
		verb := "criteria are"
		if n == 1 {
			verb = "criterion is"
		}
		fmt.Fprintf(&b, "; %d %s not comparable: %s", n, verb, strings.Join(ids, ", "))
	} else {
		b.WriteString("; every criterion reads the same in both")
	}
	return b.String()
}

// DiffRubrics compares two rubrics, or returns nil when they are the same
// rubric (same id and version, and nothing that matters differs).
// Weights are not compared: a change of weights is attributed, not refused.
func DiffRubrics(a, b *rubric.Rubric) *RubricDiff {
	if a == b {
		return nil
	}
	d := &RubricDiff{From: refOf(a), To: refOf(b), Notes: []string{}, Criteria: []Incomparable{}}
	if a.ID != b.ID {
		d.Notes = append(d.Notes, fmt.Sprintf("rubric ids differ (%s, %s)", a.ID, b.ID))
	}
	if a.Version != b.Version {
		d.Notes = append(d.Notes, fmt.Sprintf("versions differ (%s, %s)", a.Version, b.Version))
	}
	scaleSame := a.Scale.Min == b.Scale.Min && a.Scale.Max == b.Scale.Max
	if !scaleSame {
		d.Notes = append(d.Notes, fmt.Sprintf("scales differ (%d..%d, %d..%d), so no level compares", a.Scale.Min, a.Scale.Max, b.Scale.Min, b.Scale.Max))
	}
	if !equalMinSources(a, b) {
		d.Notes = append(d.Notes, "the evidence rule (min_sources) differs, so credited levels may differ on the same evidence")
	}
	if a.Aggregation != b.Aggregation || a.Missing != b.Missing {
		d.Notes = append(d.Notes, fmt.Sprintf("aggregation or missing rule differs (%s/%s, %s/%s)", a.Aggregation, a.Missing, b.Aggregation, b.Missing))
	}
	if !equalTiers(a.Tiers, b.Tiers) {
		d.Notes = append(d.Notes, "tier ladders differ, so tiers do not compare")
	}
	for _, pl := range b.Pillars {
		for i := range pl.Criteria {
			cb := &pl.Criteria[i]
			ref, ok := a.Lookup(cb.ID)
			if !ok || ref.Criterion < 0 {
				d.add(cb.ID, fmt.Sprintf("only in %s %s", b.ID, b.Version))
				continue
			}
			ca := &a.Pillars[ref.Pillar].Criteria[ref.Criterion]
			switch {
			case !scaleSame:
				d.add(cb.ID, "the scales differ")
			case !sameMeasure(ca.Measure, cb.Measure):
				d.add(cb.ID, "measured differently: "+measureText(ca.Measure)+" against "+measureText(cb.Measure))
			case !slices.Equal(ca.Levels, cb.Levels):
				d.add(cb.ID, "the level descriptors differ")
			}
		}
	}
	for _, pl := range a.Pillars {
		for _, ca := range pl.Criteria {
			if ref, ok := b.Lookup(ca.ID); !ok || ref.Criterion < 0 {
				d.add(ca.ID, fmt.Sprintf("only in %s %s", a.ID, a.Version))
			}
		}
	}
	if len(d.Notes) == 0 && len(d.Criteria) == 0 {
		return nil
	}
	return d
}

func (d *RubricDiff) add(id, reason string) {
	d.Criteria = append(d.Criteria, Incomparable{ID: id, Reason: reason})
}

func equalMinSources(a, b *rubric.Rubric) bool {
	for l := min(a.Scale.Min, b.Scale.Min); l <= max(a.Scale.Max, b.Scale.Max); l++ {
		if a.RequiredSources(l) != b.RequiredSources(l) {
			return false
		}
	}
	return true
}

func equalTiers(a, b []rubric.Tier) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || !sameFloat(x.OverallAtLeast, y.OverallAtLeast) || !sameFloat(x.EveryPillarAtLeast, y.EveryPillarAtLeast) {
			return false
		}
		if (x.PillarsAtLeast == nil) != (y.PillarsAtLeast == nil) || x.PillarsAtLeast != nil && *x.PillarsAtLeast != *y.PillarsAtLeast {
			return false
		}
	}
	return true
}

func sameMeasure(a, b *rubric.Measure) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Fact == b.Fact && a.Unit == b.Unit && slices.Equal(a.Thresholds, b.Thresholds)
}

func measureText(m *rubric.Measure) string {
	if m == nil {
		return "judged"
	}
	ts := make([]string, len(m.Thresholds))
	for i, t := range m.Thresholds {
		ts[i] = fmt.Sprintf("%g", t)
	}
	return fmt.Sprintf("fact %s (%s) at %s", m.Fact, m.Unit, strings.Join(ts, "/"))
}
