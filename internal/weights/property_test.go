package weights

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/capscore/capscore/internal/rubric"
)

// randomSet draws weights for the bundled rubric's shape, some of them 0,
// never a whole level of zeros.
func randomSet(r *rubric.Rubric, rng *rand.Rand) *Set {
	s := Defaults(r)
	fill := func(ws []float64) {
		for i := range ws {
			if rng.IntN(4) > 0 {
				ws[i] = rng.Float64() * math.Pow(10, float64(rng.IntN(7)-3))
			} else {
				ws[i] = 0
			}
		}
		ws[rng.IntN(len(ws))] = 0.5 + rng.Float64()
	}
	fill(s.Pillar)
	for p := range s.Criterion {
		fill(s.Criterion[p])
	}
	return s
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// Scaling every sibling weight by k > 0 changes no normalised weight, so
// changes no score (DESIGN.md, the arithmetic, point 7).
func TestPropertyScalingSiblings(t *testing.T) {
	r := bundled(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		s := randomSet(r, rng)
		k := math.Exp(rng.Float64()*20 - 10)
		scaled := s.Clone()
		for i := range scaled.Pillar {
			scaled.Pillar[i] *= k
		}
		p := rng.IntN(len(scaled.Criterion))
		for i := range scaled.Criterion[p] {
			scaled.Criterion[p][i] *= k
		}
		a, b := s.Effective(r), scaled.Effective(r)
		for i := range a {
			if !closeTo(a[i].Normalised, b[i].Normalised) || !closeTo(a[i].OfOverall, b[i].OfOverall) {
				t.Fatalf("k=%g changed %s: %g → %g", k, a[i].ID, a[i].Normalised, b[i].Normalised)
			}
		}
	}
}

func TestPropertyNormalizeSumsToOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		ws := make([]float64, 1+rng.IntN(40))
		for i := range ws {
			if rng.IntN(3) > 0 {
				ws[i] = rng.ExpFloat64() * math.Pow(10, float64(rng.IntN(13)-6))
			}
		}
		ws[rng.IntN(len(ws))] += 1e-3
		n := Normalize(ws)
		total := 0.0
		for i, x := range n {
			if x < 0 || x > 1 || (ws[i] == 0) != (x == 0) {
				t.Fatalf("Normalize(%v)[%d] = %g", ws, i, x)
			}
			total += x
		}
		if math.Abs(total-1) > 1e-12 {
			t.Fatalf("Normalize(%v) sums to %.17g", ws, total)
		}
	}
	if n := Normalize([]float64{0, 0}); n[0] != 0 || n[1] != 0 {
		t.Errorf("all-zero input became %v", n)
	}
}

// Each weight ends with the value and origin of the strongest layer that set
// it, and among overrides in one layer the last wins; weights no layer set
// keep the rubric's.
func TestPropertyLayerOrder(t *testing.T) {
	r := bundled(t)
	ids := r.IDs()
	layers := Layers()[1:]
	rng := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		type last struct {
			value float64
			layer Layer
		}
		want := map[string]last{}
		st := Stack{Rubric: r}
		for _, l := range layers {
			var ov []Override
			for range rng.IntN(8) {
				id := ids[rng.IntN(len(ids))]
				v := float64(1 + rng.IntN(9))
				ov = append(ov, Override{ID: id, Value: v, Origin: Origin{Layer: l, Source: id}})
				want[id] = last{v, l}
			}
			switch l {
			case Profile:
				st.Profile = &ProfileLayer{Name: "p", Weights: ov}
			case Config:
				st.Config = ov
			case Env:
				st.Env = ov
			case Flag:
				st.Flags = ov
			}
		}
		s, err := st.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range s.Effective(r) {
			w, set := want[e.ID]
			switch {
			case set && (e.Relative != w.value || e.Origin.Layer != w.layer):
				t.Fatalf("%s = %g from %s, want %g from %s", e.ID, e.Relative, e.Origin.Layer, w.value, w.layer)
			case !set && e.Origin.Layer != Default:
				t.Fatalf("%s set by %s, which never named it", e.ID, e.Origin)
			}
		}
	}
}
