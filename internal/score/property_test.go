package score

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
)

func bundledRubric(t testing.TB) *rubric.Rubric {
	t.Helper()
	data, err := os.ReadFile("../../rubrics/iiss-seven-pillars.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, ds := rubric.Parse("iiss-seven-pillars.yaml", data)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return r
}

// randomAssessment judges every criterion at random, sometimes leaving one
// out, with between 0 and 3 sources a finding.
func randomAssessment(r *rubric.Rubric, rng *rand.Rand) *assessment.Assessment {
	a := &assessment.Assessment{Rubric: r.ID, Facts: map[string]*assessment.Fact{}, Findings: map[string]*assessment.Finding{}}
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			if rng.IntN(10) == 0 {
				continue
			}
			var srcs []string
			for i := range rng.IntN(4) {
				srcs = append(srcs, fmt.Sprintf("s%d", i))
			}
			if c.Measure != nil {
				a.Facts[c.Measure.Fact] = &assessment.Fact{ID: c.Measure.Fact, Value: rng.Float64() * 2 * c.Measure.Thresholds[len(c.Measure.Thresholds)-1], Sources: srcs}
				continue
			}
			l := r.Scale.Min + rng.IntN(r.Scale.Max-r.Scale.Min+1)
			a.Findings[c.ID] = &assessment.Finding{Criterion: c.ID, Level: &l, Evidence: []assessment.Claim{{Claim: "c", Sources: srcs}}}
		}
	}
	return a
}

func randomWeights(r *rubric.Rubric, rng *rand.Rand) *weights.Set {
	w := weights.Defaults(r)
	for p := range w.Pillar {
		w.Pillar[p] = rng.Float64() * 3
		for c := range w.Criterion[p] {
			w.Criterion[p][c] = rng.Float64() * 3
		}
		w.Criterion[p][0] += 0.01 // never all zero
	}
	w.Pillar[0] += 0.01
	return w
}

var aggregations = []rubric.Aggregation{rubric.Arithmetic, rubric.Geometric}

func eachScore(res *Result, fn func(what string, v float64)) {
	if res.Overall != nil {
		fn("overall", *res.Overall)
	}
	for _, p := range res.Pillars {
		if p.Score != nil {
			fn(p.ID, *p.Score)
		}
		for _, c := range p.Criteria {
			if c.Score != nil {
				fn(c.ID, *c.Score)
			}
		}
	}
}

func TestPropertyBounds(t *testing.T) {
	r := bundledRubric(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		a, w := randomAssessment(r, rng), randomWeights(r, rng)
		for _, agg := range aggregations {
			for _, missing := range []rubric.Missing{rubric.Exclude, rubric.Zero} {
				res := Score(r, a, w, Options{Aggregation: agg, Missing: missing})
				eachScore(res, func(what string, v float64) {
					if v < 0 || v > 100 || math.IsNaN(v) {
						t.Fatalf("%s %s: score %v out of [0,100]", agg, what, v)
					}
				})
				if res.Coverage < 0 || res.Coverage > 1 {
					t.Fatalf("coverage %v out of [0,1]", res.Coverage)
				}
			}
		}
	}
}

