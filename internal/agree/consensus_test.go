package agree

import (
	"context"
	"encoding/json"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/compare"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/testfix"
	"github.com/capscore/capscore/internal/weights"
)

// panel scores the fictional panel under testdata/panel at the root.
func panel(t *testing.T, files ...string) (*rubric.Rubric, *weights.Set, []*score.Result) {
	t.Helper()
	r := testfix.Rubric(t, "")
	w := weights.Defaults(r)
	if files == nil {
		files = []string{"adler.yaml", "brandt.yaml", "castel.yaml"}
	}
	var out []*score.Result
	for _, f := range files {
		for _, a := range testfix.Assessments(t, r, testfix.Path("testdata", "panel", f)) {
			out = append(out, score.Score(r, a, w, score.Options{}))
		}
	}
	return r, w, out
}

func labelsOf(results []*score.Result) []string {
	var l []string
	for _, res := range results {
		l = append(l, Label(res))
	}
	return l
}

// roundTrip writes a consensus and reads it back, failing on any error.
func roundTrip(t *testing.T, r *rubric.Rubric, a *assessment.Assessment) *assessment.Assessment {
	t.Helper()
	data, err := assessment.Marshal(a, r.CriterionIDs())
	if err != nil {
		t.Fatal(err)
	}
	back, ds := assessment.Parse("consensus.yaml", data)
	if back == nil || ds.HasErrors() {
		t.Fatalf("%v\n%s", ds, data)
	}
	ds = append(ds, assessment.Validate(back, r)...)
	if len(ds) > 0 {
		t.Fatalf("the consensus does not validate cleanly: %v\n%s", ds, data)
	}
	return back
}

func TestConsensusOfThree(t *testing.T) {
	r, w, results := panel(t)
	labels := labelsOf(results)
	cons, err := Consensus(r, results, labels)
	if err != nil {
		t.Fatal(err)
	}
	back := roundTrip(t, r, cons)
	if want := []string{"Amara Adler", "Boris Brandt", "Chloé Castel"}; !slices.Equal(back.Assessors, want) {
		t.Errorf("assessors %v, want %v", back.Assessors, want)
	}
	res := score.Score(r, back, w, score.Options{})
	for p, pl := range res.Pillars {
		for c, cr := range pl.Criteria {
			var levels []int
			for _, m := range results {
				if l := m.Pillars[p].Criteria[c].Level; l != nil {
					levels = append(levels, *l)
				}
			}
			slices.Sort(levels)
			if cr.Level == nil || *cr.Level != levels[(len(levels)-1)/2] {
				t.Errorf("%s: consensus credited %v, want the median of %v", cr.ID, cr.Level, levels)
			}
			f := back.Findings[cr.ID]
			for _, l := range labels {
				if !strings.Contains(f.Change, l) {
					t.Errorf("%s: change note %q does not name %s", cr.ID, f.Change, l)
				}
			}
			want := map[int]assessment.Confidence{0: "", 1: assessment.Medium, 2: assessment.Low}
			if s := levels[len(levels)-1] - levels[0]; s > 0 && f.Confidence != want[min(s, 2)] && !(s == 1 && f.Confidence == assessment.Low) {
				t.Errorf("%s: spread %d gives confidence %s", cr.ID, s, f.Confidence)
			}
		}
	}
	// Brandt's and Castel's r9 are two works: one keeps the id, the
	// other is renamed; the shared r1 stays one source.
	if back.Sources["r9"] == nil || back.Sources["r9-2"] == nil || back.Sources["r9"].Title == back.Sources["r9-2"].Title {
		t.Errorf("r9 not renamed apart: %+v %+v", back.Sources["r9"], back.Sources["r9-2"])
	}
	if _, ok := back.Sources["r1-2"]; ok {
		t.Error("an identical source was renamed")
	}
	// Spread 2 gives low; all agreeing on high keeps high; 1 apart caps at medium.
	for id, want := range map[string]assessment.Confidence{"norms-diplomacy": assessment.Low, "national-strategy": assessment.High, "cyber-in-national-security": assessment.Medium, "incident-response": assessment.Medium} {
		if got := back.Findings[id].Confidence; got != want {
			t.Errorf("%s: confidence %s, want %s", id, got, want)
		}
	}

	// Facts keep their basis. Castel counts global-ict-firms on another
	// basis than Adler and Brandt: the fact's note and the finding's
	// change note say so; a fact all count alike has no such note.
	ict := back.Facts["global-ict-firms"]
	if ict == nil || ict.Basis != results[1].Source.Facts["global-ict-firms"].Basis {
		t.Errorf("global-ict-firms: %+v, want Boris Brandt's basis", ict)
	} else {
		for _, want := range []string{"different bases", results[2].Source.Facts["global-ict-firms"].Basis, "(Chloé Castel)", "(Amara Adler, Boris Brandt)", "are Boris Brandt's"} {
			if !strings.Contains(ict.Note, want) {
				t.Errorf("global-ict-firms note %q lacks %q", ict.Note, want)
			}
		}
	}
	if ch := back.Findings["ict-industry"].Change; !strings.Contains(ch, "count fact global-ict-firms on different bases") {
		t.Errorf("ict-industry change note %q does not mention the bases", ch)
	}
	for _, id := range []string{"military-cyber-personnel", "digital-economy-gdp-share"} {
		f := back.Facts[id]
		if f == nil || f.Basis == "" || strings.Contains(f.Note, "bases") {
			t.Errorf("%s: %+v, want the panel's one basis and no note on bases", id, f)
		}
	}

	// compare of each assessor's file against the consensus explains
	// every difference with the consensus's note naming that assessor.
	for i, m := range results {
		c := compare.Compare([]compare.Side{
			{Label: labels[i], Rubric: r, Assessment: m.Source, Weights: w},
			{Label: "consensus", Rubric: r, Assessment: back, Weights: w},
		}, compare.Options{})
		for _, ch := range c.Steps[0].Changes {
			if !strings.Contains(ch.Note, labels[i]) {
				t.Errorf("%s → consensus: %s changes without a note naming the assessor: %q", labels[i], ch.Criterion, ch.Note)
			}
		}
		if len(c.Steps[0].Changes) == 0 {
			t.Errorf("%s → consensus: no change listed", labels[i])
		}
	}
}

