package rubric

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/textrule"
	"github.com/capscore/capscore/internal/yamlread"
	"go.yaml.in/yaml/v3"
)

// ValidID reports whether s is a lowercase kebab-case id: runs of a–z and
// 0–9 joined by single hyphens.
func ValidID(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// Parse reads and validates a rubric. The rubric is nil when the file could
// not be decoded at all; otherwise it is returned even with errors so that
// callers can report everything at once.
func Parse(file string, data []byte) (*Rubric, diag.List) {
	rd, root := yamlread.Parse(file, data)
	if root == nil {
		return nil, rd.Diags
	}
	r := &Rubric{File: rd.File, Aggregation: Arithmetic, Missing: Exclude, MinSources: map[int]int{}}
	p := parser{rd: rd, r: r}
	p.decode(root)
	if !rd.Exhausted() {
		p.validate(root)
	}
	return r, rd.Diags
}

type parser struct {
	rd *yamlread.Reader
	r  *Rubric
	// Level descriptors and thresholds depend on the scale, which may come
	// later in the file, so they are checked after the whole file is read.
	pending      []pendingCriterion
	minSourceKey map[int]*yaml.Node
	// scaleOK is false when the scale is missing or broken; what is
	// checked against the scale is then skipped rather than reported once
	// per level against a scale that is not the author's.
	scaleOK bool
}

type pendingCriterion struct {
	pillar, criterion int
	what              string
	node, levels      *yaml.Node
	thresholds        *yaml.Node
}

func (p *parser) str(dst *string, what string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if s, ok := p.rd.String(n, what); ok {
			*dst = s
		}
	}
}

// id is str for ids, which are compared in NFC (see textrule.ID).
func (p *parser) id(dst *string, what string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if s, ok := p.rd.String(n, what); ok {
			*dst = textrule.ID(s)
		}
	}
}

func (p *parser) decode(root *yaml.Node) {
	rd, r := p.rd, p.r
	p.minSourceKey = map[int]*yaml.Node{}
	rd.Object(root, "rubric",
		yamlread.Field{Key: "id", Required: true, Decode: func(n *yaml.Node) {
			if s, ok := rd.String(n, "id"); ok {
				s = textrule.ID(s)
				r.ID = s
				if !ValidID(s) {
					rd.Errorf(n, "id %q: use lowercase kebab-case (letters, digits, hyphens)", s)
				}
			}
		}},
		yamlread.Field{Key: "version", Required: true, Decode: p.str(&r.Version, "version")},
		yamlread.Field{Key: "title", Required: true, Decode: p.str(&r.Title, "title")},
		yamlread.Field{Key: "description", Decode: p.str(&r.Description, "description")},
		yamlread.Field{Key: "level_rule", Decode: p.str(&r.LevelRule, "level_rule")},
		yamlread.Field{Key: "scale", Required: true, Decode: p.scale},
		yamlread.Field{Key: "aggregation", Decode: func(n *yaml.Node) {
			if s, ok := rd.String(n, "aggregation"); ok {
				if a, err := ParseAggregation(s); err != nil {
					rd.Errorf(n, "%v", err)
				} else {
					r.Aggregation = a
				}
			}
		}},
		yamlread.Field{Key: "missing", Decode: func(n *yaml.Node) {
			if s, ok := rd.String(n, "missing"); ok {
				if m, err := ParseMissing(s); err != nil {
					rd.Errorf(n, "%v", err)
				} else {
					r.Missing = m
				}
			}
		}},
		yamlread.Field{Key: "evidence", Decode: func(n *yaml.Node) {
			rd.Object(n, "evidence", yamlread.Field{Key: "min_sources", Decode: func(n *yaml.Node) {
				rd.Entries(n, "evidence.min_sources", func(key string, k, v *yaml.Node) {
					level, err := strconv.Atoi(key)
					if err != nil {
						rd.Errorf(k, "evidence.min_sources: key %q is not a level", key)
						return
					}
					if c, ok := rd.Int(v, "evidence.min_sources."+key); ok {
						if c < 0 {
							rd.Errorf(v, "evidence.min_sources.%s: %d sources is negative", key, c)
							return
						}
						r.MinSources[level] = c
						p.minSourceKey[level] = k
					}
				})
			}})
		}},
		yamlread.Field{Key: "tiers", Required: true, Decode: p.tiers},
		yamlread.Field{Key: "profiles", Decode: p.profiles},
		yamlread.Field{Key: "pillars", Required: true, Decode: p.pillars},
	)
}

