package compare

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

func bundledRubric(t testing.TB) *rubric.Rubric {
	t.Helper()
	in := load.BundledRubric()
	r, ds := rubric.Parse(in.Name, in.Data)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	return r
}

func japan(t testing.TB) *assessment.Assessment {
	t.Helper()
	for _, in := range load.BundledAssessments() {
		if strings.HasSuffix(in.Name, "japan/2021.yaml") {
			a, ds := assessment.Parse(in.Name, in.Data)
			if ds.HasErrors() {
				t.Fatal(ds.Errors())
			}
			return a
		}
	}
	t.Fatal("bundled Japan 2021 not found")
	return nil
}

// revised returns Japan 2021 with a few findings changed the way a
// revision changes them.
func revised(t testing.TB) *assessment.Assessment {
	a := japan(t)
	a.File, a.Revision = "revised.yaml", "2025"
	lvl := func(n int) *int { return &n }
	// A level raised with a new claim and a new source.
	f := *a.Findings["offensive-organisation"]
	f.Level = lvl(2)
	f.Confidence = assessment.Low
	f.Change = "A cyber unit with an offensive mission was formed."
	f.Evidence = append(append([]assessment.Claim(nil), f.Evidence...), assessment.Claim{Claim: "A new unit was formed.", Sources: []string{"x1"}})
	a.Findings["offensive-organisation"] = &f
	a.Sources = cloneSources(a.Sources)
	a.Sources["x1"] = &assessment.Source{ID: "x1", Title: "New white paper"}
	// A level lowered, its first claim dropped.
	g := *a.Findings["norms-diplomacy"]
	g.Level = lvl(2)
	g.Evidence = g.Evidence[1:]
	a.Findings["norms-diplomacy"] = &g
	// A measured fact grown past a threshold.
	a.Facts = map[string]*assessment.Fact{}
	for id, fact := range japan(t).Facts {
		a.Facts[id] = fact
	}
	mp := *a.Facts["military-cyber-personnel"]
	mp.Value = 800
	a.Facts["military-cyber-personnel"] = &mp
	// A finding dropped altogether.
	a.Findings = cloneFindings(a.Findings)
	delete(a.Findings, "cybercrime-cooperation")
	return a
}

