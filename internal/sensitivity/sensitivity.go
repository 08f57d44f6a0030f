// Package sensitivity asks whether a result survives reasonable
// disagreement about weights and levels: a seeded Monte Carlo over pillar
// (and criterion) weights and over levels, by each finding's confidence or
// drawn from a panel of assessors' levels, with score and tier distributions, rank stability across assessments,
// Sobol indices of the pillar weights, a leave-one-pillar-out table and
// break-even weights solved in closed form. It is pure and parallel: the
// numbers depend on the seed and the inputs only, never on the number of
// workers or on scheduling.
package sensitivity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Config is one run's parameters.
type Config struct {
	Samples int
	Seed    uint64
	// Noise is the ± fraction each weight is multiplied by, uniformly;
	// ignored when Dirichlet is set.
	Noise float64
	// Dirichlet, when above 0, draws sibling weights from a Dirichlet
	// distribution with this concentration around the nominal shares.
	Dirichlet float64
	// Criteria perturbs criterion weights as well as pillar weights.
	Criteria bool
	// Levels moves judged levels by each finding's confidence.
	Levels bool
	// Panel draws each criterion's level of a panel (Builder.AddPanel)
	// from its members' levels; Run groups the inputs into panels.
	Panel bool
	// Sobol is the base sample count N of the sensitivity indices
	// (N·(pillars+2) evaluations); 0 skips them.
	Sobol int
	// Workers is the number of goroutines; 0 means GOMAXPROCS. It never
	// changes a result.
	Workers int
	// Progress, when set, is called after each chunk with the chunks done
	// and the total, from worker goroutines: it must be safe for
	// concurrent use.
	Progress func(done, total int)
}

// ChunkSize is how many samples share one random stream. It is part of
// what a seed means: results are reproducible for a given chunk size.
const ChunkSize = 512

// MaxSamples bounds --samples so that counts fit their counters.
const MaxSamples = 1 << 30

// maxStored is how many scores a run keeps (128 MiB) instead of replaying
// its samples to find the percentiles.
const maxStored = 1 << 24

// bins is the resolution of the first pass's score histogram over [0, 100].
const bins = 4096

// Check refuses parameters that cannot run.
func (c Config) Check() error {
	var errs []error
	if c.Samples < 1 || c.Samples > MaxSamples {
		errs = append(errs, fmt.Errorf("samples %d: use 1 to %d", c.Samples, MaxSamples))
	}
	if c.Dirichlet == 0 && !(c.Noise >= 0 && c.Noise < 1) {
		errs = append(errs, fmt.Errorf("noise %g: use a fraction from 0 up to (not including) 1, e.g. 0.25 for ±25%%", c.Noise))
	}
	if c.Dirichlet != 0 && !(c.Dirichlet >= 1 && !math.IsInf(c.Dirichlet, 0)) {
		errs = append(errs, fmt.Errorf("dirichlet %g: use a finite concentration of at least 1 (larger is tighter around the nominal weights)", c.Dirichlet))
	}
	if c.Sobol < 0 || c.Sobol > MaxSamples {
		errs = append(errs, fmt.Errorf("sobol %d: use 0 (skip) to %d", c.Sobol, MaxSamples))
	}
	if c.Levels && c.Panel {
		errs = append(errs, errors.New("levels: move them by confidence or draw them from a panel, not both"))
	}
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("workers %d: use 0 (all cores) or more", c.Workers))
	}
	return errors.Join(errs...)
}

// Level modes, as LevelMode names them.
const (
	LevelsFixed      = "fixed"
	LevelsConfidence = "confidence"
	LevelsPanel      = "panel"
)

// LevelMode names how levels move: fixed, by confidence or from a panel.
func (c Config) LevelMode() string {
	switch {
	case c.Panel:
		return LevelsPanel
	case c.Levels:
		return LevelsConfidence
	}
	return LevelsFixed
}

