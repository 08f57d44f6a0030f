package sensitivity

// ranker orders one sample's overall scores, highest first, ties in input
// order (as the score command ranks). It keeps its buffers between samples.
//
// A comparison sort of n scores per sample costs n·log2(n) comparisons:
// about 22,000 for 2,000 assessments, 2·10^9 over 10^5 samples. Scores
// lie in a known range, so a counting sort into 2n buckets spread over the
// sample's [min, max] puts nearly every score in its place in O(n); an
// insertion sort then only fixes order inside buckets. Scores bunch in the
// middle of their range: with n buckets about a quarter of neighbours
// shared one and the insertion sort's mispredicted branches cost as much
// as the counting sort; with 2n they cost a third of that. Small sets keep
// the previous sample's order and insertion-sort it, which is near-sorted
// already.
type ranker struct {
	order []int32   // order[r] is the assessment at rank r+1
	v     []float64 // v[r] is its score, kept beside it so sorting reads memory in order
	key   []int32
	cnt   []int32
}

// smallRank is the size up to which plain insertion sort wins.
const smallRank = 64

// bucketsPer is the number of buckets per score.
const bucketsPer = 2

func newRanker(n int) *ranker {
	r := &ranker{order: make([]int32, n), v: make([]float64, n)}
	for i := range r.order {
		r.order[i] = int32(i)
	}
	if n > smallRank {
		r.key, r.cnt = make([]int32, n), make([]int32, bucketsPer*n)
	}
	return r
}

// rank orders o and returns the order (valid until the next call).
func (r *ranker) rank(o []float64) []int32 {
	n := len(o)
	if n > smallRank {
		r.bucket(o)
	} else {
		for j, i := range r.order {
			r.v[j] = o[i]
		}
	}
	ord, v := r.order[:n], r.v[:n]
	for j := 1; j < n; j++ {
		x, xv := ord[j], v[j]
		// Most scores already follow their neighbour.
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

// bucket places every index in its bucket by counting sort, highest
// scores first, indices ascending within a bucket.
func (r *ranker) bucket(o []float64) {
	n := len(o)
	lo, hi := o[0], o[0]
	for _, v := range o {
		lo, hi = min(lo, v), max(hi, v)
	}
	cnt, key := r.cnt, r.key[:n]
	clear(cnt)
	scale := 0.0
	if hi > lo {
		scale = float64(len(cnt)) / (hi - lo)
	}
	last := int32(len(cnt) - 1)
	for i, v := range o {
		k := min(int32((hi-v)*scale), last)
		key[i] = k
		cnt[k]++
	}
	// Each bucket's count becomes its first place; the running total
	// stays in a register rather than being read back from memory.
	sum := int32(0)
	for b, c := range cnt {
		cnt[b] = sum
		sum += c
	}
	ord, vs := r.order[:n], r.v[:n]
	for i, v := range o {
		k := key[i]
		at := cnt[k]
		ord[at], vs[at] = int32(i), v
		cnt[k] = at + 1
	}
}
