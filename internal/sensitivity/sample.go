package sensitivity

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Streams: every chunk of every pass draws from its own generator, seeded
// from (seed, stream, chunk) alone, so what a chunk draws never depends on
// which worker runs it or when.
const (
	streamMonteCarlo = 1
	streamSobol      = 2
)

// Generator names how random numbers are drawn, for replaying a run.
const Generator = "PCG-DXSM (math/rand/v2), one stream per chunk, seeded by splitmix64 from (seed, stream, chunk)"

// splitmix64's finaliser: turns neighbouring integers into unrelated seeds.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func streamSeeds(seed uint64, stream uint64, chunk int) (uint64, uint64) {
	x := mix64(mix64(seed) ^ stream)
	x = mix64(x ^ uint64(chunk))
	return x, mix64(x)
}

// worker is one goroutine's scratch: its generator and buffers. Nothing
// in it is allocated per sample.
type worker struct {
	m   *model
	cfg *Config
	pcg *rand.PCG

	bits  uint64 // unused random bits for level steps
	nbits uint

	w      []float64 // this sample's pillar weights
	w4     []float64 // pillar weights padded with zeros to a multiple of 4
	cw     []float64 // this sample's criterion weights (flat)
	cS     []float64 // criterion scores after level steps, nc*n
	num    []float64 // n
	den    []float64 // n
	ps, pm []float64 // pillar scores and scored masks, np*n
	sw     []float64 // n: weight of the scored pillars
	acc    []float64 // n: weighted sum (of logarithms, geometric)
	zero   []bool    // n: geometric overall forced to 0
	o      []float64 // overall per assessment
	tier   []int32   // tier index per assessment
	ok     []bool    // n: the tier being tried holds
	cnt    []int32   // n: pillars at a tier's score
}

func newWorker(m *model, cfg *Config) *worker {
	n := m.n
	k := &worker{
		m: m, cfg: cfg, pcg: rand.NewPCG(0, 0),
		w: make([]float64, m.np), w4: make([]float64, padPillars(m.np)), cw: make([]float64, m.nc),
		num: make([]float64, n), den: make([]float64, n),
		ps: make([]float64, m.np*n), pm: make([]float64, m.np*n),
		sw: make([]float64, n), acc: make([]float64, n), zero: make([]bool, n),
		o: make([]float64, n), tier: make([]int32, n), ok: make([]bool, n), cnt: make([]int32, n),
	}
	if cfg.Levels || cfg.Panel {
		k.cS = make([]float64, m.nc*n)
	}
	return k
}

func (k *worker) seed(stream uint64, chunk int) {
	k.pcg.Seed(streamSeeds(k.cfg.Seed, stream, chunk))
	k.bits, k.nbits = 0, 0
}

// draw fills dst with one perturbed copy of the sibling weights nominal,
// which are scaled so that the largest is below 1 (see NewBuilder).
// Uniform noise multiplies each weight by a factor in [1-noise, 1+noise),
// two factors from each 64-bit draw (32 bits of resolution each);
// Dirichlet draws Gamma(concentration × normalised weight) for each
// sibling, which normalised is Dirichlet around the nominal shares. Either
// way, scaling siblings together changes no score, so dst is left
// unnormalised, unless every weight drawn is so small that sums of them
// would lose precision: then it is scaled up by a power of two.
func (k *worker) draw(dst, nominal []float64) {
	if k.cfg.Dirichlet == 0 {
		noise := k.cfg.Noise
		for j := 0; j < len(nominal); j += 2 {
			x := k.pcg.Uint64()
			dst[j] = nominal[j] * (1 + noise*(2*float64(x>>32)*0x1p-32-1))
			if j+1 < len(nominal) {
				dst[j+1] = nominal[j+1] * (1 + noise*(2*float64(x&0xffffffff)*0x1p-32-1))
			}
		}
		rescale(dst)
		return
	}
	total := 0.0
	for _, w := range nominal {
		total += w
	}
	for {
		sum := 0.0
		for j, w := range nominal {
			dst[j] = 0
			if w > 0 {
				dst[j] = k.gamma(k.cfg.Dirichlet * w / total)
			}
			sum += dst[j]
		}
		// Every draw underflowing to 0 is astronomically rare; drawing
		// again keeps the distribution and the weights valid.
		if sum > 0 {
			rescale(dst)
			return
		}
	}
}

