package assessment

import (
	"fmt"
	"strings"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
)

// Validate checks an assessment against the rubric it is scored with.
func Validate(a *Assessment, r *rubric.Rubric) diag.List {
	var l diag.List
	// An empty rubric id was already reported as missing or malformed.
	if a.Rubric != "" && a.Rubric != r.ID {
		l.Errorf(a.RubricPos, "assessment was judged against rubric %q, not %q; score it with --rubric naming that rubric's file", a.Rubric, r.ID)
	}
	if a.RubricVersion != "" && a.Rubric == r.ID && a.RubricVersion != r.Version {
		l.Warnf(a.RubricPos, "assessment was judged against %s %s but is scored with version %s; levels may not mean the same (capscore compare lists the criteria that differ)", r.ID, a.RubricVersion, r.Version)
	}
	ids := r.CriterionIDs()
	for _, id := range sortedKeys(a.Findings) {
		f := a.Findings[id]
		ref, ok := r.Lookup(id)
		if !ok || ref.Criterion < 0 {
			what := "unknown criterion"
			if ok {
				what = "a pillar, not a criterion:"
			}
			hint := diag.DidYouMean(id, ids)
			if hint == "" && !ok {
				// A slip for a pillar id: findings are keyed by criterion.
				var pillars []string
				for _, p := range r.Pillars {
					pillars = append(pillars, p.ID)
				}
				if p := diag.Suggest(id, pillars); p != "" {
					hint = fmt.Sprintf(" (%q is a pillar; findings are keyed by the ids of its criteria)", p)
				}
			}
			l.Errorf(f.Pos, "finding %q: %s %q in rubric %s%s", id, what, id, r.ID, hint)
			continue
		}
		c := &r.Pillars[ref.Pillar].Criteria[ref.Criterion]
		if f.Level != nil && (*f.Level < r.Scale.Min || *f.Level > r.Scale.Max) {
			l.Errorf(f.LevelPos, "finding %s: level %d is off the scale %d..%d", id, *f.Level, r.Scale.Min, r.Scale.Max)
		}
		if c.Measure != nil {
			if fact, ok := a.Facts[c.Measure.Fact]; ok && f.Level != nil {
				if m := c.Measure.Level(r.Scale.Min, fact.Value); m != *f.Level {
					l.Errorf(f.LevelPos, "finding %s: stated level %d contradicts the measured level %d (fact %s = %g against thresholds %v); drop the level or correct the fact", id, *f.Level, m, fact.ID, fact.Value, c.Measure.Thresholds)
				}
			}
		} else if f.Level == nil && f.LevelPos.Line == 0 {
			l.Warnf(f.Pos, "finding %s has no level yet; it counts as missing", id)
		}
	}
	read := map[string]bool{}
	var unjudged, unmeasured []string
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			if c.Measure != nil {
				seen := read[c.Measure.Fact]
				read[c.Measure.Fact] = true
				fact, ok := a.Facts[c.Measure.Fact]
				if !ok {
					unmeasured = append(unmeasured, c.Measure.Fact)
				} else if !seen && c.Measure.Basis != "" && strings.TrimSpace(fact.Basis) == "" {
					// A warning, so a revision drafted from an older file
					// still validates; the bundled assessments are tested
					// to state every basis.
					l.Warnf(fact.Pos, "fact %s has no basis; rubric %s %s asks every measured fact to say what it counts and by whom (%s): add basis", fact.ID, r.ID, r.Version, c.Measure.Basis)
				}
				continue
			}
			if _, ok := a.Findings[c.ID]; !ok {
				unjudged = append(unjudged, c.ID)
			}
		}
	}
	pos := a.FindingsPos
	if pos.Line == 0 {
		pos = a.Pos
	}
	if len(unjudged) > 0 {
		l.Warnf(pos, "%d criteria have no finding and count as missing: %s", len(unjudged), strings.Join(unjudged, ", "))
	}
	if len(unmeasured) > 0 {
		l.Warnf(pos, "%d facts that measured criteria read are not given, so those criteria count as missing: %s", len(unmeasured), strings.Join(unmeasured, ", "))
	}
	for _, id := range sortedKeys(a.Facts) {
		if !read[id] {
			l.Warnf(a.Facts[id].Pos, "fact %s is read by no criterion of rubric %s", id, r.ID)
		}
	}
	return l
}
