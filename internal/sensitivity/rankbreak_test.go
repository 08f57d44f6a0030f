package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestRankBreakEvenMatchesEveryPair checks the sorted walk and the
// once-per-pair cross-class pass against solving every ordered pair, on
// random forms: one class or several, lines through a common point, ties
// at factor 1, equal slopes, zero forms. Factors must be the same
// float64s, with the same other assessment and direction.
func TestRankBreakEvenMatchesEveryPair(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	checked, found := 0, 0
	for trial := range 400 {
		n, np := 1+rng.IntN(120), 1+rng.IntN(3)
		if trial%50 == 0 {
			n = 600
		}
		fs := randomForms(rng, n, np, trial)
		want := make([]rankPair, n*np)
		for i := range n {
			for p := range np {
				down, up := oldRankBreakEven(i, p, n, fs)
				want[i*np+p] = rankPair{down: pickOf(down), up: pickOf(up)}
			}
		}
		for _, workers := range []int{1, 3} {
			got := rankBreakEvens(fs, n, np, workers)
			for x := range want {
				if got[x] != want[x] {
					t.Fatalf("trial %d (n %d, %d workers), assessment %d pillar %d: got %s, want %s", trial, n, workers, x/np, x%np, pairString(got[x]), pairString(want[x]))
				}
				checked++
				if want[x].up.ok || want[x].down.ok {
					found++
				}
			}
		}
	}
	if found < checked/2 {
		t.Fatalf("only %d of %d rows have a crossing; the test cannot tell much", found, checked)
	}
}

// TestRankBreakEvenNearTies checks the margins of the walk where roots
// differ by rounding only: lines through one point near factor 1 (their
// roots agree up to the last bits, and the earlier assessment wins a tie),
// and a root that snaps to 1 just past one exactly at 1.
func TestRankBreakEvenNearTies(t *testing.T) {
	check := func(t *testing.T, fs []mobius) {
		t.Helper()
		n := len(fs)
		got := rankBreakEvens(fs, n, 1, 1)
		for i := range n {
			down, up := oldRankBreakEven(i, 0, n, fs)
			if want := (rankPair{down: pickOf(down), up: pickOf(up)}); got[i] != want {
				t.Fatalf("%v, assessment %d: got %s, want %s", fs, i, pairString(got[i]), pairString(want))
			}
		}
	}
	t.Run("snap", func(t *testing.T) {
		// Assessment 2 meets 1 at exactly 1 and 0 at 1 + 5e-10, which
		// snaps to 1: the earlier, 0, is the one reported.
		check(t, []mobius{{A: 1 + 5e-10, B: 3, b: 1}, {A: 1, B: 3, b: 1}, {a: 1, B: 3, b: 1}})
	})
	t.Run("concurrent", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		fs := make([]mobius, 5)
		for range 100_000 {
			fs := fs[:3+rng.IntN(3)]
			k0, y0 := 0.5+rng.Float64()*2, rng.Float64()*100
			if rng.IntN(2) == 0 {
				k0 = 1 + (rng.Float64()-0.5)*1e-8
			}
			for i := range fs {
				a := rng.Float64() * 100
				fs[i] = mobius{A: y0 - a*k0, a: a, B: 3, b: 1}
			}
			check(t, fs)
		}
	})
}