// hugeShape is the shape above which a Gamma draw is its shape to within
// float64 precision (its relative spread, 1/√shape, is below 2⁻⁶⁰).
const hugeShape = 0x1p120

// gamma draws from Gamma(shape, 1), scaled down by the concentration's
// power of two when that is huge, so that a sum of draws stays finite. A
// shape that underflowed to 0 draws 0.
func (k *worker) gamma(shape float64) float64 {
	switch {
	case !(shape > 0):
		return 0
	case shape > hugeShape:
		// The concentration is above 2^120 too: scale as below.
		return math.Ldexp(shape, -k.shapeExp())
	}
	return math.Ldexp(distuv.Gamma{Alpha: shape, Beta: 1, Src: k.pcg}.Rand(), -k.shapeExp())
}

// shapeExp is the power of two Gamma draws are divided by: 0 for any
// concentration up to hugeShape, so ordinary runs draw exactly as before.
func (k *worker) shapeExp() int {
	if k.cfg.Dirichlet <= hugeShape {
		return 0
	}
	_, e := math.Frexp(k.cfg.Dirichlet)
	return e
}

// tiny is the largest drawn weight below which draw scales siblings up:
// far above the subnormal range, where sums lose precision.
const tiny = 0x1p-900

// rescale scales weights up by a power of two when all of them are below
// tiny; scaling siblings together changes no score.
func rescale(ws []float64) {
	top := 0.0
	for _, w := range ws {
		top = max(top, w)
	}
	if top > 0 && top < tiny {
		_, e := math.Frexp(top)
		for j, w := range ws {
			ws[j] = math.Ldexp(w, -e)
		}
	}
}

// step draws a level step for one finding: medium confidence moves -1 or
// +1 with probability 1/4 each, low confidence is uniform over -1, 0, +1.
// Two random bits serve each step; low confidence rejects the fourth value.
func (k *worker) step(low bool) int {
	for {
		if k.nbits < 2 {
			k.bits, k.nbits = k.pcg.Uint64(), 64
		}
		b := int(k.bits & 3)
		k.bits >>= 2
		k.nbits -= 2
		switch {
		case !low:
			return [4]int{-1, 1, 0, 0}[b]
		case b < 3:
			return b - 1
		}
	}
}

// pick draws uniformly from 0 to n-1: from eight random bits at a time
// when n is at most 256, rejecting the values past the last whole
// multiple of n so that no outcome is favoured.
func (k *worker) pick(n int) int {
	if n <= 256 {
		limit := 256 - 256%n
		for {
			if k.nbits < 8 {
				k.bits, k.nbits = k.pcg.Uint64(), 64
			}
			b := int(k.bits & 0xff)
			k.bits >>= 8
			k.nbits -= 8
			if b < limit {
				return b % n
			}
		}
	}
	u := uint64(n)
	skip := -u % u // 2^64 mod n: the draws below it would favour small outcomes
	for {
		if x := k.pcg.Uint64(); x >= skip {
			return int(x % u)
		}
	}
}

// sample draws one set of weights (and level steps or panel levels) and scores every
// assessment under it into k.o, and into k.tier when tiers is set.
func (k *worker) sample(tiers bool) {
	m := k.m
	k.draw(k.w, m.w0)
	if !k.cfg.Criteria && !k.cfg.Levels && !k.cfg.Panel {
		k.pillarsOnly(k.w, tiers)
		return
	}
	cw := m.cw0
	if k.cfg.Criteria {
		for p := range m.np {
			k.draw(k.cw[m.start[p]:m.start[p+1]], m.cw0[m.start[p]:m.start[p+1]])
		}
		cw = k.cw
	}
	S := m.cS
	if k.cfg.Levels {
		copy(k.cS, m.cS)
		for i := range m.n {
			for _, pt := range m.perts[m.pertStart[i]:m.pertStart[i+1]] {
				k.cS[pt.c*m.n+i] = pt.score[k.step(pt.low)+1]
			}
		}
		S = k.cS
	}
	if k.cfg.Panel {
		copy(k.cS, m.cS)
		for i := range m.n {
			for _, ch := range m.choices[m.choiceStart[i]:m.choiceStart[i+1]] {
				opts := m.choiceScores[ch.from:ch.to]
				k.cS[ch.c*m.n+i] = opts[k.pick(len(opts))]
			}
		}
		S = k.cS
	}
	k.pillars(cw, S)
	k.combine(k.w, k.ps, k.pm)
	if tiers {
		k.tiers()
	}
}

