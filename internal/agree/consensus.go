package agree

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
)

// Consensus builds one assessment from a panel scored with r; labels name
// the members. Each criterion takes the median of the members' credited
// levels (of two middle levels, the lower), the union of their evidence,
// a confidence from the spread and a change note naming every member's
// level. Sources two members gave one id for are renamed apart; identical
// sources keep one id.
func Consensus(r *rubric.Rubric, results []*score.Result, labels []string) (*assessment.Assessment, error) {
	if err := CheckPanel(results); err != nil {
		return nil, err
	}
	first := results[0].Source
	a := &assessment.Assessment{
		Country: first.Country, Code: first.Code, Rubric: r.ID, RubricVersion: r.Version, Revision: first.Revision,
		AsOf: first.AsOf, Supersedes: first.Supersedes,
		Sources: map[string]*assessment.Source{}, Facts: map[string]*assessment.Fact{}, Findings: map[string]*assessment.Finding{},
	}
	seen := map[string]bool{}
	for _, res := range results {
		x := res.Source
		if x.AsOf.After(a.AsOf) {
			a.AsOf = x.AsOf
		}
		if x.Supersedes != a.Supersedes {
			a.Supersedes = ""
		}
		for _, n := range x.Assessors {
			if n = strings.TrimSpace(n); n != "" && !seen[n] {
				seen[n] = true
				a.Assessors = append(a.Assessors, n)
			}
		}
	}
	a.Summary = fmt.Sprintf("Consensus of a panel of %d assessments of %s, revision %s (%s): each criterion at the median of the credited levels, with the evidence of every assessor; each finding's change note gives every assessor's level.",
		len(results), first.Country, first.Revision, strings.Join(labels, "; "))

	ids := renameSources(results)
	cite := func(m int, src []string) []string {
		out := make([]string, len(src))
		for i, id := range src {
			out[i] = ids[m][id]
			if s := results[m].Source.Sources[id]; s != nil {
				a.Sources[out[i]] = cloneSource(s, out[i])
			}
		}
		return out
	}

	for p, pl := range r.Pillars {
		for c := range pl.Criteria {
			cr := &pl.Criteria[c]
			f := consensusFinding(r, cr, results, labels, p, c, cite, a)
			if f != nil {
				a.Findings[cr.ID] = f
			}
		}
	}
	return a, nil
}

// consensusFinding builds one criterion's finding, or nil when no member
// gave it a level.
func consensusFinding(r *rubric.Rubric, cr *rubric.Criterion, results []*score.Result, labels []string, p, c int,
	cite func(int, []string) []string, a *assessment.Assessment) *assessment.Finding {
	type judged struct {
		member, level int
	}
	var levels []judged
	for m, res := range results {
		if l := res.Pillars[p].Criteria[c].Level; l != nil {
			levels = append(levels, judged{m, *l})
		}
	}
	if len(levels) == 0 {
		return nil
	}
	sorted := slices.Clone(levels)
	slices.SortStableFunc(sorted, func(x, y judged) int { return x.level - y.level })
	mid := sorted[(len(sorted)-1)/2] // of two middle levels, the lower
	level := mid.level
	f := &assessment.Finding{Criterion: cr.ID}
	bases := ""
	// ownEvidence keeps only the fact's member's claims: set when that
	// member's fact measures above the median, which only the evidence
	// rule brought down, so the consensus is credited as that member was.
	ownEvidence := false

	if cr.Measure != nil {
		// A measured level comes from a fact: take the fact of a member
		// credited at the median whose fact measures just that, so the
		// consensus is credited at the median. Failing one, the fact of the
		// member at the median, whose evidence alone then goes with it.
		measures := func(j judged) bool {
			rc := results[j.member].Pillars[p].Criteria[c]
			return j.level == level && rc.MeasuredLevel != nil && *rc.MeasuredLevel == level
		}
		if !measures(mid) {
			for _, j := range sorted {
				if measures(j) {
					mid = j
					break
				}
			}
		}
		if rc := results[mid.member].Pillars[p].Criteria[c]; rc.MeasuredLevel != nil && *rc.MeasuredLevel != level {
			ownEvidence = true
		}
		fact := results[mid.member].Source.Facts[cr.Measure.Fact]
		if fact != nil {
			nf := *fact
			nf.Sources = cite(mid.member, fact.Sources)
			if bases = basisSplit(results, labels, fact.ID); bases != "" {
				// Values on different bases do not compare: the fact
				// says so, so the reader does not take the median for one.
				nf.Note = strings.TrimSpace(nf.Note + " " + fmt.Sprintf("The panel counts this fact on different bases: %s; the value and basis are %s's.", bases, labels[mid.member]))
			}
			a.Facts[fact.ID] = &nf
			l := cr.Measure.Level(r.Scale.Min, fact.Value)
			f.Level = &l
		}
	} else {
		f.Level = &level
	}

	// Evidence: every member's claims, each once.
	have := map[string]bool{}
	var reasons []string
	for m, res := range results {
		x := res.Source.Findings[cr.ID]
		if x == nil || ownEvidence && m != mid.member {
			continue
		}
		for _, cl := range x.Evidence {
			src := cite(m, cl.Sources)
			key := strings.Join(strings.Fields(cl.Claim), " ") + "\x00" + strings.Join(src, ",")
			if have[key] {
				continue
			}
			have[key] = true
			f.Evidence = append(f.Evidence, assessment.Claim{Claim: cl.Claim, Sources: src})
		}
		if x.Rationale != "" {
			reasons = append(reasons, labels[m]+": "+strings.TrimSpace(x.Rationale))
		}
	}
	f.Rationale = strings.Join(reasons, "\n\n")

	lo, hi := sorted[0].level, sorted[len(sorted)-1].level
	f.Confidence = consensusConfidence(results, p, c, hi-lo)

	var parts []string
	for m, res := range results {
		rc := res.Pillars[p].Criteria[c]
		switch {
		case rc.Level == nil:
			parts = append(parts, labels[m]+" none")
		case rc.Capped && rc.StatedLevel != nil:
			parts = append(parts, fmt.Sprintf("%s %d (stated %d)", labels[m], *rc.Level, *rc.StatedLevel))
		default:
			parts = append(parts, fmt.Sprintf("%s %d", labels[m], *rc.Level))
		}
	}
	note := "Panel, credited levels: " + strings.Join(parts, ", ") + "; "
	switch {
	case len(levels) == 1:
		note += fmt.Sprintf("only %s gave a level, %d, which is taken", labels[levels[0].member], level)
	case len(levels)%2 == 0 && sorted[len(sorted)/2-1].level != sorted[len(sorted)/2].level:
		note += fmt.Sprintf("between the two middle levels, %d and %d, the lower, %d, is taken", level, sorted[len(sorted)/2].level, level)
	case lo == hi:
		note += fmt.Sprintf("all agree on %d", level)
	default:
		note += fmt.Sprintf("the median, %d, is taken", level)
	}
	switch {
	case hi-lo >= Disputed:
		note += fmt.Sprintf("; spread %d levels, so confidence is low", hi-lo)
	case hi-lo == 1:
		note += "; spread 1 level, so confidence is medium at most"
	case f.Confidence != "":
		note += fmt.Sprintf("; confidence %s, the lowest given", f.Confidence)
	}
	if ownEvidence {
		note += fmt.Sprintf("; the fact is %s's, measured at %d and credited at %d for want of sources, so only %s's evidence is kept", labels[mid.member], *f.Level, level, labels[mid.member])
	}
	if bases != "" {
		note += fmt.Sprintf("; the assessors count fact %s on different bases (the fact's note gives them), and the consensus keeps %s's", cr.Measure.Fact, labels[mid.member])
	}
	f.Change = note + "."
	return f
}

