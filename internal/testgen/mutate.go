package testgen

import (
	"slices"
	"strings"
)

// InvalidShare is the share of cases broken on purpose.
const InvalidShare = 0.25

// mutation breaks a case: in the model (before rendering), in the text of
// a file (the returned func, after rendering), or in the settings. It
// returns false when the case has nothing it can break.
type mutation struct {
	name string
	// validateFails: validate of the rubric and the assessments must exit 1.
	validateFails bool
	apply         func(g *gen, c *Case) (post func(), ok bool)
}

var mutations = []mutation{
	{"level-off-scale", true, func(g *gen, c *Case) (func(), bool) {
		for i, f := range c.Assessments[0].Findings {
			if f.Level != nil && !isMeasured(&c.Rubric, f.Criterion) {
				l := c.Rubric.Max + 1 + g.r.IntN(3)
				if g.chance(0.5) {
					l = c.Rubric.Min - 1
				}
				c.Assessments[0].Findings[i].Level = &l
				return nil, true
			}
		}
		return nil, false
	}},
	{"level-contradicts-measure", true, func(g *gen, c *Case) (func(), bool) {
		a := &c.Assessments[0]
		for i, f := range a.Findings {
			m := measureOf(&c.Rubric, f.Criterion)
			if m == nil {
				continue
			}
			for _, fact := range a.Facts {
				if fact.ID == m.Fact {
					l := levelOf(c.Rubric.Min, m.Thresholds, fact.Value) + 1
					if l > c.Rubric.Max {
						l = c.Rubric.Min
					}
					a.Findings[i].Level = &l
					return nil, true
				}
			}
		}
		return nil, false
	}},
	{"rubric-weight-negative", true, func(g *gen, c *Case) (func(), bool) {
		p := &c.Rubric.Pillars[g.r.IntN(7)]
		p.Criteria[g.r.IntN(len(p.Criteria))].Weight = -1
		return nil, true
	}},
	{"rubric-pillar-weights-zero", true, func(g *gen, c *Case) (func(), bool) {
		for i := range c.Rubric.Pillars {
			c.Rubric.Pillars[i].Weight = 0
		}
		return nil, true
	}},
	{"rubric-criterion-weights-zero", true, func(g *gen, c *Case) (func(), bool) {
		p := &c.Rubric.Pillars[g.r.IntN(7)]
		for i := range p.Criteria {
			p.Criteria[i].Weight = 0
		}
		return nil, true
	}},
	{"thresholds-wrong", true, func(g *gen, c *Case) (func(), bool) {
		for _, p := range c.Rubric.Pillars {
			for _, cr := range p.Criteria {
				if m := cr.Measure; m != nil {
					if len(m.Thresholds) > 1 && g.chance(0.5) {
						slices.Reverse(m.Thresholds)
					} else {
						m.Thresholds = append(m.Thresholds, m.Thresholds[len(m.Thresholds)-1])
					}
					return nil, true
				}
			}
		}
		return nil, false
	}},
	{"tier-score-over-100", true, func(g *gen, c *Case) (func(), bool) {
		v := 100.5
		c.Rubric.Tiers[0].OverallAtLeast = &v
		return nil, true
	}},
	{"source-undefined", true, func(g *gen, c *Case) (func(), bool) {
		a := &c.Assessments[g.r.IntN(len(c.Assessments))]
		for i := range a.Findings {
			if len(a.Findings[i].Evidence) > 0 {
				a.Findings[i].Evidence[0].Sources = append(a.Findings[i].Evidence[0].Sources, "zz9")
				return nil, true
			}
		}
		return nil, false
	}},
	{"source-after-as-of", true, func(g *gen, c *Case) (func(), bool) {
		a := &c.Assessments[0]
		a.Sources = append(a.Sources, Source{ID: "late", Title: "Late", Date: "2099-01-01"})
		return nil, true
	}},
	{"unknown-criterion", true, func(g *gen, c *Case) (func(), bool) {
		a := &c.Assessments[0]
		l := c.Rubric.Min
		a.Findings = append(a.Findings, Finding{Criterion: "no-such-criterion", Level: &l})
		return nil, true
	}},
	{"profile-unknown-id", true, func(g *gen, c *Case) (func(), bool) {
		c.Rubric.Profiles = append(c.Rubric.Profiles, Profile{Name: "typo", Weights: []Setting{{ID: "offense", Value: 2}}})
		return nil, true
	}},
	{"rubric-weight-1e309", true, textMutation(RubricFile, "weight: ", "weight: 1e309 #")},
	{"rubric-weight-nan", true, textMutation(RubricFile, "weight: ", "weight: .nan #")},
	{"fact-value-inf", true, func(g *gen, c *Case) (func(), bool) {
		if len(c.Assessments[0].Facts) == 0 {
			return nil, false
		}
		return textMutation(c.Assessments[0].Name, "value: ", "value: .inf #")(g, c)
	}},
	{"yaml-syntax", true, func(g *gen, c *Case) (func(), bool) {
		name := c.Assessments[g.r.IntN(len(c.Assessments))].Name
		return func() { c.Files[name] += "summary: \"never closed\n" }, true
	}},
	{"unknown-key", true, func(g *gen, c *Case) (func(), bool) {
		name := c.Assessments[0].Name
		return func() { c.Files[name] += "summry: typo\n" }, true
	}},
	{"config-weight-1e309", true, func(g *gen, c *Case) (func(), bool) {
		if c.Config == nil {
			return nil, false
		}
		return func() {
			c.Files[ConfigFile] = strings.Replace(c.Files[ConfigFile], "weights: {}\n", "", 1) + "weights:\n  strategy: 1e309\n"
		}, len(c.Config.Weights) == 0
	}},
	{"config-unknown-key", true, func(g *gen, c *Case) (func(), bool) {
		if c.Config == nil {
			return nil, false
		}
		return func() { c.Files[ConfigFile] += "colour: red\n" }, true
	}},
	{"flag-weight-bad", false, func(g *gen, c *Case) (func(), bool) {
		c.Flags = append(c.Flags, "--weight", g.pick("strategy=NaN", "strategy=+Inf", "strategy=-Inf", "strategy=1e309",
			"strategy=-1", "strategy", "=2", "offense=2", "strategy=x", "strategy=1,offence=2"))
		return nil, true
	}},
	{"env-weights-bad", false, func(g *gen, c *Case) (func(), bool) {
		c.Env["CAPSCORE_WEIGHTS"] = g.pick("offence=x", "offence=NaN", "offence=1e309", "offence=-2", "offense=1", "offence")
		return nil, true
	}},
	{"weights-all-zero", false, func(g *gen, c *Case) (func(), bool) {
		for _, id := range PillarIDs {
			c.Flags = append(c.Flags, "--weight", id+"=0")
		}
		return nil, true
	}},
	{"profile-unknown", false, func(g *gen, c *Case) (func(), bool) {
		c.Flags = append(c.Flags, "--profile", "no-such-profile")
		return nil, true
	}},
	{"setting-bad", false, func(g *gen, c *Case) (func(), bool) {
		switch g.r.IntN(3) {
		case 0:
			c.Flags = append(c.Flags, "--aggregation", "median")
		case 1:
			c.Env["CAPSCORE_MISSING"] = "drop"
		default:
			c.Env["CAPSCORE_AGGREGATION"] = "harmonic"
		}
		return nil, true
	}},
}

