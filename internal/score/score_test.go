package score

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
)

func miniRubric(t testing.TB) *rubric.Rubric {
	t.Helper()
	data, err := os.ReadFile("testdata/mini-rubric.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, ds := rubric.Parse("mini-rubric.yaml", data)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return r
}

// assess builds an assessment from "criterion: level/sources" pairs, where
// sources is how many distinct sources the finding cites.
func assess(t testing.TB, findings map[string][2]int, personnel *float64) *assessment.Assessment {
	t.Helper()
	a := &assessment.Assessment{File: "x.yaml", Country: "X", Rubric: "mini",
		Sources: map[string]*assessment.Source{}, Facts: map[string]*assessment.Fact{}, Findings: map[string]*assessment.Finding{}}
	for id, ls := range findings {
		level := ls[0]
		f := &assessment.Finding{Criterion: id, Level: &level}
		for i := 0; i < ls[1]; i++ {
			f.Evidence = append(f.Evidence, assessment.Claim{Claim: "c", Sources: []string{id + "-src-" + string(rune('a'+i))}})
		}
		a.Findings[id] = f
	}
	if personnel != nil {
		a.Facts["personnel"] = &assessment.Fact{ID: "personnel", Value: *personnel, Sources: []string{"fact-src"}}
	}
	return a
}

func approx(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: got null, want %v", what, want)
	}
	if math.Abs(*got-want) > 1e-9 {
		t.Errorf("%s: got %v, want %v", what, *got, want)
	}
}

func ptr(v float64) *float64 { return &v }

func TestScoreByHand(t *testing.T) {
	r := miniRubric(t)
	a := assess(t, map[string][2]int{
		"s1": {3, 1}, "s2": {0, 0}, "g1": {2, 1}, "i1": {1, 1}, "e1": {4, 2}, "r1": {2, 1}, "l1": {3, 1}, "o1": {1, 1},
	}, ptr(600))
	res := Score(r, a, weights.Defaults(r), Options{})
	// strategy: (2·75 + 1·0)/3 = 50
	approx(t, "strategy", res.Pillars[0].Score, 50)
	// offence: o1 25, personnel 600 → level 2 → 50; mean 37.5
	approx(t, "offence", res.Pillars[6].Score, 37.5)
	// overall: (50+50+25+100+50+75 + 2·37.5)/8 = 425/8
	approx(t, "overall", res.Overall, 425.0/8)
	if res.Tier == nil || res.Tier.ID != "2" {
		t.Errorf("tier: got %+v, want 2 (empowerment at 100)", res.Tier)
	}
	sum := 0.0
	for _, p := range res.Pillars {
		sum += *p.Contribution
		for _, c := range p.Criteria {
			if c.Contribution != nil {
				sum -= *c.Contribution
			}
		}
	}
	if math.Abs(sum) > 1e-9 {
		t.Errorf("criterion contributions do not add up to pillar contributions: off by %v", sum)
	}
	approx(t, "coverage", &res.Coverage, 1)
	if w := res.Pillars[6].Weight; math.Abs(w-0.25) > 1e-12 {
		t.Errorf("offence normalised weight %v, want 0.25", w)
	}
}

func TestEvidenceRule(t *testing.T) {
	r := miniRubric(t)
	tests := []struct {
		name           string
		stated, srcs   int
		credited       int
		capped         bool
		warningMention string
	}{
		{"level 4 with two sources", 4, 2, 4, false, ""},
		{"level 4 with one source is capped at 3", 4, 1, 3, true, "stated level 4 credited at 3"},
		{"level 2 with no source falls to the minimum", 2, 0, 0, true, "stated level 2 credited at 0"},
		{"level 0 needs nothing", 0, 0, 0, false, ""},
		{"level 1 with one source", 1, 1, 1, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := assess(t, map[string][2]int{"g1": {tt.stated, tt.srcs}}, nil)
			res := Score(r, a, weights.Defaults(r), Options{})
			c := res.Pillars[1].Criteria[0]
			if c.Level == nil || *c.Level != tt.credited || c.Capped != tt.capped {
				t.Fatalf("got level %v capped %v, want %d %v", c.Level, c.Capped, tt.credited, tt.capped)
			}
			joined := strings.Join(res.Warnings, "\n")
			if tt.warningMention != "" && !strings.Contains(joined, tt.warningMention) {
				t.Errorf("warnings %q lack %q", joined, tt.warningMention)
			}
		})
	}
}

