package compare

import (
	"strings"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
)

// Change is one finding that differs between two columns.
type Change struct {
	Criterion string `json:"criterion"`
	Pillar    string `json:"pillar"`
	Title     string `json:"title"`
	// Stated is the level the analyst wrote; Credited the level the
	// evidence rule and any measure allow.
	Stated   LevelChange `json:"stated"`
	Credited LevelChange `json:"credited"`
	// Effect is the change in this criterion's contribution to the overall
	// score, in points; nil when the aggregation gives no contributions.
	Effect     *float64         `json:"effect"`
	Confidence ConfidenceChange `json:"confidence"`
	// Note is the newer finding's `change:` text.
	Note             string      `json:"change"`
	RationaleChanged bool        `json:"rationale_changed"`
	Fact             *FactChange `json:"fact,omitempty"`
	Added            []Claim     `json:"evidence_added"`
	Removed          []Claim     `json:"evidence_removed"`
	// NotComparable says why the two levels do not measure the same thing,
	// when the rubrics differ on this criterion.
	NotComparable string `json:"not_comparable,omitempty"`
}

// LevelChange is a level before and after; nil means none.
type LevelChange struct {
	From *int `json:"from"`
	To   *int `json:"to"`
}

// Changed reports whether the level differs.
func (l LevelChange) Changed() bool { return !sameInt(l.From, l.To) }

// ConfidenceChange is a finding's confidence before and after.
type ConfidenceChange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// FactChange is the measured fact behind a criterion, before and after.
type FactChange struct {
	ID   string   `json:"id"`
	From *float64 `json:"from"`
	To   *float64 `json:"to"`
	// Basis is what each value counts, when either side states it.
	Basis *BasisChange `json:"basis,omitempty"`
	// SourcesAdded and SourcesRemoved are the sources the fact cites on one
	// side only, compared by id and title like a claim's.
	SourcesAdded   []SourceRef `json:"sources_added"`
	SourcesRemoved []SourceRef `json:"sources_removed"`
}

// SourcesChanged reports whether the fact cites other sources.
func (fc *FactChange) SourcesChanged() bool {
	return fc != nil && (len(fc.SourcesAdded) > 0 || len(fc.SourcesRemoved) > 0)
}

// BasisChange is a fact's counting basis before and after.
type BasisChange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Changed reports whether the two values count different things. A basis
// stated on one side only is a change too: nothing says the other counted
// the same.
func (b *BasisChange) Changed() bool { return b != nil && normalise(b.From) != normalise(b.To) }

// basisReason is the not-comparable text for a changed basis.
func basisReason(fc *FactChange) string {
	return "the counting basis of fact " + fc.ID + " changed, so its change is not a change of capability: " +
		orNone(fc.Basis.From) + " against " + orNone(fc.Basis.To)
}

func orNone(s string) string {
	if s = normalise(s); s == "" {
		return "(no basis stated)"
	}
	return "\"" + s + "\""
}

// Claim is one piece of evidence with the sources it cites.
type Claim struct {
	Text    string      `json:"claim"`
	Sources []SourceRef `json:"sources"`
}

// SourceRef identifies a source by id and title, which is how sources are
// compared: the same id with another title is another source.
type SourceRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Findings lists, in rubric order, every criterion whose finding differs
// between the results a and b (scored with rubrics ra and rb): in stated or
// credited level, confidence, measured fact, rationale, `change:` text, or
// evidence. Claims are compared by their text (ignoring spacing) together
// with their sources' ids and titles. Criteria of rb come first, then those
// found only in ra.
func Findings(ra *rubric.Rubric, a *score.Result, rb *rubric.Rubric, b *score.Result, diff *RubricDiff) []Change {
	out := []Change{}
	add := func(r *rubric.Rubric, p, c int) {
		pl, cr := &r.Pillars[p], &r.Pillars[p].Criteria[c]
		ch := Change{Criterion: cr.ID, Pillar: pl.ID, Title: cr.Title}
		ca, ka := criterionIn(ra, a, cr.ID)
		cb, kb := criterionIn(rb, b, cr.ID)
		fa, fb := a.Source.Findings[cr.ID], b.Source.Findings[cr.ID]
		ch.Stated = LevelChange{ca.StatedLevel, cb.StatedLevel}
		ch.Credited = LevelChange{ca.Level, cb.Level}
		ch.Confidence = ConfidenceChange{ca.Confidence, cb.Confidence}
		if ca.Contribution != nil || cb.Contribution != nil {
			e := value(cb.Contribution) - value(ca.Contribution)
			ch.Effect = &e
		}
		ch.Fact = factChange(ka, a.Source, kb, b.Source)
		ch.Added = claimsMinus(fb, b.Source, fa, a.Source)
		ch.Removed = claimsMinus(fa, a.Source, fb, b.Source)
		if fb != nil && (fa == nil || fa.Change != fb.Change) {
			ch.Note = fb.Change
		}
		ch.RationaleChanged = fa != nil && fb != nil && normalise(fa.Rationale) != normalise(fb.Rationale)
		if diff != nil {
			ch.NotComparable = diff.Reason(cr.ID)
		}
		basisChanged := ch.Fact != nil && ch.Fact.Basis.Changed()
		if basisChanged {
			if ch.NotComparable != "" {
				ch.NotComparable += "; "
			}
			ch.NotComparable += basisReason(ch.Fact)
		}
		presence := (fa == nil) != (fb == nil)
		if presence || ch.Stated.Changed() || ch.Credited.Changed() || ch.Confidence.From != ch.Confidence.To ||
			ch.Note != "" || ch.RationaleChanged || len(ch.Added) > 0 || len(ch.Removed) > 0 || basisChanged ||
			ch.Fact != nil && !sameFloat(ch.Fact.From, ch.Fact.To) || ch.Fact.SourcesChanged() {
			out = append(out, ch)
		}
	}
	for p := range rb.Pillars {
		for c := range rb.Pillars[p].Criteria {
			add(rb, p, c)
		}
	}
	for p := range ra.Pillars {
		for c, cr := range ra.Pillars[p].Criteria {
			if ref, ok := rb.Lookup(cr.ID); !ok || ref.Criterion < 0 {
				add(ra, p, c)
			}
		}
	}
	return out
}

