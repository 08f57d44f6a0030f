package sensitivity

// ranker orders one sample's overall scores, highest first, ties in input
// order (as the score command ranks). It keeps its buffers between samples.
//
// A comparison sort of n scores per sample costs n·log2(n) comparisons:
// about 22,000 for 2,000 assessments, 2·10^9 over 10^5 samples. Scores
// lie in a known range, so each gets a 16-bit key, its place in the
// sample's [min, max], and two counting-sort passes of 8 bits each (least
// significant first, each stable) order the keys in O(n) with counters
// that fit in a few cache lines. An insertion sort then only fixes the
// rare neighbours that share a key. With one pass into 2n buckets,
// scores bunched in the middle of their range shared buckets often enough
// that the insertion sort's mispredicted branches cost as much as the
// counting. Small sets keep the previous sample's order and
// insertion-sort it, which is near-sorted already.
type ranker struct {
	order []int32   // order[r] is the assessment at rank r+1
	v     []float64 // v[r] is its score, kept beside it so sorting reads memory in order
	key   []uint16  // per assessment
	byLow []uint16  // keys ordered by their low byte
	idx   []int32   // the assessments in that order
}

// smallRank is the size up to which plain insertion sort wins.
const smallRank = 64

func newRanker(n int) *ranker {
	r := &ranker{order: make([]int32, n), v: make([]float64, n)}
	for i := range r.order {
		r.order[i] = int32(i)
	}
	if n > smallRank {
		r.key, r.byLow, r.idx = make([]uint16, n), make([]uint16, n), make([]int32, n)
	}
	return r
}

// rank orders o and returns the order (valid until the next call).
func (r *ranker) rank(o []float64) []int32 {
	n := len(o)
	if n > smallRank {
		r.radix(o)
	} else {
		for j, i := range r.order {
			r.v[j] = o[i]
		}
	}
	ord, v := r.order[:n], r.v[:n]
	for j := 1; j < n; j++ {
		x, xv := ord[j], v[j]
		// Nearly every score already follows its neighbour.
		if !(xv > v[j-1] || xv == v[j-1] && x < ord[j-1]) {
			continue
		}
		i := j - 1
		for i >= 0 && (xv > v[i] || xv == v[i] && x < ord[i]) {
			ord[i+1], v[i+1] = ord[i], v[i]
			i--
		}
		ord[i+1], v[i+1] = x, xv
	}
	return ord
}

// radix orders the indices by key, highest scores first, indices
// ascending among equal keys.
func (r *ranker) radix(o []float64) {
	n := len(o)
	// Plain comparisons: the min and max builtins' care for NaN and
	// signed zeros made this loop half the cost of ranking.
	lo, hi := o[0], o[0]
	for _, v := range o {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	scale := 0.0
	if hi > lo {
		scale = 0xffff / (hi - lo)
	}
	var low, high [256]int32
	key := r.key[:n]
	for i, v := range o {
		k := uint16((hi - v) * scale)
		key[i] = k
		low[k&0xff]++
		high[k>>8]++
	}
	// Each count becomes its byte's first place.
	var sl, sh int32
	for b := range 256 {
		cl, ch := low[b], high[b]
		low[b], high[b] = sl, sh
		sl, sh = sl+cl, sh+ch
	}
	byLow, idx := r.byLow[:n], r.idx[:n]
	for i, k := range key {
		at := low[k&0xff]
		byLow[at], idx[at] = k, int32(i)
		low[k&0xff] = at + 1
	}
	ord, vs := r.order[:n], r.v[:n]
	for j, k := range byLow {
		at := high[k>>8]
		i := idx[j]
		ord[at], vs[at] = i, o[i]
		high[k>>8] = at + 1
	}
}