// SetLevelMode sets Levels and Panel from a mode LevelMode names.
func (c *Config) SetLevelMode(mode string) error {
	switch mode {
	case LevelsFixed, LevelsConfidence, LevelsPanel:
		c.Levels, c.Panel = mode == LevelsConfidence, mode == LevelsPanel
		return nil
	}
	return fmt.Errorf("levels %q: use %s, %s or %s", mode, LevelsConfidence, LevelsPanel, LevelsFixed)
}

// Result is a whole run.
type Result struct {
	Samples     int           `json:"samples"`
	Tiers       []score.Tier  `json:"tiers"`
	Pillars     []string      `json:"pillars"`
	Assessments []*Assessment `json:"assessments"`
}

// Assessment is what the run found for one assessment.
type Assessment struct {
	Nominal *score.Result `json:"-"`
	// Overall is the score under the nominal weights and its distribution.
	Overall Distribution `json:"overall"`
	// TierProbability[t] is the share of samples in tier t, in rubric
	// order; a last entry counts samples that meet no tier. It sums to 1.
	TierProbability []float64 `json:"tier_probability"`
	NoTier          float64   `json:"no_tier"`
	Rank            *Rank     `json:"rank"`
	Pillars         []Pillar  `json:"pillars"`
	// Panel lists the members when the assessment is a panel's consensus
	// (Builder.AddPanel), in input order; nil otherwise.
	Panel []Member `json:"panel,omitempty"`
}

// Distribution summarises one score over the samples. Percentiles are
// nearest-rank: the ⌈p·n⌉-th smallest sample, always a sampled value.
type Distribution struct {
	Nominal float64 `json:"nominal"`
	Mean    float64 `json:"mean"`
	P05     float64 `json:"p05"`
	P50     float64 `json:"p50"`
	P95     float64 `json:"p95"`
}

// Rank is an assessment's place among all of them over the samples, 1 the
// highest overall; ties go to the earlier input.
type Rank struct {
	Nominal int `json:"nominal"`
	Median  int `json:"median"`
	P05     int `json:"p05"`
	P95     int `json:"p95"`
	// Probability[j] is the share of samples at rank From+j; ranks
	// outside never occurred. Only the ranks an assessment reaches are
	// listed, which keeps a run over thousands of assessments small.
	From        int       `json:"from"`
	Probability []float64 `json:"probability"`
}

// P is the share of samples at rank r.
func (r *Rank) P(rank int) float64 {
	if j := rank - r.From; j >= 0 && j < len(r.Probability) {
		return r.Probability[j]
	}
	return 0
}

// Pillar is what one pillar's weight does to one assessment.
type Pillar struct {
	ID string `json:"id"`
	// Weight is the nominal weight normalised among the pillars.
	Weight float64 `json:"weight"`
	// FirstOrder and Total are Sobol indices of this pillar's weight on
	// the overall score; nil when the overall does not vary.
	FirstOrder *float64 `json:"first_order"`
	Total      *float64 `json:"total"`
	// Without is the overall and tier with this pillar's weight set to 0.
	Without Without `json:"without"`
	// Tier and Rank are the break-even factors on this pillar's weight
	// (others fixed) nearest to 1, below and above; nil means never.
	TierDown *TierChange `json:"tier_down"`
	TierUp   *TierChange `json:"tier_up"`
	RankDown *RankChange `json:"rank_down"`
	RankUp   *RankChange `json:"rank_up"`
}

// Without is a leave-one-pillar-out result.
type Without struct {
	Overall *float64    `json:"overall"`
	Tier    *score.Tier `json:"tier"`
}

// TierChange is a factor on a pillar's weight at which the tier changes,
// and the tier just past it (nil: no tier).
type TierChange struct {
	Factor float64     `json:"factor"`
	Tier   *score.Tier `json:"tier"`
}

// RankChange is a factor on a pillar's weight at which this assessment
// and another swap places.
type RankChange struct {
	Factor float64 `json:"factor"`
	// Other is the index of the other assessment in the input.
	Other int `json:"other"`
	// Gains is true when this assessment moves up past Other.
	Gains bool `json:"gains"`
}

// Run lays out the inputs and runs the Monte Carlo, the Sobol indices,
// the leave-one-out table and the break-even factors. It stops early with
// the context's error when ctx is cancelled.
func Run(ctx context.Context, in Input, cfg Config) (*Result, error) {
	return run(ctx, in, cfg, maxStored)
}