// criterionIn returns a criterion's result and definition, zero values when
// the rubric lacks it.
func criterionIn(r *rubric.Rubric, res *score.Result, id string) (score.Criterion, *rubric.Criterion) {
	ref, ok := r.Lookup(id)
	if !ok || ref.Criterion < 0 {
		return score.Criterion{}, nil
	}
	return res.Pillars[ref.Pillar].Criteria[ref.Criterion], &r.Pillars[ref.Pillar].Criteria[ref.Criterion]
}

func factChange(ka *rubric.Criterion, a *assessment.Assessment, kb *rubric.Criterion, b *assessment.Assessment) *FactChange {
	var fc FactChange
	var basis BasisChange
	var srcA, srcB []SourceRef
	if ka != nil && ka.Measure != nil {
		fc.ID = ka.Measure.Fact
		if f, ok := a.Facts[fc.ID]; ok {
			fc.From = &f.Value
			basis.From = f.Basis
			srcA = sourceRefs(f.Sources, a)
		}
	}
	if kb != nil && kb.Measure != nil {
		if fc.ID != "" && fc.ID != kb.Measure.Fact {
			// Different facts behind the same criterion: no value to set beside another.
			return nil
		}
		fc.ID = kb.Measure.Fact
		if f, ok := b.Facts[fc.ID]; ok {
			fc.To = &f.Value
			basis.To = f.Basis
			srcB = sourceRefs(f.Sources, b)
		}
	}
	if fc.ID == "" {
		return nil
	}
	fc.SourcesAdded, fc.SourcesRemoved = refsMinus(srcB, srcA), refsMinus(srcA, srcB)
	// A basis matters only where both sides have a value to set side by side.
	if fc.From != nil && fc.To != nil && (basis.From != "" || basis.To != "") {
		basis.From, basis.To = normalise(basis.From), normalise(basis.To)
		fc.Basis = &basis
	}
	return &fc
}

// BasisChanged returns the ids of the criteria of rb whose measured fact
// has a value on both sides, counted on different bases.
func BasisChanged(ra *rubric.Rubric, a *assessment.Assessment, rb *rubric.Rubric, b *assessment.Assessment) []string {
	var out []string
	for _, pl := range rb.Pillars {
		for i := range pl.Criteria {
			cb := &pl.Criteria[i]
			ref, ok := ra.Lookup(cb.ID)
			if cb.Measure == nil || !ok || ref.Criterion < 0 {
				continue
			}
			ca := &ra.Pillars[ref.Pillar].Criteria[ref.Criterion]
			if fc := factChange(ca, a, cb, b); fc != nil && fc.Basis.Changed() {
				out = append(out, cb.ID)
			}
		}
	}
	return out
}

// claimsMinus returns the claims of f (in assessment x) that g (in y) does
// not make with the same sources.
func claimsMinus(f *assessment.Finding, x *assessment.Assessment, g *assessment.Finding, y *assessment.Assessment) []Claim {
	out := []Claim{}
	if f == nil {
		return out
	}
	have := map[string]bool{}
	if g != nil {
		for _, c := range g.Evidence {
			have[claimKey(claimOf(c, y))] = true
		}
	}
	for _, c := range f.Evidence {
		cl := claimOf(c, x)
		if k := claimKey(cl); !have[k] {
			have[k] = true
			out = append(out, cl)
		}
	}
	return out
}

func claimOf(c assessment.Claim, a *assessment.Assessment) Claim {
	return Claim{Text: normalise(c.Claim), Sources: sourceRefs(c.Sources, a)}
}

// sourceRefs names the sources ids of assessment a by id and title.
func sourceRefs(ids []string, a *assessment.Assessment) []SourceRef {
	out := make([]SourceRef, len(ids))
	for i, id := range ids {
		out[i] = SourceRef{ID: id}
		if s, ok := a.Sources[id]; ok {
			out[i].Title = normalise(s.Title)
		}
	}
	return out
}

// refsMinus returns the sources of x, in order and once each, that y does
// not cite with the same id and title.
func refsMinus(x, y []SourceRef) []SourceRef {
	out := []SourceRef{}
	have := map[SourceRef]bool{}
	for _, s := range y {
		have[s] = true
	}
	for _, s := range x {
		if !have[s] {
			have[s] = true
			out = append(out, s)
		}
	}
	return out
}

// claimKey is the identity of a claim: its text and the set of its sources.
func claimKey(c Claim) string {
	refs := make([]string, len(c.Sources))
	for i, s := range c.Sources {
		refs[i] = s.ID + "\x00" + s.Title
	}
	assessment.SortIDs(refs)
	return c.Text + "\x01" + strings.Join(refs, "\x01")
}

// normalise folds runs of white space, so reflowed text compares equal.
func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

func value(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}

func sameInt(a, b *int) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func sameFloat(a, b *float64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}
