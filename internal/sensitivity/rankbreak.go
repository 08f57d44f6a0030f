package sensitivity

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// Rank break-even. Under a factor k on pillar p, assessments i and j swap
// places where O_i(k) = O_j(k). When their denominators B + k·b are the
// same (the usual case: the same pillars scored), the sign of O_i − O_j is
// that of the line (A_i − A_j) + k·(a_i − a_j), and the crossing is
//
//	k − 1 = (V_j − V_i) / (a_i − a_j),  V = A + a, the value at k = 1.
//
// So within a class of equal denominators, sorted by V, a crossing with j
// is at least |V_j − V_i| / S away from 1, where S bounds |a_i − a_j| over
// the assessments not yet looked at on that side (from running minima and
// maxima of a). Walking outwards from i in V, the walk on a side stops as
// soon as that bound passes the nearest crossing found in each direction,
// or no remaining slope can cross in that direction at all. Each root is
// still computed by the same formula as for every pair, so the factors are
// the very same float64s; the bound keeps a margin for rounding and never
// stops short of a root that could tie or snap to 1.
//
// Pairs from different classes compare as quadratics and are solved
// pair by pair, each unordered pair once.

// rankPick is the nearest crossing found so far in one direction.
type rankPick struct {
	k     float64
	other int
	gains bool
	ok    bool
}

// rankPair is an assessment's nearest crossings on one pillar.
type rankPair struct {
	down, up rankPick
}

func (r rankPick) change() *RankChange {
	if !r.ok {
		return nil
	}
	return &RankChange{Factor: r.k, Other: r.other, Gains: r.gains}
}

// merge keeps the nearer of two crossings found apart: in each direction
// the factor nearest to 1, then the earlier other assessment.
func (r *rankPair) merge(o rankPair) {
	if o.up.ok && (!r.up.ok || o.up.k < r.up.k || o.up.k == r.up.k && o.up.other < r.up.other) {
		r.up = o.up
	}
	if o.down.ok && (!r.down.ok || o.down.k > r.down.k || o.down.k == r.down.k && o.down.other < r.down.other) {
		r.down = o.down
	}
}

// distances are how far from 1 the crossings found so far lie; a
// crossing below 1 is never further than 1, as factors are positive.
func (r *rankPair) distances() (up, down float64) {
	up, down = math.Inf(1), 1
	if r.up.ok {
		up = r.up.k - 1
	}
	if r.down.ok {
		down = 1 - r.down.k
	}
	return up, down
}

// crossRoots are the roots of c0 + c1·k + c2·k², whose sign is that of
// O_i(k) − O_j(k).
func crossRoots(c0, c1, c2 float64) (rs [2]float64, nr int) {
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
	return rs, nr
}

// offer records roots rs of i's difference with j, whose derivative is
// c1 + 2·c2·k, where they are nearer to 1 than what r holds.
func (r *rankPair) offer(i, j int, rs []float64, c1, c2 float64) {
	for _, k := range rs {
		if !(k > 0) || math.IsInf(k, 0) {
			continue
		}
		slope := c1 + 2*c2*k // sign of O_i − O_j just above k
		// A root at 1 up to rounding is a tie at the nominal weights,
		// which input order breaks: the order changes at once in the
		// direction that puts the later assessment ahead, and not at all
		// in the other.
		atOne := math.Abs(k-1) <= 1e-9
		if atOne {
			k = 1
		}
		if k >= 1 && (!atOne || (slope > 0) != (i < j)) && (!r.up.ok || k < r.up.k || k == r.up.k && j < r.up.other) {
			r.up = rankPick{k: k, other: j, gains: slope > 0, ok: true}
		}
		if k <= 1 && (!atOne || (slope < 0) != (i < j)) && (!r.down.ok || k > r.down.k || k == r.down.k && j < r.down.other) {
			r.down = rankPick{k: k, other: j, gains: slope < 0, ok: true}
		}
	}
}

