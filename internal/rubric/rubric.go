// Package rubric holds the model of a scoring rubric (what is judged and how
// much it counts) and reads it from YAML with positions.
package rubric

import (
	"sort"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/textrule"
)

// Canonical is one of the seven pillars every rubric has, in order.
type Canonical struct{ ID, Title string }

// Pillars returns the seven pillars of the IISS net assessment, in order.
func Pillars() []Canonical {
	return []Canonical{
		{"strategy", "Strategy and doctrine"},
		{"governance", "Governance, command and control"},
		{"intelligence", "Core cyber-intelligence capability"},
		{"empowerment", "Cyber empowerment and dependence"},
		{"resilience", "Cyber security and resilience"},
		{"leadership", "Global leadership in cyberspace affairs"},
		{"offence", "Offensive cyber capability"},
	}
}

// Aggregation combines pillar scores into the overall score.
type Aggregation string

// Missing says how a criterion without a finding counts.
type Missing string

const (
	Arithmetic Aggregation = "arithmetic"
	Geometric  Aggregation = "geometric"

	Exclude Missing = "exclude"
	Zero    Missing = "zero"
)

// Rubric is a whole rubric file.
type Rubric struct {
	File        string
	ID          string
	Version     string
	Title       string
	Description string
	// LevelRule is the written rule for a judged level whose conditions
	// are met only in part; explain shows it beside every judged finding.
	LevelRule   string
	Scale       Scale
	Aggregation Aggregation
	Missing     Missing
	// MinSources maps a level to the distinct sources needed to be credited
	// at it or above.
	MinSources map[int]int
	Tiers      []Tier
	Profiles   []Profile
	Pillars    []Pillar
}

// Scale is the ordinal scale every criterion is judged on.
type Scale struct {
	Min, Max int
	Labels   map[int]string
}

// Label names a level, or "" when the scale has no label for it.
func (s Scale) Label(level int) string { return s.Labels[level] }

// Tier is one rung of the tier ladder; nil conditions do not apply.
type Tier struct {
	ID                 string
	Label              string
	OverallAtLeast     *float64
	EveryPillarAtLeast *float64
	PillarsAtLeast     *CountAtLeast
	Pos                diag.Pos
}

// CountAtLeast asks for Count pillars scoring at least Score.
type CountAtLeast struct {
	Count int
	Score float64
}

// Profile is a named set of weight overrides.
type Profile struct {
	Name    string
	Reason  string
	Weights []Setting
	Pos     diag.Pos
}

// Setting is one id=value weight with the place it was written.
type Setting struct {
	ID    string
	Value float64
	Pos   diag.Pos
}

// Pillar is one of the seven pillars with its criteria.
type Pillar struct {
	ID           string
	Title        string
	Description  string
	Weight       float64
	WeightReason string
	Criteria     []Criterion
	Pos          diag.Pos
}

// Criterion is one judged question.
type Criterion struct {
	ID           string
	Title        string
	Question     string
	Weight       float64
	WeightReason string
	// Levels holds one descriptor per scale level, indexed by level-Scale.Min.
	Levels  []string
	Measure *Measure
	Pos     diag.Pos
}

// Measure makes a criterion's level come from a fact.
type Measure struct {
	Fact       string
	Unit       string
	Thresholds []float64
	// MaxAge is how many years old the fact may be at the assessment's
	// as_of before audit calls it stale; 0 leaves it to audit's --stale.
	MaxAge int
	// Basis says what the fact counts and on whose figures. When it is
	// set, every fact the measure reads must state its own basis, so a
	// change of counting shows instead of passing for a change of level.
	Basis string
}

// Level returns min plus the number of thresholds value reaches.
func (m *Measure) Level(min int, value float64) int {
	l := min
	for _, t := range m.Thresholds {
		if value >= t {
			l++
		}
	}
	return l
}

// Descriptor returns the descriptor of a level, or "".
func (c *Criterion) Descriptor(s Scale, level int) string {
	i := level - s.Min
	if i < 0 || i >= len(c.Levels) {
		return ""
	}
	return c.Levels[i]
}

// RequiredSources is req(ℓ) = max{min_sources[k] : k ≤ ℓ}, 0 where no key ≤ ℓ.
func (r *Rubric) RequiredSources(level int) int {
	req := 0
	for k, n := range r.MinSources {
		if k <= level && n > req {
			req = n
		}
	}
	return req
}

// Ref locates a pillar or criterion by id.
type Ref struct {
	Pillar    int
	Criterion int // -1 for the pillar itself
}

// Lookup finds a pillar or criterion id, compared in NFC like every id
// (see textrule.ID), so an id typed in another form is found.
func (r *Rubric) Lookup(id string) (Ref, bool) {
	id = textrule.ID(id)
	for p := range r.Pillars {
		if r.Pillars[p].ID == id {
			return Ref{p, -1}, true
		}
		for c := range r.Pillars[p].Criteria {
			if r.Pillars[p].Criteria[c].ID == id {
				return Ref{p, c}, true
			}
		}
	}
	return Ref{}, false
}

// IDs lists every pillar and criterion id, pillars first, in rubric order.
func (r *Rubric) IDs() []string {
	var ids []string
	for _, p := range r.Pillars {
		ids = append(ids, p.ID)
	}
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// CriterionIDs lists every criterion id in rubric order.
func (r *Rubric) CriterionIDs() []string {
	var ids []string
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// Profile returns the named profile; names are compared in NFC.
func (r *Rubric) Profile(name string) (*Profile, bool) {
	name = textrule.ID(name)
	for i := range r.Profiles {
		if r.Profiles[i].Name == name {
			return &r.Profiles[i], true
		}
	}
	return nil, false
}

// ProfileNames lists profile names in file order.
func (r *Rubric) ProfileNames() []string {
	names := make([]string, len(r.Profiles))
	for i, p := range r.Profiles {
		names[i] = p.Name
	}
	return names
}

// MinSourceLevels returns the levels that carry a source requirement, sorted.
func (r *Rubric) MinSourceLevels() []int {
	ks := make([]int, 0, len(r.MinSources))
	for k := range r.MinSources {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}