func TestConsensusOfTwoTakesTheLower(t *testing.T) {
	r, _, results := panel(t, "adler.yaml", "castel.yaml")
	cons, err := Consensus(r, results, labelsOf(results))
	if err != nil {
		t.Fatal(err)
	}
	back := roundTrip(t, r, cons)
	f := back.Findings["military-doctrine"] // Adler 1, Castel 3
	if *f.Level != 1 || !strings.Contains(f.Change, "the lower, 1") || f.Confidence != assessment.Low {
		t.Errorf("level %d, confidence %s, note %q", *f.Level, f.Confidence, f.Change)
	}
	if back.AsOf.String() != "2024-04-30" {
		t.Errorf("as_of %s, want the latest of the panel", back.AsOf)
	}
}

func TestAnalyse(t *testing.T) {
	r, w, results := panel(t)
	ctx := context.Background()
	o := Options{Metric: Ordinal, Samples: 500, Seed: 3}
	ag, err := Analyse(ctx, r, w, score.Options{}, results, o)
	if err != nil {
		t.Fatal(err)
	}
	if ag.All.Units != 37 || ag.All.Pairable != 111 || ag.All.Interval == nil || ag.All.Alpha >= 1 || ag.All.Alpha <= 0 {
		t.Errorf("all: %+v", ag.All)
	}
	// Disputed criteria first, then the rest in rubric order.
	seenCalm := false
	for _, c := range ag.Criteria {
		if c.Disputed && seenCalm {
			t.Fatalf("disputed %s listed after an undisputed criterion", c.ID)
		}
		seenCalm = seenCalm || !c.Disputed
	}
	if c := ag.Criteria[0]; !c.Disputed || *c.Spread < 2 {
		t.Errorf("first criterion %+v", c)
	}
	e := ag.Effect
	if *e.Min.Overall > *e.Consensus.Overall || *e.Consensus.Overall > *e.Max.Overall {
		t.Errorf("consensus %v outside %v..%v", *e.Consensus.Overall, *e.Min.Overall, *e.Max.Overall)
	}
	// The same seed gives the same numbers whatever the number of cores.
	want, _ := json.Marshal(ag)
	prev := runtime.GOMAXPROCS(1)
	again, err := Analyse(ctx, r, w, score.Options{}, results, o)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(again); string(got) != string(want) {
		t.Error("two runs with one seed differ")
	}
	// Stated levels: Brandt stated 3 on offensive-intent, credited 2.
	st, err := Analyse(ctx, r, w, score.Options{}, results, Options{Metric: Ordinal, Stated: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.All.Alpha == ag.All.Alpha {
		t.Error("--stated changed nothing")
	}
}

func TestAnalyseRefuses(t *testing.T) {
	r, w, results := panel(t)
	ctx := context.Background()
	o := Options{Metric: Ordinal}
	if _, err := Analyse(ctx, r, w, score.Options{}, results[:1], o); err == nil || !strings.Contains(err.Error(), "two assessments or more") {
		t.Errorf("panel of one: %v", err)
	}
	other := *results[1]
	other.Revision = "2023"
	if _, err := Analyse(ctx, r, w, score.Options{}, []*score.Result{results[0], &other}, o); err == nil || !strings.Contains(err.Error(), "one country and one revision") {
		t.Errorf("two revisions: %v", err)
	}
	if _, err := Analyse(ctx, r, w, score.Options{}, results, Options{Metric: "cardinal"}); err == nil {
		t.Error("unknown metric accepted")
	}
	// Two members with no criterion judged by both: no pairs, an error.
	a, b := *results[0], *results[1]
	a.Pillars, b.Pillars = blank(a.Pillars, 0), blank(b.Pillars, 1)
	if _, err := Analyse(ctx, r, w, score.Options{}, []*score.Result{&a, &b}, o); err != ErrNoPairs {
		t.Errorf("no pairs: %v", err)
	}
}

// blank keeps the levels of every other criterion, starting at keep, so
// two blanked results share no judged criterion.
func blank(ps []score.Pillar, keep int) []score.Pillar {
	out := make([]score.Pillar, len(ps))
	n := 0
	for p := range ps {
		out[p] = ps[p]
		out[p].Criteria = slices.Clone(ps[p].Criteria)
		for c := range out[p].Criteria {
			if n%2 != keep {
				out[p].Criteria[c].Level, out[p].Criteria[c].StatedLevel, out[p].Criteria[c].MeasuredLevel = nil, nil, nil
			}
			n++
		}
	}
	return out
}

func TestBasisSplit(t *testing.T) {
	member := func(basis string, has bool) *score.Result {
		a := &assessment.Assessment{Facts: map[string]*assessment.Fact{}}
		if has {
			a.Facts["x"] = &assessment.Fact{ID: "x", Basis: basis}
		}
		return &score.Result{Source: a}
	}
	labels := []string{"A", "B", "C"}
	for _, tt := range []struct {
		name  string
		panel []*score.Result
		want  string
	}{
		{"one basis, spacing aside", []*score.Result{member("staff", true), member(" staff ", true), member("staff", true)}, ""},
		{"a member without the fact", []*score.Result{member("staff", true), member("", false), member("staff", true)}, ""},
		{"two bases", []*score.Result{member("staff", true), member("posts", true), member("staff", true)}, `"staff" (A, C) and "posts" (B)`},
		{"one unstated", []*score.Result{member("staff", true), member("", true), member("", true)}, `"staff" (A) and no basis stated (B, C)`},
		{"three bases", []*score.Result{member("a", true), member("b", true), member("c", true)}, `"a" (A), "b" (B) and "c" (C)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := basisSplit(tt.panel, labels, "x"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A member whose fact measures above the median, brought down only by the
// evidence rule, must not lift the consensus: with credited levels 1, 1
// and 0 (Alice's fact measures 2 but cites one source) the consensus is
// credited 1, and its overall lies within the members'.
func TestConsensusOfACappedMeasure(t *testing.T) {
	r := testfix.Rubric(t, testfix.Path("testdata", "bad", "mini.yaml"))
	w := weights.Defaults(r)
	var results []*score.Result
	hi := 0.0
	for _, f := range []string{"a.yaml", "b.yaml", "c.yaml"} {
		for _, a := range testfix.Assessments(t, r, filepath.Join("testdata", "capped-measured", f)) {
			res := score.Score(r, a, w, score.Options{})
			hi = max(hi, *res.Overall)
			results = append(results, res)
		}
	}
	c, err := Consensus(r, results, []string{"Alice", "Bob", "Carol"})
	if err != nil {
		t.Fatal(err)
	}
	res := score.Score(r, c, w, score.Options{})
	if got := res.Pillars[6].Criteria[0].Level; got == nil || *got != 1 {
		t.Errorf("consensus cyber-force credited %v, want the median 1", got)
	}
	if *res.Overall > hi {
		t.Errorf("consensus overall %v above every member's (at most %v)", *res.Overall, hi)
	}
	if ch := c.Findings["cyber-force"].Change; !strings.Contains(ch, "only Alice's evidence is kept") && !strings.Contains(ch, "the median, 1, is taken") {
		t.Errorf("change note %q", ch)
	}
}