// Run runs over the assessments added so far.
func (b *Builder) Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	m, err := b.finish()
	if err != nil {
		return nil, err
	}
	return runModel(ctx, m, cfg, maxStored)
}

// run is Run keeping at most keep scores in memory.
func run(ctx context.Context, in Input, cfg Config, keep int) (*Result, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	prep := prepare
	if cfg.Panel {
		prep = preparePanels
	}
	m, err := prep(in)
	if err != nil {
		return nil, err
	}
	return runModel(ctx, m, cfg, keep)
}

func runModel(ctx context.Context, m *model, cfg Config, keep int) (*Result, error) {
	workers := cfg.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (cfg.Samples + ChunkSize - 1) / ChunkSize
	sobolChunks := (cfg.Sobol + ChunkSize - 1) / ChunkSize
	pr := &progress{fn: cfg.Progress, total: 2*chunks + sobolChunks}
	res := &Result{Samples: cfg.Samples}
	for _, t := range m.r.Tiers {
		res.Tiers = append(res.Tiers, score.Tier{ID: t.ID, Label: t.Label})
	}
	for _, p := range m.r.Pillars {
		res.Pillars = append(res.Pillars, p.ID)
	}
	mc, err := monteCarlo(ctx, m, &cfg, workers, chunks, keep, pr)
	if err != nil {
		return nil, err
	}
	sob, err := sobol(ctx, m, &cfg, workers, pr)
	if err != nil {
		return nil, err
	}
	be := breakEvens(m, workers)
	pw := weights.Normalize(m.wNominal)
	for i := range m.n {
		a := &Assessment{Nominal: m.nominal[i], Overall: mc.dist[i], TierProbability: mc.tierP[i][:len(m.tiers)], NoTier: mc.tierP[i][len(m.tiers)], Rank: mc.rank[i], Panel: m.panels[i]}
		for p, id := range res.Pillars {
			pl := Pillar{ID: id, Weight: pw[p], Without: m.without[i*m.np+p]}
			if sob != nil {
				pl.FirstOrder, pl.Total = sob.first[i*m.np+p], sob.total[i*m.np+p]
			}
			b := be[i*m.np+p]
			pl.TierDown, pl.TierUp, pl.RankDown, pl.RankUp = b.tierDown, b.tierUp, b.rankDown, b.rankUp
			a.Pillars = append(a.Pillars, pl)
		}
		res.Assessments = append(res.Assessments, a)
	}
	return res, nil
}

// progress counts finished chunks across passes.
type progress struct {
	fn    func(done, total int)
	total int
	done  atomic.Int64
}

func (p *progress) tick() { p.skip(1) }

// skip counts n chunks done at once.
func (p *progress) skip(n int) {
	if p.fn != nil {
		p.fn(int(p.done.Add(int64(n))), p.total)
	}
}