func TestMeasuredLevels(t *testing.T) {
	r := miniRubric(t)
	for _, tt := range []struct {
		value float64
		level int
	}{{0, 0}, {99.9, 0}, {100, 1}, {499, 1}, {500, 2}, {2000, 3}, {4999, 3}, {5000, 4}, {1e9, 4}} {
		a := assess(t, map[string][2]int{}, ptr(tt.value))
		// One source from the fact alone: level 4 needs two, so 4 is capped at 3.
		want := min(tt.level, 3)
		c := Score(r, a, weights.Defaults(r), Options{}).Pillars[6].Criteria[1]
		if c.MeasuredLevel == nil || *c.MeasuredLevel != tt.level || *c.Level != want {
			t.Errorf("value %v: measured %v credited %v, want %d and %d", tt.value, c.MeasuredLevel, c.Level, tt.level, want)
		}
	}
	// Without the fact the criterion is missing even with a finding.
	a := assess(t, map[string][2]int{"personnel": {2, 1}}, nil)
	if c := Score(r, a, weights.Defaults(r), Options{}).Pillars[6].Criteria[1]; c.Counted {
		t.Errorf("measured criterion without its fact was counted: %+v", c)
	}
}

func TestMissingRules(t *testing.T) {
	r := miniRubric(t)
	a := assess(t, map[string][2]int{"s1": {4, 2}, "g1": {2, 1}}, nil)
	w := weights.Defaults(r)
	ex := Score(r, a, w, Options{Missing: rubric.Exclude})
	approx(t, "exclude strategy", ex.Pillars[0].Score, 100)
	if ex.Pillars[2].Score != nil {
		t.Errorf("intelligence has no finding and should be unscored under exclude")
	}
	approx(t, "exclude overall", ex.Overall, 75)
	// coverage: strategy s1 is 2/3 of a pillar weighted 1/8, governance 1/8
	approx(t, "exclude coverage", &ex.Coverage, (2.0/3)/8+1.0/8)

	zero := Score(r, a, w, Options{Missing: rubric.Zero})
	approx(t, "zero strategy", zero.Pillars[0].Score, 2.0/3*100)
	approx(t, "zero intelligence", zero.Pillars[2].Score, 0)
	approx(t, "zero overall", zero.Overall, (200.0/3+50)/8)
	approx(t, "zero coverage", &zero.Coverage, ex.Coverage)
}

func TestGeometric(t *testing.T) {
	r := miniRubric(t)
	all := map[string][2]int{"s1": {2, 1}, "s2": {2, 1}, "g1": {2, 1}, "i1": {1, 1}, "e1": {4, 2}, "r1": {2, 1}, "l1": {3, 1}, "o1": {1, 1}}
	a := assess(t, all, ptr(600))
	res := Score(r, a, weights.Defaults(r), Options{Aggregation: rubric.Geometric})
	// pillars: strategy 50, governance 50, intelligence 25, empowerment 100, resilience 50, leadership 75, offence 37.5 (×2)
	want := math.Exp((3*math.Log(50) + math.Log(25) + math.Log(100) + math.Log(75) + 2*math.Log(37.5)) / 8)
	approx(t, "geometric overall", res.Overall, want)
	if res.Pillars[0].Contribution != nil {
		t.Errorf("contribution is only defined under arithmetic aggregation")
	}
	all["i1"] = [2]int{0, 0}
	res = Score(r, assess(t, all, ptr(600)), weights.Defaults(r), Options{Aggregation: rubric.Geometric})
	approx(t, "geometric with a zero pillar", res.Overall, 0)
}