func cloneSources(m map[string]*assessment.Source) map[string]*assessment.Source {
	out := make(map[string]*assessment.Source, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneFindings(m map[string]*assessment.Finding) map[string]*assessment.Finding {
	out := make(map[string]*assessment.Finding, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func resolve(t testing.TB, r *rubric.Rubric, list string) *weights.Set {
	t.Helper()
	ov, err := weights.ParseList(list, weights.Origin{Layer: weights.Flag})
	if err != nil {
		t.Fatal(err)
	}
	w, err := weights.Stack{Rubric: r, Flags: ov}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func scored(r *rubric.Rubric, a *assessment.Assessment, w *weights.Set) Scored {
	return Scored{Rubric: r, Assessment: a, Evaluation: score.Evaluate(r, a), Weights: w}
}

const tol = 1e-9

func TestAttributionSumsToTotal(t *testing.T) {
	r := bundledRubric(t)
	ea, eb := japan(t), revised(t)
	for _, tc := range []struct{ name, wa, wb string }{
		{"same weights", "", ""},
		{"offence doubled", "", "offence=2"},
		{"both changed", "resilience=2,intelligence=1.5", "offence=2,military-doctrine=3"},
		{"pillar zeroed", "strategy=0", "leadership=0,offence=4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, opt := range []score.Options{{}, {Aggregation: rubric.Geometric}, {Missing: rubric.Zero}} {
				a, b := scored(r, ea, resolve(t, r, tc.wa)), scored(r, eb, resolve(t, r, tc.wb))
				at := Attribute(a, b, opt)
				if at == nil {
					t.Fatal("no attribution")
				}
				want := *score.Score(r, eb, b.Weights, opt).Overall - *score.Score(r, ea, a.Weights, opt).Overall
				if math.Abs(at.Total-want) > tol {
					t.Errorf("%v: total %v, want %v", opt, at.Total, want)
				}
				if math.Abs(at.Evidence+at.Weights-at.Total) > tol {
					t.Errorf("%v: evidence %v + weights %v != total %v", opt, at.Evidence, at.Weights, at.Total)
				}
			}
		})
	}
}

func TestAttributionSingleFactor(t *testing.T) {
	r := bundledRubric(t)
	ea, eb := japan(t), revised(t)
	w0, w1 := resolve(t, r, ""), resolve(t, r, "offence=3,intelligence=0.5")
	onlyEvidence := Attribute(scored(r, ea, w0), scored(r, eb, w0), score.Options{})
	if onlyEvidence.Weights != 0 || onlyEvidence.Evidence != onlyEvidence.Total || onlyEvidence.Total == 0 {
		t.Errorf("same weights: %+v; want the whole change on evidence", onlyEvidence)
	}
	onlyWeights := Attribute(scored(r, ea, w0), scored(r, ea, w1), score.Options{})
	if onlyWeights.Evidence != 0 || onlyWeights.Weights != onlyWeights.Total || onlyWeights.Total == 0 {
		t.Errorf("same evidence: %+v; want the whole change on weights", onlyWeights)
	}
}

// TestAttributionProperty draws random weight sets on both sides: the parts
// always sum to the total, and swapping the sides negates both parts.
func TestAttributionProperty(t *testing.T) {
	r := bundledRubric(t)
	ea, eb := japan(t), revised(t)
	evA, evB := score.Evaluate(r, ea), score.Evaluate(r, eb)
	rng := rand.New(rand.NewPCG(4, 2025))
	random := func() *weights.Set {
		w := weights.Defaults(r)
		for p := range w.Pillar {
			w.Pillar[p] = rng.Float64() * 5
			for c := range w.Criterion[p] {
				w.Criterion[p][c] = rng.Float64()*3 + 0.01
			}
		}
		w.Pillar[rng.IntN(len(w.Pillar))] += 0.01 // never all zero
		return w
	}
	n := 300
	if testing.Short() {
		n = 50
	}
	for i := 0; i < n; i++ {
		a := Scored{r, ea, evA, random()}
		b := Scored{r, eb, evB, random()}
		opt := score.Options{}
		if i%3 == 0 {
			opt.Aggregation = rubric.Geometric
		}
		ab, ba := Attribute(a, b, opt), Attribute(b, a, opt)
		if math.Abs(ab.Evidence+ab.Weights-ab.Total) > tol {
			t.Fatalf("draw %d: %v + %v != %v", i, ab.Evidence, ab.Weights, ab.Total)
		}
		if math.Abs(ab.Evidence+ba.Evidence) > tol || math.Abs(ab.Weights+ba.Weights) > tol {
			t.Fatalf("draw %d: not antisymmetric: %+v vs %+v", i, ab, ba)
		}
	}
}

func TestFindingsListsEveryChange(t *testing.T) {
	r := bundledRubric(t)
	w := weights.Defaults(r)
	c := Compare([]Side{
		{Label: "Japan 2021", Rubric: r, Assessment: japan(t), Weights: w},
		{Label: "Japan 2025", Rubric: r, Assessment: revised(t), Weights: w},
	}, Options{})
	if len(c.Steps) != 1 {
		t.Fatalf("%d steps, want 1", len(c.Steps))
	}
	st := c.Steps[0]
	byID := map[string]Change{}
	var ids []string
	for _, ch := range st.Changes {
		byID[ch.Criterion] = ch
		ids = append(ids, ch.Criterion)
	}
	want := []string{"military-cyber-personnel", "norms-diplomacy", "cybercrime-cooperation", "offensive-organisation"}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Fatalf("changed criteria %v, want %v", ids, want)
	}
	// Every criterion whose level moved is listed.
	a, b := c.Columns[0].Result, c.Columns[1].Result
	for p := range a.Pillars {
		for i, ca := range a.Pillars[p].Criteria {
			cb := b.Pillars[p].Criteria[i]
			if !sameInt(ca.Level, cb.Level) || !sameInt(ca.StatedLevel, cb.StatedLevel) {
				if _, ok := byID[ca.ID]; !ok {
					t.Errorf("%s changed level but is not listed", ca.ID)
				}
			}
		}
	}
	oo := byID["offensive-organisation"]
	if *oo.Stated.From != 1 || *oo.Stated.To != 2 || oo.Confidence.To != "low" || oo.Note == "" {
		t.Errorf("offensive-organisation: %+v", oo)
	}
	if len(oo.Added) != 1 || oo.Added[0].Sources[0] != (SourceRef{"x1", "New white paper"}) || len(oo.Removed) != 0 {
		t.Errorf("offensive-organisation evidence: added %+v removed %+v", oo.Added, oo.Removed)
	}
	nd := byID["norms-diplomacy"]
	if len(nd.Removed) != 1 || len(nd.Added) != 0 || *nd.Effect >= 0 {
		t.Errorf("norms-diplomacy: %+v", nd)
	}
	mp := byID["military-cyber-personnel"]
	if mp.Fact == nil || *mp.Fact.From != 290 || *mp.Fact.To != 800 || *mp.Credited.To != 2 {
		t.Errorf("military-cyber-personnel: %+v", mp)
	}
	if cc := byID["cybercrime-cooperation"]; cc.Credited.To != nil || len(cc.Removed) == 0 {
		t.Errorf("cybercrime-cooperation: %+v", cc)
	}
	// The listed effects and the rest make up the whole change.
	sum := *st.Other
	for _, ch := range st.Changes {
		sum += *ch.Effect
	}
	if math.Abs(sum-*st.Overall.Change) > tol {
		t.Errorf("effects sum to %v, overall changed by %v", sum, *st.Overall.Change)
	}
	if st.WeightsDiffer || st.Rubrics != nil || len(c.Warnings) != 0 {
		t.Errorf("same rubric and weights: %+v %+v", st, c.Warnings)
	}
}

func TestSameAssessmentUnderProfiles(t *testing.T) {
	r := bundledRubric(t)
	a := japan(t)
	sides := []Side{
		{Label: "equal", Rubric: r, Assessment: a, Weights: resolve(t, r, "")},
		{Label: "military", Rubric: r, Assessment: a, Weights: resolve(t, r, "offence=2,intelligence=1.5")},
		{Label: "defence", Rubric: r, Assessment: a, Weights: resolve(t, r, "resilience=2")},
	}
	c := Compare(sides, Options{Against: First})
	for i, st := range c.Steps {
		if st.From != 0 || st.To != i+1 {
			t.Errorf("step %d: %d→%d, want 0→%d", i, st.From, st.To, i+1)
		}
		if len(st.Changes) != 0 || !st.WeightsDiffer || st.Attribution.Evidence != 0 {
			t.Errorf("step %d: %+v", i, st)
		}
	}
	prev := Compare(sides, Options{})
	if prev.Against != Previous || prev.Steps[1].From != 1 || prev.Steps[1].To != 2 {
		t.Errorf("against previous: step 2 is %d→%d", prev.Steps[1].From, prev.Steps[1].To)
	}
}

func TestDiffRubrics(t *testing.T) {
	r := bundledRubric(t)
	in := load.BundledRubric()
	text := string(in.Data)
	edit := func(old, new string) {
		t.Helper()
		if !strings.Contains(text, old) {
			t.Fatalf("rubric text lacks %q", old)
		}
		text = strings.Replace(text, old, new, 1)
	}
	edit("version: 2.0.0", "version: 2.1.0")
	edit("thresholds: [100, 500, 2000, 5000]", "thresholds: [100, 400, 2000, 5000]")
	edit("0: \"No national cyber- or information-security strategy has been published.\"", "0: \"No strategy.\"")
	edit("id: cybercrime-cooperation", "id: cybercrime-partnerships")
	r2, ds := rubric.Parse("v2.yaml", []byte(text))
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	if DiffRubrics(r, r) != nil {
		t.Error("a rubric differs from itself")
	}
	again, _ := rubric.Parse(in.Name, in.Data)
	if d := DiffRubrics(r, again); d != nil {
		t.Errorf("two loads of one rubric differ: %+v", d)
	}
	d := DiffRubrics(r, r2)
	if d == nil {
		t.Fatal("no difference found")
	}
	got := map[string]string{}
	for _, c := range d.Criteria {
		got[c.ID] = c.Reason
	}
	for id, want := range map[string]string{
		"national-strategy":                  "level descriptors differ",
		"military-cyber-personnel":           "measured differently",
		"cybercrime-partnerships":            "only in iiss-seven-pillars 2.1.0",
		"cybercrime-cooperation":             "only in iiss-seven-pillars 2.0.0",
		"offensive-technical-means":          "",
		"coordination-capacity":              "",
		"critical-infrastructure-protection": "",
	} {
		if !strings.Contains(got[id], want) || (want == "") != (got[id] == "") {
			t.Errorf("%s: reason %q, want %q", id, got[id], want)
		}
	}
	// Compare warns and marks the findings on those criteria.
	w := weights.Defaults(r)
	a := japan(t)
	b := revised(t)
	b.RubricVersion = "2.0.0"
	c := Compare([]Side{
		{Label: "A", Rubric: r, Assessment: a, Weights: w},
		{Label: "B", Rubric: r2, Assessment: b, Weights: weights.Defaults(r2)},
	}, Options{})
	if len(c.Warnings) != 2 || !strings.Contains(strings.Join(c.Warnings, "\n"), "4 criteria are not comparable") {
		t.Errorf("warnings: %q", c.Warnings)
	}
	for _, ch := range c.Steps[0].Changes {
		if ch.Criterion == "military-cyber-personnel" && ch.NotComparable == "" {
			t.Error("military-cyber-personnel not marked as not comparable")
		}
	}
	if at := c.Steps[0].Attribution; at == nil || math.Abs(at.Evidence+at.Weights-at.Total) > tol {
		t.Errorf("attribution across rubrics: %+v", at)
	}
}

func BenchmarkCompare(b *testing.B) {
	r := bundledRubric(b)
	ea, eb := japan(b), revised(b)
	wa, wb := resolve(b, r, ""), resolve(b, r, "offence=2")
	sides := []Side{{Label: "A", Rubric: r, Assessment: ea, Weights: wa}, {Label: "B", Rubric: r, Assessment: eb, Weights: wb}}
	b.ReportAllocs()
	for b.Loop() {
		Compare(sides, Options{})
	}
}

// TestBasisChangeNotCapability: a fact counted on another basis is "not
// comparable", both bases are shown, and its effect stays out of the
// evidence part of the attribution.
func TestBasisChangeNotCapability(t *testing.T) {
	r := bundledRubric(t)
	w := weights.Defaults(r)
	a := japan(t)
	for _, tc := range []struct {
		name               string
		basisB             string
		value              float64
		wantNotComparable  bool
		wantEvidenceIsZero bool
	}{
		{"same basis, more people", "", 890, false, false},
		{"wider basis, more people", "every cyber unit", 890, true, true},
		{"wider basis, same count", "every cyber unit", 290, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := japan(t)
			b.File, b.Revision = "b.yaml", "b"
			f := *b.Facts["military-cyber-personnel"]
			f.Value = tc.value
			if tc.basisB != "" {
				f.Basis = tc.basisB
			}
			b.Facts = map[string]*assessment.Fact{}
			for id, x := range a.Facts {
				b.Facts[id] = x
			}
			b.Facts["military-cyber-personnel"] = &f
			c := Compare([]Side{{Label: "A", Rubric: r, Assessment: a, Weights: w}, {Label: "B", Rubric: r, Assessment: b, Weights: w}}, Options{})
			st := c.Steps[0]
			var ch *Change
			for i := range st.Changes {
				if st.Changes[i].Criterion == "military-cyber-personnel" {
					ch = &st.Changes[i]
				}
			}
			if ch == nil {
				t.Fatal("military-cyber-personnel not listed")
			}
			if got := ch.NotComparable != ""; got != tc.wantNotComparable {
				t.Fatalf("not comparable %q, want %v", ch.NotComparable, tc.wantNotComparable)
			}
			at := st.Attribution
			if math.Abs(at.Evidence+at.Weights+at.NotComparable-at.Total) > tol {
				t.Errorf("parts do not add up: %+v", at)
			}
			if tc.wantNotComparable {
				if ch.Fact.Basis == nil || ch.Fact.Basis.To != tc.basisB || !strings.Contains(ch.NotComparable, tc.basisB) || !strings.Contains(ch.NotComparable, a.Facts["military-cyber-personnel"].Basis) {
					t.Errorf("both bases not shown: %+v / %q", ch.Fact.Basis, ch.NotComparable)
				}
				if !strings.Contains(strings.Join(c.Warnings, "\n"), "military-cyber-personnel is not comparable") {
					t.Errorf("no warning: %q", c.Warnings)
				}
			}
			if tc.wantEvidenceIsZero && math.Abs(at.Evidence) > tol {
				t.Errorf("a change of basis counted as evidence: %+v", at)
			}
			if !tc.wantEvidenceIsZero && at.Evidence <= 0 {
				t.Errorf("a real rise on the same basis is not evidence: %+v", at)
			}
			if tc.value == 890 && tc.wantNotComparable && math.Abs(at.NotComparable-at.Total) > tol {
				t.Errorf("the whole change should be the basis part: %+v", at)
			}
		})
	}
}

// TestBundledAssessmentsStateBases: the bundled assessments are judged
// against the bundled rubric and say what every measured fact counts, so
// they validate without a single warning.
func TestBundledAssessmentsStateBases(t *testing.T) {
	r := bundledRubric(t)
	for _, in := range load.BundledAssessments() {
		a, ds := assessment.Parse(in.Name, in.Data)
		ds = append(ds, assessment.Validate(a, r)...)
		if len(ds) > 0 {
			t.Errorf("%s:\n%v", in.Name, ds)
		}
		if a.RubricVersion != r.Version {
			t.Errorf("%s: judged against %q, the bundled rubric is %s", in.Name, a.RubricVersion, r.Version)
		}
		for id, f := range a.Facts {
			if f.Basis == "" {
				t.Errorf("%s: fact %s has no basis", in.Name, id)
			}
		}
	}
}

// TestWeightOnlyAttribution compares one assessment with itself under other
// weights: the evidence part is exactly 0 and the weights part exactly the
// total, under every aggregation, and each pillar's weight and contribution
// carry the change where no pillar score moved.
func TestWeightOnlyAttribution(t *testing.T) {
	r := bundledRubric(t)
	a := japan(t)
	for _, tc := range []struct {
		name, wa, wb  string
		scoresUnmoved bool
	}{
		{"one pillar", "", "offence=3", true},
		{"both sides", "resilience=2", "offence=0.5,leadership=2", true},
		{"pillar zeroed", "", "strategy=0", true},
		{"criterion", "", "military-doctrine=4", false},
	} {
		for _, opt := range []score.Options{{}, {Aggregation: rubric.Geometric}, {Missing: rubric.Zero}} {
			wa, wb := resolve(t, r, tc.wa), resolve(t, r, tc.wb)
			at := Attribute(scored(r, a, wa), scored(r, a, wb), opt)
			if at == nil || at.Total == 0 {
				t.Fatalf("%s %+v: %+v, want a change", tc.name, opt, at)
			}
			if at.Evidence != 0 || at.Weights != at.Total || at.NotComparable != 0 || at.Total != at.EvidenceBWeightsB-at.EvidenceAWeightsA {
				t.Errorf("%s %+v: %+v; want evidence 0 and weights = total", tc.name, opt, at)
			}
			c := Compare([]Side{
				{Label: "a", Rubric: r, Assessment: a, Weights: wa},
				{Label: "b", Rubric: r, Assessment: a, Weights: wb},
			}, Options{Score: opt})
			st := c.Steps[0]
			if len(st.Changes) != 0 || !st.WeightsDiffer || st.Attribution.Evidence != 0 || st.Attribution.Weights != *st.Overall.Change {
				t.Errorf("%s %+v: step %+v", tc.name, opt, st)
			}
			sum, moved := 0.0, false
			for p, pd := range st.Pillars {
				if pd.Weight.From == nil || *pd.Weight.From != c.Columns[0].Pillars[p].Weight || *pd.Weight.To != c.Columns[1].Pillars[p].Weight {
					t.Errorf("%s: pillar %s weight %+v", tc.name, pd.ID, pd.Weight)
				}
				if *pd.Weight.Change != 0 {
					moved = true
				}
				if tc.scoresUnmoved && *pd.Change != 0 {
					t.Errorf("%s: pillar %s score moved by %v with pillar weights only", tc.name, pd.ID, *pd.Change)
				}
				if pd.Contribution.Change != nil {
					sum += *pd.Contribution.Change
				}
			}
			if tc.scoresUnmoved != moved {
				t.Errorf("%s: pillar weights moved %v", tc.name, moved)
			}
			if opt.Aggregation != rubric.Geometric && math.Abs(sum-*st.Overall.Change) > tol {
				t.Errorf("%s %+v: contributions change by %v, overall by %v", tc.name, opt, sum, *st.Overall.Change)
			}
		}
	}
}

// TestFactSourcesChanged lists a finding whose measured fact keeps its
// value but cites other sources, with the sources added and removed; a
// source whose title changed counts as another source.
func TestFactSourcesChanged(t *testing.T) {
	r := bundledRubric(t)
	a := japan(t)
	b := japan(t)
	b.File, b.Revision = "resourced.yaml", "2021b"
	b.Sources = cloneSources(b.Sources)
	old := *b.Facts["military-cyber-personnel"]
	if len(old.Sources) == 0 {
		t.Fatal("the bundled fact cites no source")
	}
	kept := old.Sources[0]
	retitled := *b.Sources[kept]
	retitled.Title += " (revised edition)"
	b.Sources[kept] = &retitled
	b.Sources["y1"] = &assessment.Source{ID: "y1", Title: "Personnel census"}
	b.Facts = map[string]*assessment.Fact{}
	for id, f := range a.Facts {
		b.Facts[id] = f
	}
	f := old
	f.Sources = []string{kept, "y1"}
	b.Facts["military-cyber-personnel"] = &f
	w := weights.Defaults(r)
	c := Compare([]Side{
		{Label: "a", Rubric: r, Assessment: a, Weights: w},
		{Label: "b", Rubric: r, Assessment: b, Weights: w},
	}, Options{})
	st := c.Steps[0]
	var got *Change
	for i := range st.Changes {
		if st.Changes[i].Criterion == "military-cyber-personnel" {
			got = &st.Changes[i]
		}
	}
	if got == nil || got.Fact == nil {
		t.Fatalf("the fact's sources changed but the finding is not listed: %+v", st.Changes)
	}
	fc := got.Fact
	if *fc.From != *fc.To || got.Credited.Changed() || *st.Overall.Change != 0 {
		t.Errorf("value or level moved: %+v %+v", fc, got.Credited)
	}
	want := []SourceRef{{kept, retitled.Title}, {"y1", "Personnel census"}}
	if len(fc.SourcesAdded) != 2 || fc.SourcesAdded[0] != want[0] || fc.SourcesAdded[1] != want[1] {
		t.Errorf("added %+v, want %+v", fc.SourcesAdded, want)
	}
	var removed []string
	for _, s := range fc.SourcesRemoved {
		removed = append(removed, s.ID)
	}
	if strings.Join(removed, ",") != strings.Join(old.Sources, ",") {
		t.Errorf("removed %v, want %v", removed, old.Sources)
	}
	// The same sources in another order are no change.
	rev := f
	rev.Sources = []string{"y1", kept}
	b2 := *b
	b2.Facts = map[string]*assessment.Fact{}
	for id, x := range b.Facts {
		b2.Facts[id] = x
	}
	b2.Facts["military-cyber-personnel"] = &rev
	for _, ch := range Compare([]Side{
		{Label: "b", Rubric: r, Assessment: b, Weights: w},
		{Label: "b2", Rubric: r, Assessment: &b2, Weights: w},
	}, Options{}).Steps[0].Changes {
		t.Errorf("reordered sources listed: %+v", ch)
	}
}