// ParseAggregation checks an aggregation name.
func ParseAggregation(s string) (Aggregation, error) {
	switch a := Aggregation(s); a {
	case Arithmetic, Geometric:
		return a, nil
	}
	return "", fmt.Errorf("aggregation %q: use arithmetic or geometric", s)
}

// ParseMissing checks a missing-criterion rule.
func ParseMissing(s string) (Missing, error) {
	switch m := Missing(s); m {
	case Exclude, Zero:
		return m, nil
	}
	return "", fmt.Errorf("missing %q: use exclude or zero", s)
}

func (p *parser) scale(n *yaml.Node) {
	rd, s := p.rd, &p.r.Scale
	s.Labels = map[int]string{}
	var maxN *yaml.Node
	minOK, maxOK := false, false
	rd.Object(n, "scale",
		yamlread.Field{Key: "min", Required: true, Decode: func(v *yaml.Node) {
			s.Min, minOK = rd.Int(v, "scale.min")
		}},
		yamlread.Field{Key: "max", Required: true, Decode: func(v *yaml.Node) {
			maxN = v
			s.Max, maxOK = rd.Int(v, "scale.max")
		}},
		yamlread.Field{Key: "labels", Decode: func(v *yaml.Node) {
			rd.Entries(v, "scale.labels", func(key string, k, v *yaml.Node) {
				l, err := strconv.Atoi(key)
				if err != nil {
					rd.Errorf(k, "scale.labels: key %q is not a level", key)
					return
				}
				if t, ok := rd.String(v, "scale.labels."+key); ok {
					s.Labels[l] = t
				}
			})
		}},
	)
	p.scaleOK = minOK && maxOK
	if p.scaleOK && s.Max <= s.Min {
		rd.Errorf(maxN, "scale: max %d must be above min %d", s.Max, s.Min)
		s.Max = s.Min + 1
		p.scaleOK = false
	}
	if p.scaleOK && s.Max-s.Min > 100 {
		rd.Errorf(maxN, "scale: %d levels is too many; an ordinal scale has at most 101", s.Max-s.Min+1)
		s.Max = s.Min + 100
		p.scaleOK = false
	}
	if !p.scaleOK {
		return
	}
	for _, l := range sortedLevels(s.Labels) {
		if l < s.Min || l > s.Max {
			rd.Errorf(n, "scale.labels: level %d is off the scale %d..%d", l, s.Min, s.Max)
		}
	}
}

func (p *parser) score(n *yaml.Node, what string) *float64 {
	v, ok := p.rd.Float(n, what)
	if !ok {
		return nil
	}
	if v < 0 || v > 100 {
		p.rd.Errorf(n, "%s: %g is outside 0..100", what, v)
	}
	return &v
}

func (p *parser) tiers(n *yaml.Node) {
	rd := p.rd
	seen := map[string]bool{}
	rd.Seq(n, "tiers", func(i int, item *yaml.Node) {
		t := Tier{Pos: rd.Pos(item)}
		what := fmt.Sprintf("tiers[%d]", i)
		rd.Object(item, what,
			yamlread.Field{Key: "id", Required: true, Decode: p.id(&t.ID, what+".id")},
			yamlread.Field{Key: "label", Required: true, Decode: p.str(&t.Label, what+".label")},
			yamlread.Field{Key: "overall_at_least", Decode: func(v *yaml.Node) {
				t.OverallAtLeast = p.score(v, what+".overall_at_least")
			}},
			yamlread.Field{Key: "every_pillar_at_least", Decode: func(v *yaml.Node) {
				t.EveryPillarAtLeast = p.score(v, what+".every_pillar_at_least")
			}},
			yamlread.Field{Key: "pillars_at_least", Decode: func(v *yaml.Node) {
				c := CountAtLeast{}
				ok := true
				rd.Object(v, what+".pillars_at_least",
					yamlread.Field{Key: "count", Required: true, Decode: func(v *yaml.Node) {
						var good bool
						c.Count, good = rd.Int(v, what+".pillars_at_least.count")
						if good && (c.Count < 1 || c.Count > len(Pillars())) {
							rd.Errorf(v, "%s.pillars_at_least.count: %d is outside 1..%d", what, c.Count, len(Pillars()))
						}
						ok = ok && good
					}},
					yamlread.Field{Key: "score", Required: true, Decode: func(v *yaml.Node) {
						s := p.score(v, what+".pillars_at_least.score")
						if s == nil {
							ok = false
							return
						}
						c.Score = *s
					}},
				)
				if ok {
					t.PillarsAtLeast = &c
				}
			}},
		)
		if t.ID != "" && seen[t.ID] {
			rd.Errorf(item, "%s: duplicate tier id %q", what, t.ID)
		}
		seen[t.ID] = true
		p.r.Tiers = append(p.r.Tiers, t)
	})
	// The last tier may have conditions: an assessment that meets none
	// has no tier, rather than a catch-all label it has not earned.
	if len(p.r.Tiers) == 0 {
		rd.Errorf(n, "tiers: at least one tier is needed")
	}
}

