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

	w    []float64 // this sample's pillar weights
	cw   []float64 // this sample's criterion weights (flat)
	den  []float64 // per pillar: sum of criterion weights, shared by fully counted assessments
	crit []float64 // one assessment's criterion scores after level steps
	ps   []float64 // one assessment's pillar scores
	psc  []bool
	o    []float64 // overall per assessment
	tier []int32   // tier index per assessment
}

func newWorker(m *model, cfg *Config) *worker {
	pcg := rand.NewPCG(0, 0)
	return &worker{
		m: m, cfg: cfg, pcg: pcg,
		w: make([]float64, m.np), cw: make([]float64, m.nc), den: make([]float64, m.np),
		crit: make([]float64, m.nc), ps: make([]float64, m.np), psc: make([]bool, m.np),
		o: make([]float64, m.n), tier: make([]int32, m.n),
	}
}

func (k *worker) seed(stream uint64, chunk int) {
	k.pcg.Seed(streamSeeds(k.cfg.Seed, stream, chunk))
	k.bits, k.nbits = 0, 0
}

// uniform returns a float64 in [0, 1) from the top 53 bits of one draw.
func (k *worker) uniform() float64 { return float64(k.pcg.Uint64()>>11) * 0x1p-53 }

// draw fills dst with one perturbed copy of the sibling weights nominal.
// Uniform noise multiplies each weight by a factor in [1-noise, 1+noise);
// Dirichlet draws Gamma(concentration × normalised weight) for each
// sibling, which normalised is Dirichlet around the nominal shares. Either
// way, scaling siblings together changes no score, so dst is left
// unnormalised.
func (k *worker) draw(dst, nominal []float64) {
	if k.cfg.Dirichlet == 0 {
		for j, w := range nominal {
			dst[j] = w * (1 + k.cfg.Noise*(2*k.uniform()-1))
		}
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
				dst[j] = distuv.Gamma{Alpha: k.cfg.Dirichlet * w / total, Beta: 1, Src: k.pcg}.Rand()
			}
			sum += dst[j]
		}
		// Every draw underflowing to 0 is astronomically rare; drawing
		// again keeps the distribution and the weights valid.
		if sum > 0 {
			return
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

// sample draws one set of weights (and level steps) and scores every
// assessment under it into k.o, and into k.tier when tiers is set.
func (k *worker) sample(tiers bool) {
	m := k.m
	k.draw(k.w, m.w0)
	if !k.cfg.Criteria && !k.cfg.Levels {
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
	for p := range m.np {
		d := 0.0
		for _, w := range cw[m.start[p]:m.start[p+1]] {
			d += w
		}
		k.den[p] = d
	}
	for i := range m.n {
		sc := m.score[i*m.nc : (i+1)*m.nc]
		if k.cfg.Levels && m.pertStart[i] < m.pertStart[i+1] {
			copy(k.crit, sc)
			for _, pt := range m.perts[m.pertStart[i]:m.pertStart[i+1]] {
				k.crit[pt.c] = pt.score[k.step(pt.low)+1]
			}
			sc = k.crit
		}
		mask := m.mask[i*m.nc : (i+1)*m.nc]
		for p := range m.np {
			lo, hi := m.start[p], m.start[p+1]
			var num, den float64
			if m.full[i] {
				for c := lo; c < hi; c++ {
					num += float64(cw[c] * sc[c])
				}
				den = k.den[p]
			} else {
				for c := lo; c < hi; c++ {
					num += float64(cw[c] * sc[c])
					den += float64(cw[c] * mask[c])
				}
			}
			k.psc[p] = den > 0
			k.ps[p] = 0
			if den > 0 {
				k.ps[p] = num / den
			}
		}
		o := m.overall(k.w, k.ps, k.psc)
		k.o[i] = o
		if tiers {
			k.tier[i] = int32(m.tierOf(o, k.ps, k.psc))
		}
	}
}

// pillarsOnly scores every assessment from its fixed pillar scores under
// pillar weights w: np multiply-adds per assessment.
func (k *worker) pillarsOnly(w []float64, tiers bool) {
	m := k.m
	np := m.np
	var sharedW float64
	for _, x := range w {
		sharedW += x
	}
	for i := range m.n {
		o := 0.0
		switch {
		case m.geo:
			o = k.geometric(i, w)
		case m.pfull[i]:
			sc := m.pscore[i*np : (i+1)*np]
			acc := 0.0
			for p, s := range sc {
				acc += float64(w[p] * s)
			}
			o = acc / sharedW
		default:
			o = m.overall(w, m.pscore[i*np:(i+1)*np], m.pscored[i*np:(i+1)*np])
		}
		k.o[i] = o
		if tiers {
			k.tier[i] = int32(m.tierFixed(i, o))
		}
	}
}

// geometric is the geometric overall from precomputed logarithms.
func (k *worker) geometric(i int, w []float64) float64 {
	m := k.m
	np := m.np
	var sw, acc float64
	zero := false
	for p := range np {
		if !m.pscored[i*np+p] {
			continue
		}
		sw += w[p]
		if w[p] > 0 {
			if m.zero[i*np+p] {
				zero = true
			} else {
				acc += float64(w[p] * m.lnP[i*np+p])
			}
		}
	}
	if zero {
		return 0
	}
	return math.Exp(acc / sw)
}