func TestTiers(t *testing.T) {
	r := miniRubric(t)
	top := map[string][2]int{"s1": {4, 2}, "s2": {4, 2}, "g1": {4, 2}, "i1": {4, 2}, "e1": {4, 2}, "r1": {4, 2}, "l1": {4, 2}, "o1": {4, 2}}
	big := 6000.0
	a := assess(t, top, &big)
	a.Facts["personnel"].Sources = []string{"f1", "f2"}
	if res := Score(r, a, weights.Defaults(r), Options{}); res.Tier.ID != "1" {
		t.Errorf("all pillars at 100: tier %s, want 1", res.Tier.ID)
	}
	// 3.5 mean in offence is exactly 87.5: still counts.
	top["o1"] = [2]int{3, 1}
	if res := Score(r, assess(t, top, &big), weights.Defaults(r), Options{}); res.Tier.ID != "2" {
		// personnel has one source here: capped at 3, so offence = 75
		t.Errorf("offence at 75: tier %s, want 2", res.Tier.ID)
	}
	a = assess(t, top, &big)
	a.Facts["personnel"].Sources = []string{"f1", "f2"}
	res := Score(r, a, weights.Defaults(r), Options{})
	approx(t, "offence at the threshold", res.Pillars[6].Score, 87.5)
	if res.Tier.ID != "1" {
		t.Errorf("offence at exactly 87.5: tier %s, want 1", res.Tier.ID)
	}
}

func TestNoPillarScored(t *testing.T) {
	r := miniRubric(t)
	res := Score(r, assess(t, nil, nil), weights.Defaults(r), Options{})
	if res.Overall != nil || res.Tier != nil {
		t.Errorf("nothing to score, got overall %v tier %v", res.Overall, res.Tier)
	}
	if len(res.Warnings) != 8 {
		t.Errorf("want a warning for each of 7 pillars and one for the overall, got %q", res.Warnings)
	}
}