// forChunks runs body over chunks 0..n-1 on the workers, each with its own
// state from newState; workers pull the next chunk as they finish one.
// Each chunk's result must depend on the chunk alone; callers combine
// floating-point partial results in chunk order.
func forChunks[S any](ctx context.Context, workers, n int, pr *progress, newState func() S, body func(s S, chunk int)) ([]S, error) {
	workers = max(1, min(workers, n))
	states := make([]S, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		states[w] = newState()
		wg.Add(1)
		go func(s S) {
			defer wg.Done()
			for ctx.Err() == nil {
				c := int(next.Add(1) - 1)
				if c >= n {
					return
				}
				body(s, c)
				pr.tick()
			}
		}(states[w])
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return states, nil
}

// chunkLen is the number of samples in chunk c.
func chunkLen(total, c int) int { return min(ChunkSize, total-c*ChunkSize) }

// mcState is one worker's first-pass counts. Counts are integers, so
// adding them up across workers gives the same totals in any order.
type mcState struct {
	k      *worker
	rk     *ranker
	hist   []uint32     // n*bins
	tiers  []uint64     // n*(tiers+1)
	ranks  []rankCounts // per assessment
	static bool         // tiers do not move: not counted per sample

	// The bins and ranks of the last few samples, per assessment, counted
	// into hist and ranks one assessment at a time. Counting each sample
	// as it came touched one cache line in each of n histogram rows and n
	// rank rows, too many to stay cached, and nearly every increment
	// waited on memory; an assessment's lines stay hot through a batch.
	held     int
	heldBin  []uint16 // n*batch
	heldRank []uint32 // n*batch
}

// batch is how many samples mcState holds before counting them.
const batch = 32

type mcResult struct {
	dist  []Distribution
	tierP [][]float64
	rank  []*Rank
}

func bin(v float64) int { return min(max(int(v*(bins/100.0)), 0), bins-1) }

// monteCarlo counts tiers, ranks and a histogram of each overall score and
// sums each chunk's scores. Percentiles are exact order statistics: the
// histogram says which bin holds each, and only the scores in those bins
// are sorted. They come from the kept scores of a small run, or else from
// a second pass that replays the same streams, so memory stays bounded.
func monteCarlo(ctx context.Context, m *model, cfg *Config, workers, chunks, keep int, pr *progress) (*mcResult, error) {
	n, nt := m.n, len(m.tiers)+1
	sums := make([]float64, chunks*n)
	// Small runs keep every score, so the percentiles need no second pass.
	var store []float64
	if n*cfg.Samples <= keep {
		store = make([]float64, n*cfg.Samples)
	}
	// With only pillar weights moving and no tier asking for an overall
	// score, every sample keeps its nominal tier: nothing to count.
	static := !cfg.Criteria && !cfg.Levels && !cfg.Panel
	for _, t := range m.tiers {
		static = static && !t.hasOver
	}
	states, err := forChunks(ctx, workers, chunks, pr, func() *mcState {
		s := &mcState{k: newWorker(m, cfg), hist: make([]uint32, n*bins), tiers: make([]uint64, n*nt), static: static, heldBin: make([]uint16, n*batch)}
		if n > 1 {
			s.rk, s.ranks, s.heldRank = newRanker(n), make([]rankCounts, n), make([]uint32, n*batch)
		}
		return s
	}, func(s *mcState, c int) {
		s.k.seed(streamMonteCarlo, c)
		row := sums[c*n : (c+1)*n]
		for j := range chunkLen(cfg.Samples, c) {
			s.k.sample(!static)
			s.accumulate(row)
			if store != nil {
				// Each sample has its own place: no order to depend on.
				at := c*ChunkSize + j
				for i, v := range s.k.o {
					store[i*cfg.Samples+at] = v
				}
			}
		}
		s.count()
	})
	if err != nil {
		return nil, err
	}
	hist, tiers, ranks := states[0].hist, states[0].tiers, states[0].ranks
	for _, s := range states[1:] {
		addInto(hist, s.hist)
		addInto(tiers, s.tiers)
		for i := range ranks {
			ranks[i].merge(&s.ranks[i], n)
		}
	}
	if static {
		for i := range n {
			tiers[i*nt+m.tierFixed(i, m.base[i])] = uint64(cfg.Samples)
		}
	}
	out := &mcResult{dist: make([]Distribution, n), tierP: make([][]float64, n), rank: make([]*Rank, n)}
	for i := range n {
		total := 0.0
		for c := range chunks {
			total += sums[c*n+i]
		}
		out.dist[i].Nominal = m.base[i]
		// Sums are of deviations from the nominal overall: better
		// conditioned, and exactly the nominal when nothing varies.
		out.dist[i].Mean = m.base[i] + total/float64(cfg.Samples)
		out.tierP[i] = make([]float64, nt)
		for t := range nt {
			out.tierP[i][t] = float64(tiers[i*nt+t]) / float64(cfg.Samples)
		}
	}
	if n > 1 {
		nominal := nominalRanks(m.base)
		for i := range n {
			out.rank[i] = rankStats(&ranks[i], cfg.Samples, nominal[i])
		}
	}
	if err := percentiles(ctx, m, cfg, workers, chunks, pr, hist, store, out.dist); err != nil {
		return nil, err
	}
	return out, nil
}

// accumulate counts one sample: its tiers and sums now, its bins and
// ranks with the rest of the batch.
func (s *mcState) accumulate(row []float64) {
	k := s.k
	nt := len(k.m.tiers) + 1
	j := s.held
	for i, v := range k.o {
		row[i] += v - k.m.base[i]
		s.heldBin[i*batch+j] = uint16(bin(v))
	}
	if !s.static {
		for i, t := range k.tier {
			s.tiers[i*nt+int(t)]++
		}
	}
	if s.rk != nil {
		for r, i := range s.rk.rank(k.o) {
			s.heldRank[int(i)*batch+j] = uint32(r)
		}
	}
	s.held++
	if s.held == batch {
		s.count()
	}
}

// count adds the held samples' bins and ranks to the histograms.
func (s *mcState) count() {
	n := len(s.k.o)
	for i := range n {
		h := s.hist[i*bins : (i+1)*bins]
		for _, b := range s.heldBin[i*batch : i*batch+s.held] {
			h[b]++
		}
		if s.rk != nil && s.held > 0 {
			s.ranks[i].add(s.heldRank[i*batch:i*batch+s.held], n)
		}
	}
	s.held = 0
}

func addInto[T uint32 | uint64](dst, src []T) {
	for i, v := range src {
		dst[i] += v
	}
}

// quantiles are the percentiles reported, as fractions.
func quantiles() [3]float64 { return [3]float64{0.05, 0.50, 0.95} }

// orderStat is the 1-based nearest-rank index of quantile q among n.
func orderStat(q float64, n int) int { return min(max(int(math.Ceil(q*float64(n))), 1), n) }

// percentiles finds each assessment's exact percentiles: the histogram
// tells which bin holds each wanted order statistic, a second pass over the
// same streams collects the scores in those bins, and a sort of those few
// picks the value. Each worker collects into its own lists, so workers
// never wait on each other; the lists are sorted once joined, so the order
// in which workers deliver values does not matter.
func percentiles(ctx context.Context, m *model, cfg *Config, workers, chunks int, pr *progress, hist []uint32, store []float64, dist []Distribution) error {
	n := m.n
	type target struct {
		bin, below int // the bin and the count of scores below it
	}
	tgt := make([][3]target, n)
	binIdx := make([]int32, n*3) // the distinct bins to collect per assessment, -1 unused
	for i := range n {
		h := hist[i*bins : (i+1)*bins]
		for q, p := range quantiles() {
			k := orderStat(p, cfg.Samples)
			cum := 0
			for b, c := range h {
				if cum+int(c) >= k {
					tgt[i][q] = target{b, cum}
					break
				}
				cum += int(c)
			}
		}
		for q := range 3 {
			binIdx[i*3+q] = -1
			b := int32(tgt[i][q].bin)
			if !slices.Contains(binIdx[i*3:i*3+q], b) {
				binIdx[i*3+q] = b
			}
		}
	}
	// collect adds the scores o of assessments from on to got where they
	// lie in a wanted bin. Nearly every score lies in none.
	collect := func(got [][]float64, from int, o []float64) {
		want := binIdx[from*3 : (from+len(o))*3]
		for j, v := range o {
			b, w := int32(bin(v)), want[j*3:j*3+3]
			if b != w[0] && b != w[1] && b != w[2] {
				continue
			}
			for u := range 3 {
				if w[u] == b {
					got[(from+j)*3+u] = append(got[(from+j)*3+u], v)
				}
			}
		}
	}
	var lists [][][]float64 // per worker, per assessment and wanted bin
	if store != nil {
		got := make([][]float64, n*3)
		for i := range n {
			for at := i * cfg.Samples; at < (i+1)*cfg.Samples; at++ {
				collect(got, i, store[at:at+1])
			}
		}
		lists = [][][]float64{got}
		pr.skip(chunks)
	} else {
		type state struct {
			k   *worker
			got [][]float64
		}
		states, err := forChunks(ctx, workers, chunks, pr, func() *state {
			return &state{k: newWorker(m, cfg), got: make([][]float64, n*3)}
		}, func(s *state, c int) {
			s.k.seed(streamMonteCarlo, c)
			for range chunkLen(cfg.Samples, c) {
				s.k.sample(false)
				collect(s.got, 0, s.k.o)
			}
		})
		if err != nil {
			return err
		}
		for _, s := range states {
			lists = append(lists, s.got)
		}
	}
	// Joining and sorting is a tenth of the pass: blocks of assessments
	// go to the workers too. Each block writes only its own entries.
	const block = 64
	_, err := forChunks(ctx, workers, (n+block-1)/block, &progress{}, func() *[]float64 { return new([]float64) }, func(vals *[]float64, c int) {
		for i := c * block; i < min((c+1)*block, n); i++ {
			ps := [3]*float64{&dist[i].P05, &dist[i].P50, &dist[i].P95}
			for u := i * 3; u < i*3+3; u++ {
				if binIdx[u] < 0 {
					continue
				}
				*vals = (*vals)[:0]
				for _, l := range lists {
					*vals = append(*vals, l[u]...)
					l[u] = nil
				}
				slices.Sort(*vals)
				for q, p := range quantiles() {
					if t := tgt[i][q]; t.bin == int(binIdx[u]) {
						*ps[q] = (*vals)[orderStat(p, cfg.Samples)-t.below-1]
					}
				}
			}
		}
	})
	return err
}

// nominalRanks ranks the nominal overall scores.
func nominalRanks(o []float64) []int {
	ord := newRanker(len(o)).rank(o)
	out := make([]int, len(o))
	for r, i := range ord {
		out[i] = r + 1
	}
	return out
}

func rankStats(rc *rankCounts, samples, nominal int) *Rank {
	h := rc.c
	lo, hi := 0, len(h)-1
	for lo < hi && h[lo] == 0 {
		lo++
	}
	for hi > lo && h[hi] == 0 {
		hi--
	}
	r := &Rank{Nominal: nominal, From: rc.from + lo + 1, Probability: make([]float64, hi-lo+1)}
	for j, c := range h[lo : hi+1] {
		r.Probability[j] = float64(c) / float64(samples)
	}
	at := func(q float64) int {
		k, cum := orderStat(q, samples), 0
		for j, c := range h {
			cum += int(c)
			if cum >= k {
				return rc.from + j + 1
			}
		}
		return rc.from + len(h)
	}
	r.P05, r.Median, r.P95 = at(0.05), at(0.5), at(0.95)
	return r
}

// rankCounts counts the ranks (0-based) one assessment reaches, over a
// window of ranks that grows to cover them: a run whose ranks hold still
// keeps a few counters per assessment instead of one per rank.
type rankCounts struct {
	from int      // the rank c[0] counts
	c    []uint32 // c[r-from] is the count of rank r
}

// add counts ranks rs, each below n.
func (h *rankCounts) add(rs []uint32, n int) {
	lo, hi := rs[0], rs[0]
	for _, r := range rs {
		lo, hi = min(lo, r), max(hi, r)
	}
	h.cover(int(lo), int(hi), n)
	for _, r := range rs {
		h.c[int(r)-h.from]++
	}
}

// merge adds o's counts.
func (h *rankCounts) merge(o *rankCounts, n int) {
	if len(o.c) == 0 {
		return
	}
	h.cover(o.from, o.from+len(o.c)-1, n)
	addInto(h.c[o.from-h.from:], o.c)
}

// cover widens the window to hold ranks lo to hi. A window grows by at
// least its width, so that a spreading rank reallocates only a few times.
func (h *rankCounts) cover(lo, hi, n int) {
	if len(h.c) == 0 {
		h.from, h.c = lo, make([]uint32, hi-lo+1)
		return
	}
	end := h.from + len(h.c) // exclusive
	if lo >= h.from && hi < end {
		return
	}
	w := len(h.c)
	from, to := h.from, end
	if lo < from {
		from = max(0, min(lo, from-w))
	}
	if hi >= to {
		to = min(n, max(hi+1, to+w))
	}
	c := make([]uint32, to-from)
	copy(c[h.from-from:], h.c)
	h.from, h.c = from, c
}