// tiers finds every assessment's tier from this sample's pillar scores,
// one tier and one pillar row at a time: tiers are tried from the last to
// the first, each that holds overwriting the one before, so the first
// that holds wins.
func (k *worker) tiers() {
	m := k.m
	n := m.n
	ok, cnt := k.ok, k.cnt
	for i := range k.tier {
		k.tier[i] = int32(len(m.tiers))
	}
	for t := len(m.tiers) - 1; t >= 0; t-- {
		tr := &m.tiers[t]
		for i := range ok {
			ok[i] = !tr.hasOver || k.o[i] >= tr.overall
		}
		if tr.hasEvery {
			for p := range m.np {
				srow, mrow := k.ps[p*n:(p+1)*n], k.pm[p*n:(p+1)*n]
				for i, s := range srow {
					ok[i] = ok[i] && mrow[i] != 0 && s >= tr.every
				}
			}
		}
		if tr.count > 0 {
			clear(cnt)
			for p := range m.np {
				srow, mrow := k.ps[p*n:(p+1)*n], k.pm[p*n:(p+1)*n]
				for i, s := range srow {
					if mrow[i] != 0 && s >= tr.countAt {
						cnt[i]++
					}
				}
			}
			for i, c := range cnt {
				ok[i] = ok[i] && c >= int32(tr.count)
			}
		}
		for i, h := range ok {
			if h {
				k.tier[i] = int32(t)
			}
		}
	}
}

// pillars computes every pillar score of every assessment under criterion
// weights cw from criterion scores S, one criterion row at a time.
func (k *worker) pillars(cw, S []float64) {
	m := k.m
	n := m.n
	num, den := k.num, k.den
	for p := range m.np {
		lo, hi := m.start[p], m.start[p+1]
		clear(num)
		ps, pm := k.ps[p*n:(p+1)*n], k.pm[p*n:(p+1)*n]
		if m.allFull {
			d := 0.0
			for c := lo; c < hi; c++ {
				w, row := cw[c], S[c*n:(c+1)*n]
				d += w
				acc := num[:len(row)] // same length: no bounds check inside
				for i, s := range row {
					acc[i] += float64(w * s)
				}
			}
			for i := range ps {
				ps[i], pm[i] = 0, 0
				if d > 0 {
					ps[i], pm[i] = num[i]/d, 1
				} else {
					k.nominalPillar(p, i)
				}
			}
			continue
		}
		clear(den)
		for c := lo; c < hi; c++ {
			w, row := cw[c], S[c*n:(c+1)*n]
			mask, nu, de := m.cM[c*n:c*n+len(row)], num[:len(row)], den[:len(row)]
			for i, s := range row {
				nu[i] += float64(w * s)
				de[i] += float64(w * mask[i])
			}
		}
		for i := range ps {
			ps[i], pm[i] = 0, 0
			if den[i] > 0 {
				ps[i], pm[i] = num[i]/den[i], 1
			} else {
				k.nominalPillar(p, i)
			}
		}
	}
}

// nominalPillar keeps pillar p of assessment i at its nominal score when
// every counted weight drawn for it underflowed to 0. Perturbing weights
// never makes a positive weight 0, so a pillar scored at the nominal
// weights is scored in every sample.
func (k *worker) nominalPillar(p, i int) {
	m := k.m
	if j := i*m.np + p; m.pscored[j] {
		k.ps[p*m.n+i], k.pm[p*m.n+i] = m.pscore[j], 1
	}
}

// combine turns pillar scores ps (scored where pm is 1) into every
// assessment's overall under pillar weights w, term by term as
// score.Aggregate does, so that unperturbed weights give the very same
// float64. Where every scored pillar's drawn weight underflowed to 0 the
// overall stays the nominal one, as no weight drawn is truly 0. Conversions to float64 keep products from being fused into
// multiply-adds on machines that have them, so every platform rounds alike.
func (k *worker) combine(w, ps, pm []float64) {
	m := k.m
	n := m.n
	sw, acc := k.sw, k.acc
	clear(sw)
	clear(acc)
	if !m.geo {
		for p, W := range w {
			srow, mrow := ps[p*n:(p+1)*n], pm[p*n:(p+1)*n]
			for i, s := range srow {
				sw[i] += float64(W * mrow[i])
				acc[i] += float64(W * s)
			}
		}
		for i := range k.o {
			k.o[i] = acc[i] / sw[i]
			if !(sw[i] > 0) {
				k.o[i] = m.base[i]
			}
		}
		return
	}
	clear(k.zero)
	for p, W := range w {
		srow, mrow := ps[p*n:(p+1)*n], pm[p*n:(p+1)*n]
		for i, s := range srow {
			if mrow[i] == 0 {
				continue
			}
			sw[i] += W
			if W > 0 {
				if s <= 0 {
					k.zero[i] = true
				} else {
					acc[i] += float64(W * math.Log(s))
				}
			}
		}
	}
	k.finishGeometric()
}

