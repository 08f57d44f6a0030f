package score

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/capscore/capscore/internal/rubric"
)

// tierRank is a tier's place in the ladder; meeting no tier ranks last.
func tierRank(r *rubric.Rubric, res *Result) int {
	t := tierOf(r, res)
	if t == nil {
		return len(r.Tiers)
	}
	for i := range r.Tiers {
		if r.Tiers[i].ID == t.ID {
			return i
		}
	}
	panic("tier not in ladder")
}

// pillarResult builds a result from pillar scores with an arithmetic
// overall under weights w.
func pillarResult(scores, w []float64) *Result {
	res := &Result{Pillars: make([]Pillar, len(scores))}
	var num, den float64
	for i, s := range scores {
		s := s
		res.Pillars[i] = Pillar{Score: &s}
		num += w[i] * s
		den += w[i]
	}
	o := num / den
	res.Overall = &o
	return res
}

// randomLadder draws a tier list of the DESIGN form: every condition
// optional, the last tier with or without conditions.
func randomLadder(rng *rand.Rand) []rubric.Tier {
	n := 1 + rng.IntN(4)
	out := make([]rubric.Tier, n)
	score := func() *float64 { v := float64(rng.IntN(9)) * 12.5; return &v }
	for i := range out {
		out[i].ID = string(rune('1' + i))
		if rng.IntN(2) == 0 {
			out[i].OverallAtLeast = score()
		}
		if rng.IntN(3) == 0 {
			out[i].EveryPillarAtLeast = score()
		}
		if rng.IntN(2) == 0 {
			out[i].PillarsAtLeast = &rubric.CountAtLeast{Count: 1 + rng.IntN(7), Score: *score()}
		}
	}
	return out
}

func rubricTiers(t *testing.T, file string) []rubric.Tier {
	t.Helper()
	data, err := os.ReadFile("../../rubrics/" + file)
	if err != nil {
		t.Fatal(err)
	}
	r, ds := rubric.Parse(file, data)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return r.Tiers
}

// TestPropertyTierMonotone: raising any pillar's score never moves an
// assessment to a lower tier (or out of every tier), for random ladders of
// the DESIGN form and for the bundled rubrics' ladders.
func TestPropertyTierMonotone(t *testing.T) {
	ladders := map[string][]rubric.Tier{
		"bundled 2.0.0": rubricTiers(t, "iiss-seven-pillars.yaml"),
		"bundled 1.0.0": rubricTiers(t, "iiss-seven-pillars-1.0.0.yaml"),
	}
	rng := rand.New(rand.NewPCG(14, 7))
	for i := 0; i < 200; i++ {
		ladders["random"+string(rune('a'+i%26))+string(rune('a'+i/26))] = randomLadder(rng)
	}
	for name, tiers := range ladders {
		r := &rubric.Rubric{Tiers: tiers}
		for trial := 0; trial < 300; trial++ {
			scores, w := make([]float64, 7), make([]float64, 7)
			for p := range scores {
				// Often on a multiple of 12.5, where thresholds sit.
				if rng.IntN(2) == 0 {
					scores[p] = float64(rng.IntN(9)) * 12.5
				} else {
					scores[p] = rng.Float64() * 100
				}
				w[p] = 0.1 + rng.Float64()*2
			}
			before := tierRank(r, pillarResult(scores, w))
			p := rng.IntN(7)
			raised := append([]float64(nil), scores...)
			raised[p] = min(100, scores[p]+rng.Float64()*50)
			if after := tierRank(r, pillarResult(raised, w)); after > before {
				t.Fatalf("%s: raising pillar %d from %g to %g moved the tier rank from %d to %d (scores %v)", name, p, scores[p], raised[p], before, after, scores)
			}
		}
	}
}

// TestNoStrengthNoTier: under the bundled rubric a state with no pillar
// showing strength meets no tier, and one pillar at 62.5 is enough for
// Tier 3.
func TestNoStrengthNoTier(t *testing.T) {
	r := &rubric.Rubric{Tiers: rubricTiers(t, "iiss-seven-pillars.yaml")}
	w := []float64{1, 1, 1, 1, 1, 1, 1}
	for _, tc := range []struct {
		name   string
		scores []float64
		want   string
	}{
		{"all zero", []float64{0, 0, 0, 0, 0, 0, 0}, ""},
		{"all nascent", []float64{25, 25, 25, 25, 25, 25, 25}, ""},
		{"all developing, no strength", []float64{60, 60, 60, 60, 60, 60, 60}, ""},
		{"one potential strength", []float64{62.5, 0, 0, 0, 0, 0, 0}, "3"},
		{"one world-leading pillar", []float64{87.5, 10, 10, 10, 10, 10, 10}, "2"},
		{"world-leading everywhere", []float64{90, 90, 90, 90, 90, 90, 90}, "1"},
	} {
		got := ""
		if tr := tierOf(r, pillarResult(tc.scores, w)); tr != nil {
			got = tr.ID
		}
		if got != tc.want {
			t.Errorf("%s: tier %q, want %q", tc.name, got, tc.want)
		}
	}
}