// basisSplit lists the bases on which the members count fact id, each
// with the members who use it, when they do not all count it on one; ""
// when they do. Bases equal but for spacing are one.
func basisSplit(results []*score.Result, labels []string, id string) string {
	var order []string
	who := map[string][]string{}
	for m, res := range results {
		f := res.Source.Facts[id]
		if f == nil {
			continue
		}
		b := strings.Join(strings.Fields(f.Basis), " ")
		if b == "" {
			b = "no basis stated"
		} else {
			b = strconv.Quote(b)
		}
		if who[b] == nil {
			order = append(order, b)
		}
		who[b] = append(who[b], labels[m])
	}
	if len(order) < 2 {
		return ""
	}
	parts := make([]string, len(order))
	for i, b := range order {
		parts[i] = b + " (" + strings.Join(who[b], ", ") + ")"
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// consensusConfidence is the lowest confidence given when all agree,
// medium at most for a spread of one level, and low beyond.
func consensusConfidence(results []*score.Result, p, c, spread int) assessment.Confidence {
	rank := map[string]int{"low": 1, "medium": 2, "high": 3}
	lowest := 0
	for _, res := range results {
		rc := res.Pillars[p].Criteria[c]
		if k := rank[rc.Confidence]; rc.Level != nil && k > 0 && (lowest == 0 || k < lowest) {
			lowest = k
		}
	}
	switch {
	case spread >= Disputed:
		lowest = 1
	case spread == 1 && (lowest == 0 || lowest > 2):
		lowest = 2
	}
	return [...]assessment.Confidence{"", assessment.Low, assessment.Medium, assessment.High}[lowest]
}

// renameSources maps each member's source ids to the consensus's: the
// first member to use an id keeps it, a later member with an identical
// source shares it, and one with a different source under that id gets
// id-2, id-3, ... (an id no member uses).
func renameSources(results []*score.Result) []map[string]string {
	taken := map[string]bool{}
	for _, res := range results {
		for id := range res.Source.Sources {
			taken[id] = true
		}
	}
	owner := map[string]*assessment.Source{}
	out := make([]map[string]string, len(results))
	for m, res := range results {
		out[m] = map[string]string{}
		for _, id := range res.Source.SourceIDs() {
			s := res.Source.Sources[id]
			if o, ok := owner[id]; !ok || sameSource(o, s) {
				owner[id] = s
				out[m][id] = id
				continue
			}
			// An identical source renamed before shares that id.
			renamed := ""
			for j := 2; ; j++ {
				cand := fmt.Sprintf("%s-%d", id, j)
				if o, ok := owner[cand]; ok && sameSource(o, s) {
					renamed = cand
					break
				}
				if !taken[cand] && owner[cand] == nil {
					renamed = cand
					owner[cand] = s
					break
				}
			}
			out[m][id] = renamed
		}
	}
	return out
}

func sameSource(a, b *assessment.Source) bool {
	return a.Title == b.Title && a.Author == b.Author && a.Publisher == b.Publisher && a.Date == b.Date && a.URL == b.URL
}

func cloneSource(s *assessment.Source, id string) *assessment.Source {
	c := *s
	c.ID = id
	return &c
}
