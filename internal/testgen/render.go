package testgen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// render writes every file of the case from its models.
func (c *Case) render() {
	c.Files = map[string]string{RubricFile: c.Rubric.YAML()}
	for _, a := range c.Assessments {
		c.Files[a.Name] = a.YAML()
	}
	if c.Config != nil {
		c.Files[ConfigFile] = c.Config.YAML()
	}
}

func q(s string) string { return strconv.Quote(s) }

// YAML writes the rubric file.
func (rb *Rubric) YAML() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("id: %s\nversion: %s\ntitle: %s\n", rb.ID, q(rb.Version), q(rb.Title))
	w("scale:\n  min: %d\n  max: %d\n", rb.Min, rb.Max)
	if len(rb.Labels) > 0 {
		w("  labels:\n")
		for _, l := range sortedInts(rb.Labels) {
			w("    %d: %s\n", l, q(rb.Labels[l]))
		}
	}
	if rb.Aggregation != "" {
		w("aggregation: %s\n", rb.Aggregation)
	}
	if rb.Missing != "" {
		w("missing: %s\n", rb.Missing)
	}
	if rb.MinSources != nil {
		w("evidence:\n  min_sources:\n")
		for _, l := range sortedInts(rb.MinSources) {
			w("    %d: %d\n", l, rb.MinSources[l])
		}
	}
	w("tiers:\n")
	for _, t := range rb.Tiers {
		w("  - id: %s\n    label: %s\n", q(t.ID), q(t.Label))
		if t.OverallAtLeast != nil {
			w("    overall_at_least: %s\n", formatFloat(*t.OverallAtLeast))
		}
		if t.EveryPillarAtLeast != nil {
			w("    every_pillar_at_least: %s\n", formatFloat(*t.EveryPillarAtLeast))
		}
		if c := t.PillarsAtLeast; c != nil {
			w("    pillars_at_least: {count: %d, score: %s}\n", c.Count, formatFloat(c.Score))
		}
	}
	if len(rb.Profiles) > 0 {
		w("profiles:\n")
		writeProfiles(&b, rb.Profiles)
	}
	w("pillars:\n")
	for _, p := range rb.Pillars {
		w("  - id: %s\n    title: %s\n    weight: %s\n    criteria:\n", p.ID, q(p.Title), formatFloat(p.Weight))
		for _, c := range p.Criteria {
			w("      - id: %s\n        title: %s\n        weight: %s\n", c.ID, q(c.Title), formatFloat(c.Weight))
			if !allSame(p.Criteria) {
				w("        weight_reason: %s\n", q("Weighed as the analysts judged"))
			}
			if m := c.Measure; m != nil {
				ts := make([]string, len(m.Thresholds))
				for i, t := range m.Thresholds {
					ts[i] = formatFloat(t)
				}
				w("        measure:\n          fact: %s\n          unit: %s\n          thresholds: [%s]\n", m.Fact, m.Unit, strings.Join(ts, ", "))
			}
			w("        levels:\n")
			for l := rb.Min; l <= rb.Max; l++ {
				w("          %d: %s\n", l, q(fmt.Sprintf("Level %d of %s", l, c.ID)))
			}
		}
	}
	return b.String()
}

func allSame(cs []Criterion) bool {
	for _, c := range cs {
		if c.Weight != cs[0].Weight {
			return false
		}
	}
	return true
}

func writeProfiles(b *strings.Builder, ps []Profile) {
	for _, p := range ps {
		if p.Reason == "" {
			fmt.Fprintf(b, "  %s:\n", p.Name)
			for _, s := range p.Weights {
				fmt.Fprintf(b, "    %s: %s\n", s.ID, formatFloat(s.Value))
			}
			continue
		}
		fmt.Fprintf(b, "  %s:\n    reason: %s\n    weights:\n", p.Name, q(p.Reason))
		for _, s := range p.Weights {
			fmt.Fprintf(b, "      %s: %s\n", s.ID, formatFloat(s.Value))
		}
	}
}

// YAML writes the assessment file.
func (a *Assessment) YAML() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("country: %s\ncode: %s\nrubric: %s\nrevision: %s\nas_of: %s\n", a.Country, a.Code, a.Rubric, q(a.Revision), a.AsOf)
	if a.Supersedes != "" {
		w("supersedes: %s\n", q(a.Supersedes))
	} else {
		w("supersedes: null\n")
	}
	if len(a.Sources) > 0 {
		w("sources:\n")
		for _, s := range a.Sources {
			w("  %s:\n    title: %s\n    date: %s\n", s.ID, q(s.Title), s.Date)
		}
	}
	if len(a.Facts) > 0 {
		w("facts:\n")
		for _, f := range a.Facts {
			w("  %s:\n    value: %s\n", f.ID, formatFloat(f.Value))
			if len(f.Sources) > 0 {
				w("    sources: [%s]\n", strings.Join(f.Sources, ", "))
			}
		}
	}
	if len(a.Findings) == 0 {
		w("findings: {}\n")
		return b.String()
	}
	w("findings:\n")
	for _, f := range a.Findings {
		w("  %s:\n", f.Criterion)
		n := 0
		if f.Level != nil {
			w("    level: %d\n", *f.Level)
			n++
		}
		if f.Confidence != "" {
			w("    confidence: %s\n", f.Confidence)
			n++
		}
		if f.Rationale != "" {
			w("    rationale: %s\n", q(f.Rationale))
			n++
		}
		if len(f.Evidence) > 0 {
			w("    evidence:\n")
			for _, c := range f.Evidence {
				w("      - claim: %s\n        sources: [%s]\n", q(c.Text), strings.Join(c.Sources, ", "))
			}
			n++
		}
		if n == 0 {
			w("    rationale: %s\n", q("Not yet judged"))
		}
	}
	return b.String()
}

// YAML writes the config file.
func (cfg *Config) YAML() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	if cfg.Rubric != "" {
		w("rubric: %s\n", cfg.Rubric)
	}
	if cfg.Profile != "" {
		w("profile: %s\n", cfg.Profile)
	}
	if cfg.Aggregation != "" {
		w("aggregation: %s\n", cfg.Aggregation)
	}
	if cfg.Missing != "" {
		w("missing: %s\n", cfg.Missing)
	}
	if len(cfg.Weights) > 0 {
		w("weights:\n")
		for _, s := range cfg.Weights {
			w("  %s: %s\n", s.ID, formatFloat(s.Value))
		}
	}
	if len(cfg.Profiles) > 0 {
		w("profiles:\n")
		writeProfiles(&b, cfg.Profiles)
	}
	if b.Len() == 0 {
		w("weights: {}\n")
	}
	return b.String()
}

func sortedInts[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