func (p *parser) profiles(n *yaml.Node) {
	rd := p.rd
	rd.Entries(n, "profiles", func(name string, k, v *yaml.Node) {
		prof := Profile{Name: name, Pos: rd.Pos(k)}
		what := "profiles." + name
		if !ValidID(name) {
			rd.Errorf(k, "profile name %q: use lowercase kebab-case", name)
		}
		long := false
		rd.Entries(v, what, func(key string, _, _ *yaml.Node) {
			long = long || key == "weights" || key == "reason"
		})
		if long {
			rd.Object(v, what,
				yamlread.Field{Key: "reason", Decode: p.str(&prof.Reason, what+".reason")},
				yamlread.Field{Key: "weights", Required: true, Decode: func(w *yaml.Node) {
					prof.Weights = p.settings(w, what+".weights")
				}},
			)
		} else {
			prof.Weights = p.settings(v, what)
		}
		p.r.Profiles = append(p.r.Profiles, prof)
	})
}

func (p *parser) settings(n *yaml.Node, what string) []Setting {
	var out []Setting
	p.rd.Entries(n, what, func(id string, k, v *yaml.Node) {
		if w, ok := p.rd.Float(v, what+"."+id); ok {
			out = append(out, Setting{ID: id, Value: w, Pos: p.rd.Pos(k)})
		}
	})
	return out
}

func (p *parser) weight(dst *float64, what string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if w, ok := p.rd.Float(n, what); ok {
			if w < 0 {
				p.rd.Errorf(n, "%s: weight %g is negative; weights are relative and at least 0", what, w)
				return
			}
			*dst = w
		}
	}
}

func (p *parser) pillars(n *yaml.Node) {
	rd := p.rd
	rd.Seq(n, "pillars", func(i int, item *yaml.Node) {
		pl := Pillar{Weight: 1, Pos: rd.Pos(item)}
		what := fmt.Sprintf("pillars[%d]", i)
		var critNode *yaml.Node
		rd.Object(item, what,
			yamlread.Field{Key: "id", Required: true, Decode: p.id(&pl.ID, what+".id")},
			yamlread.Field{Key: "title", Required: true, Decode: p.str(&pl.Title, what+".title")},
			yamlread.Field{Key: "description", Decode: p.str(&pl.Description, what+".description")},
			yamlread.Field{Key: "weight", Decode: p.weight(&pl.Weight, what+".weight")},
			yamlread.Field{Key: "weight_reason", Decode: p.str(&pl.WeightReason, what+".weight_reason")},
			yamlread.Field{Key: "criteria", Required: true, Decode: func(v *yaml.Node) { critNode = v }},
		)
		if pl.ID != "" {
			what = "pillar " + pl.ID
		}
		if critNode != nil {
			rd.Seq(critNode, what+".criteria", func(j int, c *yaml.Node) {
				crit, pc := p.criterion(c, fmt.Sprintf("%s.criteria[%d]", what, j))
				pc.pillar, pc.criterion = len(p.r.Pillars), len(pl.Criteria)
				pl.Criteria = append(pl.Criteria, crit)
				p.pending = append(p.pending, pc)
			})
			if len(pl.Criteria) == 0 {
				rd.Errorf(critNode, "%s: a pillar needs at least one criterion", what)
			}
		}
		p.r.Pillars = append(p.r.Pillars, pl)
	})
}