// rankRow is one pillar's non-zero forms sorted by denominator, then by
// value at factor 1, with the running extremes of the slope a within each
// class of equal denominators.
type rankRow struct {
	idx    []int     // assessment at each position
	A, a   []float64 // its form
	v      []float64 // A + a
	cls    []int     // its class
	lo, hi []int     // class c holds positions [lo[c], hi[c])
	B, b   []float64 // class c's denominator
	eV     []float64 // class c's rounding margin on a difference of v
	// Minimum and maximum of a over the class's positions up to and
	// including this one (pre), and from this one on (suf).
	preMin, preMax, sufMin, sufMax []float64
}

// newRankRow lays out pillar row fs of n forms.
func newRankRow(fs []mobius) *rankRow {
	type key struct {
		B, b, v float64
		i       int
	}
	keys := make([]key, 0, len(fs))
	for i, f := range fs {
		if !f.zero {
			keys = append(keys, key{f.B, f.b, f.A + f.a, i})
		}
	}
	slices.SortFunc(keys, func(x, y key) int {
		return cmp.Or(cmp.Compare(x.B, y.B), cmp.Compare(x.b, y.b), cmp.Compare(x.v, y.v), cmp.Compare(x.i, y.i))
	})
	m := len(keys)
	row := &rankRow{idx: make([]int, m), A: make([]float64, m), a: make([]float64, m), v: make([]float64, m), cls: make([]int, m),
		preMin: make([]float64, m), preMax: make([]float64, m), sufMin: make([]float64, m), sufMax: make([]float64, m)}
	for r, k := range keys {
		f := fs[k.i]
		row.idx[r], row.A[r], row.a[r], row.v[r] = k.i, f.A, f.a, k.v
		if r == 0 || f.B != row.B[len(row.B)-1] || f.b != row.b[len(row.b)-1] {
			if r > 0 {
				row.hi = append(row.hi, r)
			}
			row.lo, row.B, row.b, row.eV = append(row.lo, r), append(row.B, f.B), append(row.b, f.b), append(row.eV, 0)
		}
		c := len(row.lo) - 1
		row.cls[r] = c
		row.eV[c] = max(row.eV[c], math.Abs(f.A)+math.Abs(f.a))
	}
	if m > 0 {
		row.hi = append(row.hi, m)
	}
	for c := range row.lo {
		// Far above any rounding of A + a and of a difference of two.
		row.eV[c] *= 1e-14
		lo, hi := row.lo[c], row.hi[c]
		for r := lo; r < hi; r++ {
			row.preMin[r], row.preMax[r] = row.a[r], row.a[r]
			if r > lo {
				row.preMin[r], row.preMax[r] = min(row.preMin[r-1], row.a[r]), max(row.preMax[r-1], row.a[r])
			}
		}
		for r := hi - 1; r >= lo; r-- {
			row.sufMin[r], row.sufMax[r] = row.a[r], row.a[r]
			if r < hi-1 {
				row.sufMin[r], row.sufMax[r] = min(row.sufMin[r+1], row.a[r]), max(row.sufMax[r+1], row.a[r])
			}
		}
	}
	return row
}

// beyond reports that every crossing at least dv away in value, with a
// slope difference of at most s, is further from 1 than dist (or cannot
// happen, s ≤ 0). Roots within 1e-9 of 1 snap to 1, so nothing closer
// than twice that is ever passed over, and the bound is shrunk well past
// the rounding of the root's own formula.
func beyond(dv, eV, s, dist float64) bool {
	if dv <= eV {
		return false // the side of i that the other lies on is uncertain
	}
	if s <= 0 {
		return true
	}
	lb := (dv-eV)/s*(1-1e-14) - 1e-14
	return lb > max(dist, 2e-9)
}