func (k *worker) finishGeometric() {
	for i := range k.o {
		switch {
		case !(k.sw[i] > 0):
			k.o[i] = k.m.base[i]
		case k.zero[i]:
			k.o[i] = 0
		default:
			k.o[i] = math.Exp(k.acc[i] / k.sw[i])
		}
	}
}

// pillarsOnly scores every assessment from its fixed pillar scores under
// pillar weights w: one multiply-add per pillar and assessment.
func (k *worker) pillarsOnly(w []float64, tiers bool) {
	m := k.m
	n := m.n
	switch {
	case m.geo:
		sw, acc := k.sw, k.acc
		clear(sw)
		clear(acc)
		clear(k.zero)
		for p, W := range w {
			lrow, mrow := m.pLn[p*n:(p+1)*n], m.pM[p*n:(p+1)*n]
			for i, l := range lrow {
				sw[i] += float64(W * mrow[i])
				if W > 0 {
					acc[i] += float64(W * l)
				}
			}
			if m.zeroAny && W > 0 {
				for i, z := range m.pZero[p*n : (p+1)*n] {
					k.zero[i] = k.zero[i] || z
				}
			}
		}
		k.finishGeometric()
	case m.allPFull:
		// Every pillar scored everywhere: one shared weight sum.
		sw := 0.0
		for _, W := range w {
			sw += W
		}
		copy(k.w4, w)
		k.weighted(k.w4, m.pS, sw)
	default:
		k.combine(w, m.pS, m.pM)
	}
	if tiers {
		for i, o := range k.o {
			k.tier[i] = int32(m.tierFixed(i, o))
		}
	}
}

// padPillars rounds a pillar count up to a multiple of 4, the number of
// pillar rows weighted handles in one sweep.
func padPillars(np int) int { return (np + 3) &^ 3 }

// weighted sets every overall to the weighted sum of its pillar scores
// over sw, four pillar rows per sweep over the assessments: each sum stays
// in a register across four terms instead of going back to memory after
// each, and the last sweep divides, so it costs about a third of a sweep
// per pillar. Terms are still added one at a time in pillar order, so the
// sums are the very same float64s; the padding rows add +0, which changes
// no sum of non-negative terms.
func (k *worker) weighted(w4, pS []float64, sw float64) {
	n := len(k.o)
	acc, o := k.acc[:n], k.o[:n]
	for p := 0; p < len(w4); p += 4 {
		r0, r1, r2, r3 := pS[p*n:(p+1)*n], pS[(p+1)*n:(p+2)*n], pS[(p+2)*n:(p+3)*n], pS[(p+3)*n:(p+4)*n]
		r0, r1, r2, r3 = r0[:len(acc)], r1[:len(acc)], r2[:len(acc)], r3[:len(acc)] // no bounds checks inside
		W0, W1, W2, W3 := w4[p], w4[p+1], w4[p+2], w4[p+3]
		if p == 0 && len(w4) > 4 {
			// The first sweep need not read sums back: 0 + t is t for
			// every term here, none being -0.
			for i := range acc {
				x := float64(W0 * r0[i])
				x += float64(W1 * r1[i])
				x += float64(W2 * r2[i])
				x += float64(W3 * r3[i])
				acc[i] = x
			}
			continue
		}
		if p == 0 {
			clear(acc)
		}
		if p+4 < len(w4) {
			for i, x := range acc {
				x += float64(W0 * r0[i])
				x += float64(W1 * r1[i])
				x += float64(W2 * r2[i])
				x += float64(W3 * r3[i])
				acc[i] = x
			}
			continue
		}
		for i, x := range acc {
			x += float64(W0 * r0[i])
			x += float64(W1 * r1[i])
			x += float64(W2 * r2[i])
			x += float64(W3 * r3[i])
			o[i] = x / sw
		}
	}
}