// randomForms draws np pillar rows of n forms. Values are often on a
// coarse grid, as pillar scores are, so that ties and common points occur.
func randomForms(rng *rand.Rand, n, np, trial int) []mobius {
	fs := make([]mobius, n*np)
	grid := func(hi float64) float64 {
		if rng.IntN(2) == 0 {
			return math.Round(rng.Float64()*8) * hi / 8
		}
		return rng.Float64() * hi
	}
	classes := []struct{ B, b float64 }{{3, 1}}
	if trial%3 != 0 {
		for range 1 + rng.IntN(3) {
			classes = append(classes, struct{ B, b float64 }{grid(4), grid(2)})
		}
	}
	for p := range np {
		k0, y0 := 0.25+rng.Float64()*3, grid(300)
		for i := range n {
			f := &fs[p*n+i]
			c := classes[0]
			if rng.IntN(4) == 0 {
				c = classes[rng.IntN(len(classes))]
			}
			f.B, f.b = c.B, c.b
			f.a = grid(100) * f.b
			f.A = grid(300)
			if trial%4 == 1 {
				f.A -= 400 // logarithms under geometric aggregation
			}
			switch rng.IntN(8) {
			case 0: // through a common point at k0
				f.A = y0 - f.a*k0
			case 1: // equal to another at factor 1
				if i > 0 {
					g := fs[p*n+rng.IntN(i)]
					f.A = g.A + g.a - f.a
				}
			case 2:
				f.zero = true
			}
		}
	}
	return fs
}

func pickOf(c *RankChange) rankPick {
	if c == nil {
		return rankPick{}
	}
	return rankPick{k: c.Factor, other: c.Other, gains: c.Gains, ok: true}
}

func pairString(r rankPair) string {
	s := func(p rankPick) string {
		if !p.ok {
			return "never"
		}
		return fmt.Sprintf("×%v with %d (gains %v)", p.k, p.other, p.gains)
	}
	return "down " + s(r.down) + ", up " + s(r.up)
}

// oldRankBreakEven solves every ordered pair, as break-even did before the
// sorted walk: the oracle for rankBreakEvens.
func oldRankBreakEven(i, p, n int, fs []mobius) (down, up *RankChange) {
	row := fs[p*n : (p+1)*n]
	fi := row[i]
	if fi.zero {
		return nil, nil
	}
	for j, fj := range row {
		if j == i || fj.zero {
			continue
		}
		// (A_i + k a_i)(B_j + k b_j) − (A_j + k a_j)(B_i + k b_i) has the
		// sign of O_i(k) − O_j(k): denominators are positive.
		var c0, c1, c2 float64
		if fi.B == fj.B && fi.b == fj.b {
			// The usual case, the same pillars scored: the common
			// denominator B + k·b is positive and drops out, leaving
			// (A_i − A_j) + k·(a_i − a_j).
			c0, c1 = fi.A-fj.A, fi.a-fj.a
		} else {
			c0 = fi.A*fj.B - fj.A*fi.B
			c1 = fi.A*fj.b + fi.a*fj.B - fj.A*fi.b - fj.a*fi.B
			c2 = fi.a*fj.b - fj.a*fi.b
		}
		var rs [2]float64
		nr := 0
		switch {
		case c2 == 0 && c1 != 0:
			rs[0], nr = -c0/c1, 1
		case c2 != 0:
			disc := c1*c1 - 4*c2*c0
			if disc <= 0 {
				break // no root, or a double root where the order does not change
			}
			q := -0.5 * (c1 + math.Copysign(math.Sqrt(disc), c1))
			rs[0], nr = q/c2, 1
			if q != 0 {
				rs[1], nr = c0/q, 2
			}
		}
		for _, k := range rs[:nr] {
			if !(k > 0) || math.IsInf(k, 0) {
				continue
			}
			slope := c1 + 2*c2*k // sign of O_i − O_j just above k
			// A root at 1 up to rounding is a tie at the nominal weights,
			// which input order breaks: the order changes at once in the
			// direction that puts the later assessment ahead, and not at
			// all in the other.
			atOne := math.Abs(k-1) <= 1e-9
			if atOne {
				k = 1
			}
			if k >= 1 && (!atOne || (slope > 0) != (i < j)) && (up == nil || k < up.Factor) {
				up = &RankChange{Factor: k, Other: j, Gains: slope > 0}
			}
			if k <= 1 && (!atOne || (slope < 0) != (i < j)) && (down == nil || k > down.Factor) {
				down = &RankChange{Factor: k, Other: j, Gains: slope < 0}
			}
		}
	}
	return down, up
}
