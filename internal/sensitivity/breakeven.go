package sensitivity

import (
	"context"
	"math"
	"slices"

	"github.com/capscore/capscore/internal/score"
)

// Break-even in closed form. Multiply pillar p's weight by k, others fixed.
// An assessment's overall is then a Möbius function of k,
//
//	O(k) = (A + k·a) / (B + k·b),  a = w_p·P_p, b = w_p,
//
// with A and B the weighted sum and weight sum of its other scored pillars
// (under geometric aggregation the same holds for ln O with ln P in place
// of P). Its pillar scores, and with them every_pillar_at_least and
// pillars_at_least, do not depend on k, so the tier can change only where
// O(k) meets an overall_at_least threshold T: k = (T·B − A) / (a − T·b).
// Two assessments swap places where O_i(k) = O_j(k), a quadratic in k once
// the denominators are cleared. Between those roots nothing changes, so the
// tier is read once per interval and no search is needed.

type mobius struct {
	A, a, B, b float64
	// zero: geometric aggregation with a weighted pillar at 0, so the
	// overall is 0 for every k > 0.
	zero bool
}

// at is the overall (in log form under geometric aggregation) at factor k.
// Above 1 it divides through by k, so that a factor near the float64 limit
// does not overflow.
func (f mobius) at(k float64) float64 {
	if k > 1 {
		return (f.A/k + f.a) / (f.B/k + f.b)
	}
	return (f.A + k*f.a) / (f.B + k*f.b)
}

type breakEven struct {
	tierDown, tierUp *TierChange
	rankDown, rankUp *RankChange
}

// forms returns the Möbius form of every assessment under a factor on
// each pillar, pillar-major: forms[p*n+i], so that comparing one assessment
// with all others reads memory in order.
func (m *model) forms() []mobius {
	out := make([]mobius, m.n*m.np)
	for i := range m.n {
		for p := range m.np {
			f := &out[p*m.n+i]
			for q := range m.np {
				if !m.pscored[i*m.np+q] {
					continue
				}
				w, v := m.w0[q], m.pscore[i*m.np+q]
				if m.geo {
					if w > 0 && m.zero[i*m.np+q] {
						f.zero = true
						continue
					}
					v = m.lnP[i*m.np+q]
				}
				term := 0.0
				if w > 0 {
					term = w * v
				}
				if q == p {
					f.a, f.b = term, w
				} else {
					f.A += term
					f.B += w
				}
			}
		}
	}
	return out
}

// overallAt is the overall of form f at factor k.
func (m *model) overallAt(f mobius, k float64) float64 {
	switch {
	case f.zero:
		return 0
	case m.geo:
		return math.Exp(f.at(k))
	}
	return f.at(k)
}

func breakEvens(m *model, workers int) []breakEven {
	fs := m.forms()
	ranks := rankBreakEvens(fs, m.n, m.np, workers)
	out := make([]breakEven, m.n*m.np)
	forChunks(context.Background(), workers, m.n, &progress{}, func() []float64 {
		return make([]float64, 0, len(m.tiers))
	}, func(roots []float64, i int) {
		for p := range m.np {
			b, r := &out[i*m.np+p], &ranks[i*m.np+p]
			b.tierDown, b.tierUp = m.tierBreakEven(i, fs[p*m.n+i], roots[:0])
			b.rankDown, b.rankUp = r.down.change(), r.up.change()
		}
	})
	return out
}

// tierBreakEven finds the factors nearest to 1 at which assessment i's
// tier changes.
func (m *model) tierBreakEven(i int, f mobius, roots []float64) (down, up *TierChange) {
	if f.zero || f.b == 0 {
		return nil, nil
	}
	for _, t := range m.tiers {
		if !t.hasOver {
			continue
		}
		tv := t.overall
		if m.geo {
			if tv <= 0 {
				continue
			}
			tv = math.Log(tv)
		}
		if d := f.a - tv*f.b; d != 0 {
			if k := (tv*f.B - f.A) / d; k > 0 && k != 1 && !math.IsInf(k, 0) {
				roots = append(roots, k)
			}
		}
	}
	slices.Sort(roots)
	tierAt := func(k float64) int { return m.tierFixed(i, m.overallAt(f, k)) }
	here := tierAt(1)
	// Walk outwards from 1 over the roots; the tier is constant between
	// neighbouring roots, so one point inside each interval tells it.
	j := sort1(roots)
	prev := here
	for u := j; u < len(roots); u++ {
		rep := min(2*roots[u], math.MaxFloat64)
		if u+1 < len(roots) {
			rep = roots[u]/2 + roots[u+1]/2
		}
		if t := tierAt(rep); t != prev {
			up = &TierChange{Factor: roots[u], Tier: m.tierRef(t)}
			break
		}
	}
	prev = here
	for d := j - 1; d >= 0; d-- {
		rep := roots[d] / 2
		if d > 0 {
			rep = roots[d]/2 + roots[d-1]/2
		}
		if t := tierAt(rep); t != prev {
			down = &TierChange{Factor: roots[d], Tier: m.tierRef(t)}
			break
		}
	}
	return down, up
}

// sort1 is the index of the first root above 1 in sorted roots.
func sort1(roots []float64) int {
	j, _ := slices.BinarySearch(roots, 1)
	for j < len(roots) && roots[j] <= 1 {
		j++
	}
	return j
}

func (m *model) tierRef(t int) *score.Tier {
	if t >= len(m.tiers) {
		return nil
	}
	rt := m.r.Tiers[t]
	return &score.Tier{ID: rt.ID, Label: rt.Label}
}