// Weights anywhere in the float64 range, mixed with 0 and the smallest
// subnormal, give the scores their ratios give: sums are taken after
// scaling, so none overflows or loses the small weights' precision.
func TestExtremeWeights(t *testing.T) {
	r := miniRubric(t)
	a := assess(t, map[string][2]int{
		"s1": {3, 1}, "s2": {0, 0}, "g1": {2, 1}, "i1": {1, 1}, "e1": {4, 2}, "r1": {2, 1}, "l1": {3, 1}, "o1": {1, 1},
	}, ptr(600))
	// Pillar scores at the default criterion weights: strategy 50,
	// governance 50, intelligence 25, empowerment 100, resilience 50,
	// leadership 75, offence 37.5.
	scores := []float64{50, 50, 25, 100, 50, 75, 37.5}
	const (
		tiny = math.SmallestNonzeroFloat64
		top  = math.MaxFloat64
	)
	all := func(v float64) []float64 { return []float64{v, v, v, v, v, v, v} }
	for _, tc := range []struct {
		name     string
		pillars  []float64 // nil: the rubric's
		s1, s2   float64   // strategy's criteria; both 0: the rubric's
		strategy float64
		want     []float64 // weights the overall should equal the mean under
	}{
		{"every pillar at 1.7e308", all(1.7e308), 0, 0, 50, all(1)},
		{"every pillar at the largest float64", all(top), 0, 0, 50, all(1)},
		{"every pillar at the smallest subnormal", all(tiny), 0, 0, 50, all(1)},
		{"two at 1e308", []float64{1e308, 1e308, 0, 0, 0, 0, 0}, 0, 0, 50, []float64{1, 1, 0, 0, 0, 0, 0}},
		{"two at 1.7e308, the rest 1", []float64{1.7e308, 1.7e308, 1, 1, 1, 1, 1}, 0, 0, 50, []float64{1, 1, 0, 0, 0, 0, 0}},
		{"largest next to subnormals", []float64{tiny, tiny, tiny, top, tiny, tiny, tiny}, 0, 0, 50, []float64{0, 0, 0, 1, 0, 0, 0}},
		{"one subnormal, the rest 0", []float64{0, 0, tiny, 0, 0, 0, 0}, 0, 0, 50, []float64{0, 0, 1, 0, 0, 0, 0}},
		{"subnormal and largest, others 0", []float64{0, 0, tiny, 0, 0, 0, top}, 0, 0, 50, []float64{0, 0, 0, 0, 0, 0, 1}},
		{"criteria at the largest float64", nil, top, top, 37.5, []float64{1, 1, 1, 1, 1, 1, 2}},
		{"criteria subnormal and 0", nil, tiny, 0, 75, []float64{1, 1, 1, 1, 1, 1, 2}},
		{"criteria 0 and subnormal", nil, 0, tiny, 0, []float64{1, 1, 1, 1, 1, 1, 2}},
		{"criteria 1e308 and subnormal", nil, 1e308, tiny, 75, []float64{1, 1, 1, 1, 1, 1, 2}},
		{"criteria 1.7e308 twice", nil, 1.7e308, 1.7e308, 37.5, []float64{1, 1, 1, 1, 1, 1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := weights.Defaults(r)
			if tc.pillars != nil {
				copy(w.Pillar, tc.pillars)
			}
			if tc.s1 != 0 || tc.s2 != 0 {
				w.Criterion[0][0], w.Criterion[0][1] = tc.s1, tc.s2
			}
			ps := append([]float64(nil), scores...)
			ps[0] = tc.strategy
			for _, agg := range aggregations {
				res := Score(r, a, w, Options{Aggregation: agg})
				approx(t, string(agg)+" strategy", res.Pillars[0].Score, tc.strategy)
				var num, den, logs float64
				for p, v := range tc.want {
					num += v * ps[p]
					den += v
					if v > 0 {
						logs += v * math.Log(ps[p])
					}
				}
				want := num / den
				if agg == rubric.Geometric {
					want = math.Exp(logs / den)
					if tc.strategy == 0 && tc.want[0] > 0 {
						want = 0
					}
				}
				approx(t, string(agg)+" overall", res.Overall, want)
				shares := 0.0
				for _, p := range res.Pillars {
					if !(p.Weight >= 0 && p.Weight <= 1) {
						t.Errorf("%s: pillar %s weight %v", agg, p.ID, p.Weight)
					}
					shares += p.Weight
					if p.Contribution != nil && !(*p.Contribution >= 0 && *p.Contribution <= 100) {
						t.Errorf("%s: pillar %s contribution %v", agg, p.ID, *p.Contribution)
					}
					for _, c := range p.Criteria {
						if !(c.Weight >= 0 && c.Weight <= 1) || c.Contribution != nil && !(*c.Contribution >= 0 && *c.Contribution <= 100) {
							t.Errorf("%s: criterion %s weight %v contribution %v", agg, c.ID, c.Weight, c.Contribution)
						}
					}
				}
				if math.Abs(shares-1) > 1e-12 {
					t.Errorf("%s: pillar weights sum to %v", agg, shares)
				}
				if !(res.Coverage >= 0 && res.Coverage <= 1) {
					t.Errorf("%s: coverage %v", agg, res.Coverage)
				}
			}
		})
	}
}

// A score that is not a number meets no tier condition, whatever the
// engine that produced it.
func TestTierRefusesNaN(t *testing.T) {
	nan, low := math.NaN(), 10.0
	res := &Result{Overall: &nan, Pillars: []Pillar{{Score: &nan}, {Score: &low}}}
	at := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name string
		tier rubric.Tier
	}{
		{"overall_at_least", rubric.Tier{OverallAtLeast: at(75)}},
		{"every_pillar_at_least", rubric.Tier{EveryPillarAtLeast: at(5)}},
		{"pillars_at_least", rubric.Tier{PillarsAtLeast: &rubric.CountAtLeast{Count: 2, Score: 5}}},
	} {
		if holds(tc.tier, res) {
			t.Errorf("%s: NaN met the condition", tc.name)
		}
	}
}