func TestPropertyWeightScaling(t *testing.T) {
	r := bundledRubric(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200; i++ {
		a, w := randomAssessment(r, rng), randomWeights(r, rng)
		k := math.Exp(rng.Float64()*8 - 4)
		scaled := w.Clone()
		// Scale the pillars, or one pillar's criteria: siblings together.
		if p := rng.IntN(len(r.Pillars) + 1); p == len(r.Pillars) {
			for j := range scaled.Pillar {
				scaled.Pillar[j] *= k
			}
		} else {
			for j := range scaled.Criterion[p] {
				scaled.Criterion[p][j] *= k
			}
		}
		for _, agg := range aggregations {
			base := Score(r, a, w, Options{Aggregation: agg})
			got := Score(r, a, scaled, Options{Aggregation: agg})
			if !sameScores(base, got, 1e-9) {
				t.Fatalf("scaling sibling weights by %v changed %s scores", k, agg)
			}
		}
	}
}

func sameScores(a, b *Result, tol float64) bool {
	var av, bv []float64
	eachScore(a, func(_ string, v float64) { av = append(av, v) })
	eachScore(b, func(_ string, v float64) { bv = append(bv, v) })
	if len(av) != len(bv) {
		return false
	}
	for i := range av {
		if math.Abs(av[i]-bv[i]) > tol*math.Max(1, math.Abs(av[i])) {
			return false
		}
	}
	return (a.Tier == nil) == (b.Tier == nil) && (a.Tier == nil || a.Tier.ID == b.Tier.ID)
}

func TestPropertyMonotone(t *testing.T) {
	r := bundledRubric(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 300; i++ {
		a, w := randomAssessment(r, rng), randomWeights(r, rng)
		var ids []string
		for id, f := range a.Findings {
			if *f.Level < r.Scale.Max {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		assessment.SortIDs(ids)
		id := ids[rng.IntN(len(ids))]
		for _, agg := range aggregations {
			before := Score(r, a, w, Options{Aggregation: agg})
			*a.Findings[id].Level++
			after := Score(r, a, w, Options{Aggregation: agg})
			*a.Findings[id].Level--
			if *after.Overall < *before.Overall-1e-9 {
				t.Fatalf("%s: raising %s lowered the overall from %v to %v", agg, id, *before.Overall, *after.Overall)
			}
			for p := range before.Pillars {
				b, a := before.Pillars[p].Score, after.Pillars[p].Score
				if b != nil && a != nil && *a < *b-1e-9 {
					t.Fatalf("%s: raising %s lowered pillar %s", agg, id, before.Pillars[p].ID)
				}
			}
		}
	}
}

// TestPropertyPermutation reorders pillars and criteria inside the rubric
// (with their weights): scores by id must not move.
func TestPropertyPermutation(t *testing.T) {
	r := bundledRubric(t)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 100; i++ {
		a, w := randomAssessment(r, rng), randomWeights(r, rng)
		pr, pw := permute(r, w, rng)
		for _, agg := range aggregations {
			base := Score(r, a, w, Options{Aggregation: agg})
			got := Score(pr, a, pw, Options{Aggregation: agg})
			if math.Abs(*base.Overall-*got.Overall) > 1e-9 {
				t.Fatalf("%s: permuting changed the overall from %v to %v", agg, *base.Overall, *got.Overall)
			}
			byID := map[string]float64{}
			eachScore(base, func(id string, v float64) { byID[id] = v })
			eachScore(got, func(id string, v float64) {
				if math.Abs(byID[id]-v) > 1e-9 {
					t.Fatalf("%s: permuting changed %s from %v to %v", agg, id, byID[id], v)
				}
			})
		}
	}
}

func permute(r *rubric.Rubric, w *weights.Set, rng *rand.Rand) (*rubric.Rubric, *weights.Set) {
	pr := *r
	pr.Pillars = make([]rubric.Pillar, len(r.Pillars))
	pw := w.Clone()
	order := rng.Perm(len(r.Pillars))
	for to, from := range order {
		pl := r.Pillars[from]
		pl.Criteria = append([]rubric.Criterion(nil), pl.Criteria...)
		cw := append([]float64(nil), w.Criterion[from]...)
		rng.Shuffle(len(pl.Criteria), func(i, j int) {
			pl.Criteria[i], pl.Criteria[j] = pl.Criteria[j], pl.Criteria[i]
			cw[i], cw[j] = cw[j], cw[i]
		})
		pr.Pillars[to] = pl
		pw.Pillar[to] = w.Pillar[from]
		pw.Criterion[to] = cw
	}
	return &pr, pw
}

// extremeWeight draws a weight from the whole float64 range: log-uniform
// between 2^lo and 2^hi, or one of the edges (0, the smallest subnormal,
// the largest float64 and neighbours of the overflow limit).
func extremeWeight(rng *rand.Rand, lo, hi float64) float64 {
	edges := []float64{0, math.SmallestNonzeroFloat64, 1e-308, 1, 1e308, 1.7e308, math.MaxFloat64}
	if rng.IntN(6) == 0 {
		return edges[rng.IntN(len(edges))]
	}
	return math.Min(math.Exp2(lo+rng.Float64()*(hi-lo)), math.MaxFloat64)
}

// extremeWeights fills every level with weights from a random band of the
// float64 range (sometimes the whole of it), at least one above 0.
func extremeWeights(r *rubric.Rubric, rng *rand.Rand) *weights.Set {
	band := func() (float64, float64) {
		if rng.IntN(3) == 0 {
			return -1074, 1024
		}
		lo := -1074 + rng.Float64()*2098
		return lo, math.Min(1024, lo+rng.Float64()*200)
	}
	fill := func(ws []float64) {
		lo, hi := band()
		for i := range ws {
			ws[i] = extremeWeight(rng, lo, hi)
		}
		if sum := slicesMax(ws); sum == 0 {
			ws[rng.IntN(len(ws))] = extremeWeight(rng, lo, hi) + math.SmallestNonzeroFloat64
		}
	}
	w := weights.Defaults(r)
	fill(w.Pillar)
	for p := range w.Criterion {
		fill(w.Criterion[p])
	}
	return w
}

func slicesMax(ws []float64) float64 {
	m := 0.0
	for _, w := range ws {
		m = math.Max(m, w)
	}
	return m
}

// TestPropertyExtremeWeights: for weights anywhere in [0, MaxFloat64]
// every number of a result is finite, scores lie in [0, 100], shares in
// [0, 1], and scaling siblings together (so far as no weight leaves the
// normal float64 range) changes no score.
func TestPropertyExtremeWeights(t *testing.T) {
	r := bundledRubric(t)
	rng := rand.New(rand.NewPCG(9, 10))
	scaledRuns := 0
	for i := 0; i < 400; i++ {
		a, w := randomAssessment(r, rng), extremeWeights(r, rng)
		if err := w.Check(r); err != nil {
			t.Fatal(err)
		}
		for _, agg := range aggregations {
			for _, missing := range []rubric.Missing{rubric.Exclude, rubric.Zero} {
				opt := Options{Aggregation: agg, Missing: missing}
				res := Score(r, a, w, opt)
				eachScore(res, func(what string, v float64) {
					if !(v >= 0 && v <= 100) {
						t.Fatalf("%s %s: score %v out of [0,100] under pillar weights %v, criterion weights %v", agg, what, v, w.Pillar, w.Criterion)
					}
				})
				if !(res.Coverage >= 0 && res.Coverage <= 1) {
					t.Fatalf("coverage %v out of [0,1]", res.Coverage)
				}
				for _, p := range res.Pillars {
					finite := !(p.Weight >= 0 && p.Weight <= 1) || p.Contribution != nil && !(*p.Contribution >= 0 && *p.Contribution <= 100)
					for _, c := range p.Criteria {
						finite = finite || !(c.Weight >= 0 && c.Weight <= 1) || c.Contribution != nil && !(*c.Contribution >= 0 && *c.Contribution <= 100)
					}
					if finite {
						t.Fatalf("%s: pillar %s has a weight or contribution out of range", agg, p.ID)
					}
				}
				scaled, j, ok := scaleSiblings(r, w, rng)
				if !ok {
					continue
				}
				scaledRuns++
				if got := Score(r, a, scaled, opt); !sameScores(res, got, 1e-9) {
					t.Fatalf("%s %s: scaling sibling weights by 2^%v changed the scores", agg, missing, j)
				}
			}
		}
	}
	if scaledRuns < 800 {
		t.Errorf("only %d of 1600 results were checked under scaled weights", scaledRuns)
	}
}

// scaleSiblings multiplies the pillars', or one pillar's criteria's,
// weights by 2^j for a j that keeps every positive one between the
// smallest normal and the largest float64; ok is false when there is no
// such j. The factor is applied in logarithms, as 2^j itself may not be a
// float64.
func scaleSiblings(r *rubric.Rubric, w *weights.Set, rng *rand.Rand) (s *weights.Set, j float64, ok bool) {
	s = w.Clone()
	ws := s.Pillar
	if p := rng.IntN(len(r.Pillars) + 1); p < len(r.Pillars) {
		ws = s.Criterion[p]
	}
	lo, hi := math.Inf(1), 0.0
	for _, x := range ws {
		if x > 0 {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	// Bounds of j, with room for rounding.
	jmin, jmax := -1022-math.Log2(lo)+1, 1024-math.Log2(hi)-1
	if !(jmin <= jmax) {
		return s, 0, false
	}
	j = jmin + rng.Float64()*(jmax-jmin)
	for i, x := range ws {
		if x > 0 {
			ws[i] = math.Exp2(math.Log2(x) + j)
		}
	}
	return s, j, true
}