// textMutation replaces the first occurrence of old in file with new.
func textMutation(file, old, new string) func(*gen, *Case) (func(), bool) {
	return func(g *gen, c *Case) (func(), bool) {
		return func() { c.Files[file] = strings.Replace(c.Files[file], old, new, 1) }, true
	}
}

// mutate breaks a share of the cases, one way each.
func (g *gen) mutate(c *Case) func() {
	if !g.chance(InvalidShare) {
		return nil
	}
	for _, i := range g.r.Perm(len(mutations)) {
		m := mutations[i]
		if post, ok := m.apply(g, c); ok {
			c.Mutation, c.ValidateFails = m.name, m.validateFails
			switch m.name {
			case "rubric-weight-1e309", "rubric-weight-nan", "fact-value-inf", "config-weight-1e309", "flag-weight-bad", "env-weights-bad":
				c.Literals = []string{".nan", ".inf", "NaN", "+Inf", "-Inf", "1e309"}
			}
			return post
		}
	}
	return nil
}

func isMeasured(rb *Rubric, id string) bool { return measureOf(rb, id) != nil }

func measureOf(rb *Rubric, id string) *Measure {
	for _, p := range rb.Pillars {
		for _, c := range p.Criteria {
			if c.ID == id {
				return c.Measure
			}
		}
	}
	return nil
}
