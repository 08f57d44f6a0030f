package sensitivity

import "context"

// sobolResult holds the indices per assessment and pillar (n*np); nil
// entries mean the overall did not vary.
type sobolResult struct {
	first, total []*float64
}

// sobol estimates first-order and total Sobol indices of each pillar's
// weight on each assessment's overall score, with only the pillar weights
// varying. The inputs are the independent draws behind the weights: the
// noise factors, or under Dirichlet the Gamma variates whose ratios are
// the weights. Two N×k sample matrices A and B give, for each pillar i,
// the matrix A_B^i (A with column i from B), and
//
//	first order (Saltelli 2010):  S_i  = mean(f(B)·(f(A_B^i) − f(A))) / V
//	total (Jansen 1999):          ST_i = mean((f(A) − f(A_B^i))²) / 2V
//
// with V the variance of f over A and B together. Outputs are taken
// relative to the nominal overall, which leaves both estimators unbiased
// and keeps the sums from cancelling.
func sobol(ctx context.Context, m *model, cfg *Config, workers int, pr *progress) (*sobolResult, error) {
	N := cfg.Sobol
	if N == 0 {
		return nil, nil
	}
	n, np := m.n, m.np
	width := 4 + 2*np // per assessment: ΣyA, ΣyB, ΣyA², ΣyB², then per pillar Σ first, Σ total
	chunks := (N + ChunkSize - 1) / ChunkSize
	sums := make([]float64, chunks*n*width)
	type state struct {
		k      *worker
		xa, xb []float64
		x      []float64
		ya, yb []float64
	}
	_, err := forChunks(ctx, workers, chunks, pr, func() *state {
		return &state{k: newWorker(m, cfg), xa: make([]float64, np), xb: make([]float64, np), x: make([]float64, np),
			ya: make([]float64, n), yb: make([]float64, n)}
	}, func(s *state, c int) {
		k := s.k
		k.seed(streamSobol, c)
		row := sums[c*n*width : (c+1)*n*width]
		for range chunkLen(N, c) {
			k.draw(s.xa, m.w0)
			k.draw(s.xb, m.w0)
			k.pillarsOnly(s.xa, false)
			for i, v := range k.o {
				s.ya[i] = v - m.base[i]
			}
			k.pillarsOnly(s.xb, false)
			for i, v := range k.o {
				s.yb[i] = v - m.base[i]
			}
			for i := range n {
				r := row[i*width:]
				r[0] += s.ya[i]
				r[1] += s.yb[i]
				r[2] += s.ya[i] * s.ya[i]
				r[3] += s.yb[i] * s.yb[i]
			}
			for p := range np {
				copy(s.x, s.xa)
				s.x[p] = s.xb[p]
				k.pillarsOnly(s.x, false)
				for i, v := range k.o {
					y := v - m.base[i]
					r := row[i*width:]
					r[4+2*p] += s.yb[i] * (y - s.ya[i])
					d := s.ya[i] - y
					r[5+2*p] += d * d
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	tot := make([]float64, n*width)
	for c := range chunks {
		for j, v := range sums[c*n*width : (c+1)*n*width] {
			tot[j] += v
		}
	}
	out := &sobolResult{first: make([]*float64, n*np), total: make([]*float64, n*np)}
	fN := float64(N)
	for i := range n {
		r := tot[i*width:]
		mean := (r[0] + r[1]) / (2 * fN)
		v := (r[2]+r[3])/(2*fN) - mean*mean
		// A variance at rounding level means the overall does not move.
		if !(v > 1e-18) {
			continue
		}
		for p := range np {
			f := r[4+2*p] / fN / v
			t := r[5+2*p] / (2 * fN) / v
			out.first[i*np+p], out.total[i*np+p] = &f, &t
		}
	}
	return out, nil
}