// sweep finds the nearest crossings of the assessment at position r with
// those of its class.
func (row *rankRow) sweep(r int, out *rankPair) {
	c := row.cls[r]
	lo, hi, eV := row.lo[c], row.hi[c], row.eV[c]
	i, Ai, ai, vi := row.idx[r], row.A[r], row.a[r], row.v[r]
	u, d := r+1, r-1
	for {
		distUp, distDown := out.distances()
		// Above i a crossing past 1 needs a smaller slope, below 1 a
		// larger one; below i the other way round.
		if u < hi {
			dv := row.v[u] - vi
			if beyond(dv, eV, ai-row.sufMin[u], distUp) && beyond(dv, eV, row.sufMax[u]-ai, distDown) {
				u = hi
			}
		}
		if d >= lo {
			dv := vi - row.v[d]
			if beyond(dv, eV, row.preMax[d]-ai, distUp) && beyond(dv, eV, ai-row.preMin[d], distDown) {
				d = lo - 1
			}
		}
		var q int
		switch {
		case u < hi && (d < lo || row.v[u]-vi <= vi-row.v[d]):
			q, u = u, u+1
		case d >= lo:
			q, d = d, d-1
		default:
			return
		}
		c0, c1 := Ai-row.A[q], ai-row.a[q]
		rs, nr := crossRoots(c0, c1, 0)
		out.offer(i, row.idx[q], rs[:nr], c1, 0)
	}
}

// across solves the pairs of the assessment at position r with every
// assessment of a later class, once each, for both.
func (row *rankRow) across(r int, picks []rankPair, np, p int) {
	c := row.cls[r]
	i, Ai, ai, Bi, bi := row.idx[r], row.A[r], row.a[r], row.B[c], row.b[c]
	for q := row.hi[c]; q < len(row.idx); q++ {
		j, Aj, aj, Bj, bj := row.idx[q], row.A[q], row.a[q], row.B[row.cls[q]], row.b[row.cls[q]]
		// (A_i + k a_i)(B_j + k b_j) − (A_j + k a_j)(B_i + k b_i) has the
		// sign of O_i(k) − O_j(k): denominators are positive.
		c0 := Ai*Bj - Aj*Bi
		c1 := Ai*bj + ai*Bj - Aj*bi - aj*Bi
		c2 := ai*bj - aj*bi
		rs, nr := crossRoots(c0, c1, c2)
		picks[i*np+p].offer(i, j, rs[:nr], c1, c2)
		// From j's side each coefficient changes sign. Rounded (or fused
		// into multiply-adds) in another order they may not do so
		// exactly, and then j's roots are solved from its own, so that
		// they are the same float64s whichever way the pair is taken.
		d0 := Aj*Bi - Ai*Bj
		d1 := Aj*bi + aj*Bi - Ai*bj - ai*Bj
		d2 := aj*bi - ai*bj
		if d0 != -c0 || d1 != -c1 || d2 != -c2 || c1 == 0 {
			rs, nr = crossRoots(d0, d1, d2)
			picks[j*np+p].offer(j, i, rs[:nr], d1, d2)
			continue
		}
		picks[j*np+p].offer(j, i, rs[:nr], -c1, -c2)
	}
}

// rankBreakEvens finds, for each assessment i and pillar p, the factors on
// p nearest to 1 at which i swaps places with another: out[i*np+p]. fs is
// pillar-major, as model.forms lays it out.
func rankBreakEvens(fs []mobius, n, np, workers int) []rankPair {
	ctx := context.Background()
	rows := make([]*rankRow, np)
	forChunks(ctx, workers, np, &progress{}, func() struct{} { return struct{}{} }, func(_ struct{}, p int) {
		rows[p] = newRankRow(fs[p*n : (p+1)*n])
	})
	out := make([]rankPair, n*np)
	mixed := false
	for _, row := range rows {
		mixed = mixed || len(row.lo) > 1
	}
	if mixed {
		states, _ := forChunks(ctx, workers, n*np, &progress{}, func() []rankPair {
			return make([]rankPair, n*np)
		}, func(picks []rankPair, c int) {
			p, r := c/n, c%n
			if row := rows[p]; r < len(row.idx) && row.cls[r] < len(row.lo)-1 {
				row.across(r, picks, np, p)
			}
		})
		// The nearest of several is the same in any order.
		for _, picks := range states {
			for x := range out {
				out[x].merge(picks[x])
			}
		}
	}
	forChunks(ctx, workers, np*n, &progress{}, func() struct{} { return struct{}{} }, func(_ struct{}, c int) {
		p, r := c/n, c%n
		if row := rows[p]; r < len(row.idx) {
			row.sweep(r, &out[row.idx[r]*np+p])
		}
	})
	return out
}