func (p *parser) criterion(n *yaml.Node, what string) (Criterion, pendingCriterion) {
	rd := p.rd
	c := Criterion{Weight: 1, Pos: rd.Pos(n)}
	pc := pendingCriterion{node: n}
	rd.Object(n, what,
		yamlread.Field{Key: "id", Required: true, Decode: p.id(&c.ID, what+".id")},
		yamlread.Field{Key: "title", Required: true, Decode: p.str(&c.Title, what+".title")},
		yamlread.Field{Key: "question", Decode: p.str(&c.Question, what+".question")},
		yamlread.Field{Key: "weight", Decode: p.weight(&c.Weight, what+".weight")},
		yamlread.Field{Key: "weight_reason", Decode: p.str(&c.WeightReason, what+".weight_reason")},
		yamlread.Field{Key: "levels", Required: true, Decode: func(v *yaml.Node) { pc.levels = v }},
		yamlread.Field{Key: "measure", Decode: func(v *yaml.Node) {
			m := &Measure{}
			var thr *yaml.Node
			rd.Object(v, what+".measure",
				yamlread.Field{Key: "fact", Required: true, Decode: p.id(&m.Fact, what+".measure.fact")},
				yamlread.Field{Key: "unit", Decode: p.str(&m.Unit, what+".measure.unit")},
				yamlread.Field{Key: "max_age", Decode: func(x *yaml.Node) {
					if years, ok := rd.Int(x, what+".measure.max_age"); ok {
						if years < 1 || years > 100 {
							rd.Errorf(x, "%s.measure.max_age: %d years; give a whole number of years from 1 to 100", what, years)
						}
						m.MaxAge = years
					}
				}},
				yamlread.Field{Key: "basis", Decode: p.str(&m.Basis, what+".measure.basis")},
				yamlread.Field{Key: "thresholds", Required: true, Decode: func(t *yaml.Node) {
					thr = t
					rd.Seq(t, what+".measure.thresholds", func(_ int, x *yaml.Node) {
						if f, ok := rd.Float(x, what+".measure.thresholds"); ok {
							m.Thresholds = append(m.Thresholds, f)
						}
					})
				}},
			)
			if m.Fact != "" && !ValidID(m.Fact) {
				rd.Errorf(v, "%s.measure.fact %q: use lowercase kebab-case", what, m.Fact)
			}
			pc.thresholds = thr
			c.Measure = m
		}},
	)
	if c.ID != "" {
		what = "criterion " + c.ID
	}
	pc.what = what
	return c, pc
}

// checkScaled checks what depends on the scale: one descriptor per level
// and the number of thresholds.
func (p *parser) checkScaled() {
	s := p.r.Scale
	if !p.scaleOK {
		return
	}
	for _, pc := range p.pending {
		c := &p.r.Pillars[pc.pillar].Criteria[pc.criterion]
		if pc.levels != nil {
			c.Levels = make([]string, s.Max-s.Min+1)
			p.rd.Entries(pc.levels, pc.what+".levels", func(key string, k, v *yaml.Node) {
				l, err := strconv.Atoi(key)
				if err != nil || l < s.Min || l > s.Max {
					p.rd.Errorf(k, "%s.levels: %q is not a level of the scale %d..%d", pc.what, key, s.Min, s.Max)
					return
				}
				if t, ok := p.rd.String(v, fmt.Sprintf("%s.levels.%d", pc.what, l)); ok {
					c.Levels[l-s.Min] = t
				}
			})
			for i, d := range c.Levels {
				if d == "" {
					p.rd.Errorf(pc.levels, "%s.levels: no descriptor for level %d; every level of the scale needs one", pc.what, s.Min+i)
				}
			}
		}
		if pc.thresholds != nil {
			p.checkThresholds(pc.thresholds, c.Measure.Thresholds, pc.what)
		}
	}
}

func (p *parser) checkThresholds(n *yaml.Node, t []float64, what string) {
	s := p.r.Scale
	if want := s.Max - s.Min; len(t) != want {
		p.rd.Errorf(n, "%s.measure.thresholds: %d values given, the scale %d..%d needs exactly %d", what, len(t), s.Min, s.Max, want)
	}
	for i := 1; i < len(t); i++ {
		if t[i] <= t[i-1] {
			p.rd.Errorf(n, "%s.measure.thresholds: %g does not rise above %g; thresholds must be strictly ascending", what, t[i], t[i-1])
		}
	}
}

// sortedLevels lists a level map's keys in order, so problems are reported
// in the same order every run.
func sortedLevels[V any](m map[int]V) []int {
	ls := make([]int, 0, len(m))
	for l := range m {
		ls = append(ls, l)
	}
	sort.Ints(ls)
	return ls
}
