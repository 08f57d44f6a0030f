package sensitivity

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
)

// several is the bundled assessments plus generated ones.
func several(t testing.TB, extra int) Input {
	in := bundled(t)
	in.Assessments = append(in.Assessments, synthetic(t, in.Rubric, extra, 3)...)
	return in
}

// ladder replaces the bundled tiers, which depend on pillar scores only,
// with thresholds on the overall score near the bundled results, so that
// weights can move a tier.
func ladder(in Input, thresholds ...float64) Input {
	r := *in.Rubric
	r.Tiers = nil
	for i, th := range thresholds {
		r.Tiers = append(r.Tiers, rubric.Tier{ID: string(rune('A' + i)), Label: "at least", OverallAtLeast: &th})
	}
	r.Tiers = append(r.Tiers, rubric.Tier{ID: "Z", Label: "the rest"})
	in.Rubric = &r
	return in
}

func runT(t testing.TB, in Input, cfg Config) *Result {
	t.Helper()
	res, err := Run(context.Background(), in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestWorkersDoNotChangeResults(t *testing.T) {
	in := ladder(several(t, 4), 58, 55, 52)
	for _, cfg := range []Config{
		{Samples: 3001, Seed: 9, Noise: 0.4, Criteria: true, Levels: true, Sobol: 700},
		{Samples: 2000, Seed: 2, Dirichlet: 20, Criteria: true, Sobol: 600},
		{Samples: 1500, Seed: 5, Noise: 0.3},
	} {
		var first []byte
		for _, workers := range []int{1, 2, 8} {
			cfg.Workers = workers
			got, err := json.Marshal(runT(t, in, cfg))
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = got
			} else if string(got) != string(first) {
				t.Fatalf("%+v: %d workers give different numbers from 1 worker", cfg, workers)
			}
		}
	}
}

// TestReplayMatchesKeptScores checks that the two ways to find
// percentiles, keeping every score or replaying the streams, agree.
func TestReplayMatchesKeptScores(t *testing.T) {
	in := ladder(several(t, 4), 58, 55, 52)
	cfg := Config{Samples: 2500, Seed: 6, Noise: 0.3, Criteria: true, Levels: true, Workers: 2}
	var out [2][]byte
	for j, keep := range []int{0, maxStored} {
		res, err := run(context.Background(), in, cfg, keep)
		if err != nil {
			t.Fatal(err)
		}
		if out[j], err = json.Marshal(res); err != nil {
			t.Fatal(err)
		}
	}
	if string(out[0]) != string(out[1]) {
		t.Fatal("replaying the samples gives other numbers than keeping them")
	}
}

func TestSeedChangesSamples(t *testing.T) {
	in := several(t, 2)
	a := runT(t, in, Config{Samples: 1000, Seed: 1, Noise: 0.25})
	b := runT(t, in, Config{Samples: 1000, Seed: 2, Noise: 0.25})
	if a.Assessments[0].Overall.Mean == b.Assessments[0].Overall.Mean {
		t.Fatal("seeds 1 and 2 drew the same samples")
	}
}

func TestNoiseZeroCollapses(t *testing.T) {
	in := ladder(several(t, 3), 58, 55, 52)
	for _, criteria := range []bool{false, true} {
		res := runT(t, in, Config{Samples: 1200, Seed: 1, Noise: 0, Criteria: criteria, Sobol: 300})
		for _, a := range res.Assessments {
			nominal := *a.Nominal.Overall
			d := a.Overall
			// The kernel repeats Aggregate's arithmetic term by term, so
			// unperturbed weights give the very same float64.
			if d.Nominal != nominal || d.Mean != nominal || d.P05 != nominal || d.P50 != nominal || d.P95 != nominal {
				t.Errorf("criteria=%v, %s: %+v, want every figure %v", criteria, a.Nominal.File, d, nominal)
			}
			for k, p := range a.TierProbability {
				want := 0.0
				if res.Tiers[k].ID == a.Nominal.Tier.ID {
					want = 1
				}
				if p != want {
					t.Errorf("%s: P(tier %s) = %v, want %v", a.Nominal.File, res.Tiers[k].ID, p, want)
				}
			}
			if r := a.Rank; r.Median != r.Nominal || r.P05 != r.Nominal || r.P95 != r.Nominal || r.P(r.Nominal) != 1 || len(r.Probability) != 1 {
				t.Errorf("%s: rank %+v does not collapse", a.Nominal.File, r)
			}
			for _, p := range a.Pillars {
				if p.FirstOrder != nil || p.Total != nil {
					t.Errorf("%s %s: indices %v %v of a constant", a.Nominal.File, p.ID, p.FirstOrder, p.Total)
				}
			}
		}
	}
}

func TestTierProbabilitiesSumToOne(t *testing.T) {
	in := ladder(several(t, 4), 58, 55, 52)
	res := runT(t, in, Config{Samples: 5000, Seed: 3, Noise: 0.6, Criteria: true, Levels: true})
	spread := false
	for _, a := range res.Assessments {
		sum, nonzero := a.NoTier, 0
		for _, p := range a.TierProbability {
			sum += p
			if p > 0 {
				nonzero++
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("%s: tier probabilities sum to %v", a.Nominal.File, sum)
		}
		spread = spread || nonzero > 1
		if a.Rank != nil {
			sum := 0.0
			for _, p := range a.Rank.Probability {
				sum += p
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("%s: rank probabilities sum to %v", a.Nominal.File, sum)
			}
		}
	}
	if !spread {
		t.Fatal("no assessment moved between tiers; the test cannot tell anything")
	}
}

// TestAgainstBruteForce replays every sample one by one, keeps them all,
// and checks the streamed statistics against plain sorting and counting.
func TestAgainstBruteForce(t *testing.T) {
	many := several(t, 70) // above smallRank: the bucket ranking
	t.Run("criteria+levels", func(t *testing.T) {
		bruteForce(t, ladder(many, 58, 55, 52), Config{Samples: 1100, Seed: 4, Noise: 0.5, Criteria: true, Levels: true})
	})
	t.Run("pillars, tiers that weights cannot move", func(t *testing.T) {
		bruteForce(t, many, Config{Samples: 1100, Seed: 5, Noise: 0.5})
	})
}

func bruteForce(t *testing.T, in Input, cfg Config) {
	res := runT(t, in, cfg)
	m, err := prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	n := m.n
	values := make([][]float64, n)
	tiers := make([][]int, n)
	ranks := make([][]int, n)
	for i := range n {
		tiers[i] = make([]int, len(m.tiers)+1)
		ranks[i] = make([]int, n)
	}
	k := newWorker(m, &cfg)
	for c := range (cfg.Samples + ChunkSize - 1) / ChunkSize {
		k.seed(streamMonteCarlo, c)
		for range chunkLen(cfg.Samples, c) {
			k.sample(true)
			idx := make([]int, n)
			for i, v := range k.o {
				values[i] = append(values[i], v)
				tiers[i][k.tier[i]]++
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int {
				switch {
				case k.o[a] > k.o[b]:
					return -1
				case k.o[a] < k.o[b]:
					return 1
				}
				return 0
			})
			for r, i := range idx {
				ranks[i][r]++
			}
		}
	}
	for i, a := range res.Assessments {
		v := values[i]
		mean := 0.0
		for _, x := range v {
			mean += x
		}
		mean /= float64(len(v))
		slices.Sort(v)
		d := a.Overall
		if math.Abs(d.Mean-mean) > 1e-9 {
			t.Errorf("%d: mean %v, brute force %v", i, d.Mean, mean)
		}
		for q, got := range []float64{d.P05, d.P50, d.P95} {
			if want := v[orderStat(quantiles()[q], len(v))-1]; got != want {
				t.Errorf("%d: percentile %v = %v, brute force %v", i, quantiles()[q], got, want)
			}
		}
		for tr, c := range tiers[i] {
			want := float64(c) / float64(cfg.Samples)
			got := a.NoTier
			if tr < len(a.TierProbability) {
				got = a.TierProbability[tr]
			}
			if got != want {
				t.Errorf("%d: tier %d probability %v, brute force %v", i, tr, got, want)
			}
		}
		for r, c := range ranks[i] {
			if want := float64(c) / float64(cfg.Samples); a.Rank.P(r+1) != want {
				t.Errorf("%d: P(rank %d) = %v, brute force %v", i, r+1, a.Rank.P(r+1), want)
			}
		}
	}
}

func TestRankerMatchesSort(t *testing.T) {
	for _, n := range []int{1, 2, 5, 64, 65, 300} {
		rk := newRanker(n)
		for trial := range 20 {
			o := make([]float64, n)
			for i := range o {
				// Few distinct values, so ties are common.
				o[i] = float64((i*7919+trial*104729)%13) * 7.5
			}
			if trial%5 == 0 {
				o[0] = 100
			}
			got := append([]int32(nil), rk.rank(o)...)
			want := make([]int32, n)
			for i := range want {
				want[i] = int32(i)
			}
			slices.SortStableFunc(want, func(a, b int32) int {
				switch {
				case o[a] > o[b]:
					return -1
				case o[a] < o[b]:
					return 1
				}
				return 0
			})
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d trial %d: ranker %v, sort %v", n, trial, got, want)
			}
		}
	}
}

// rescore scores assessment i with pillar p's weight multiplied by k.
func rescore(in Input, i, p int, k float64) *score.Result {
	w := in.Weights.Clone()
	w.Pillar[p] *= k
	return score.Score(in.Rubric, in.Assessments[i], w, in.Options)
}

func tierID(res *score.Result) string {
	if res.Tier == nil {
		return ""
	}
	return res.Tier.ID
}

// TestBreakEvenAgreesWithRescoring re-scores with score.Aggregate just
// before and just after every break-even factor: the tier or the order of
// the pair must be the nominal one before and the reported one after, and
// a "never" must hold across a range of factors.
func TestBreakEvenAgreesWithRescoring(t *testing.T) {
	const eps = 1e-6
	for _, agg := range []rubric.Aggregation{rubric.Arithmetic, rubric.Geometric} {
		in := ladder(several(t, 5), 60, 56, 53, 50)
		// One assessment without a pillar compares with the others as a
		// ratio of different Möbius functions: a quadratic in the factor.
		in.Assessments = append(in.Assessments, withoutPillar(t, in, in.Assessments[3], "leadership"))
		in.Options.Aggregation = agg
		res := runT(t, in, Config{Samples: 10, Seed: 1, Noise: 0.1})
		tierChanges, rankChanges := 0, 0
		for i, a := range res.Assessments {
			nominalTier := tierID(a.Nominal)
			for p, pl := range a.Pillars {
				for _, c := range []struct {
					ch   *TierChange
					sign float64
				}{{pl.TierDown, -1}, {pl.TierUp, 1}} {
					if c.ch == nil {
						for _, k := range []float64{0.02, 0.3, 0.8, 1.25, 3, 40} {
							if (k-1)*c.sign > 0 && tierID(rescore(in, i, p, k)) != nominalTier {
								t.Errorf("%s %s %s: tier changes at ×%v but break-even says never", agg, a.Nominal.File, pl.ID, k)
							}
						}
						continue
					}
					tierChanges++
					near := rescore(in, i, p, c.ch.Factor*(1-c.sign*eps))
					far := rescore(in, i, p, c.ch.Factor*(1+c.sign*eps))
					want := ""
					if c.ch.Tier != nil {
						want = c.ch.Tier.ID
					}
					if tierID(near) != nominalTier || tierID(far) != want {
						t.Errorf("%s %s %s ×%v: tiers %q then %q, want %q then %q", agg, a.Nominal.File, pl.ID, c.ch.Factor, tierID(near), tierID(far), nominalTier, want)
					}
				}
				for _, c := range []struct {
					ch   *RankChange
					sign float64
				}{{pl.RankDown, -1}, {pl.RankUp, 1}} {
					if c.ch == nil {
						continue
					}
					rankChanges++
					j := c.ch.Other
					far := c.ch.Factor * (1 + c.sign*eps)
					ahead := *rescore(in, i, p, far).Overall > *rescore(in, j, p, far).Overall
					if ahead != c.ch.Gains {
						t.Errorf("%s %s %s ×%v: ahead of %s after = %v, want %v", agg, a.Nominal.File, pl.ID, c.ch.Factor, res.Assessments[j].Nominal.File, ahead, c.ch.Gains)
					}
					if c.ch.Factor == 1 {
						continue // a nominal tie, which input order broke
					}
					near := c.ch.Factor * (1 - c.sign*eps)
					wasAhead := *rescore(in, i, p, near).Overall > *rescore(in, j, p, near).Overall
					if wasAhead == ahead {
						t.Errorf("%s %s %s ×%v: order with %s does not change there", agg, a.Nominal.File, pl.ID, c.ch.Factor, res.Assessments[j].Nominal.File)
					}
				}
			}
		}
		if tierChanges == 0 || rankChanges == 0 {
			t.Fatalf("%s: %d tier and %d rank break-evens; the test cannot tell anything", agg, tierChanges, rankChanges)
		}
	}
}

func TestLeaveOneOut(t *testing.T) {
	in := bundled(t)
	res := runT(t, in, Config{Samples: 10, Noise: 0.1})
	for i, a := range res.Assessments {
		for p, pl := range a.Pillars {
			want := rescore(in, i, p, 0)
			if *pl.Without.Overall != *want.Overall || tierID(want) != pl.Without.Tier.ID {
				t.Errorf("%s without %s: %v, re-scored %v", a.Nominal.File, pl.ID, *pl.Without.Overall, *want.Overall)
			}
		}
	}
}

func TestSobolIndices(t *testing.T) {
	in := bundled(t)
	off, _ := in.Rubric.Lookup("offence")
	in.Weights.Pillar[off.Pillar] = 0
	res := runT(t, in, Config{Samples: 10, Seed: 1, Noise: 0.25, Sobol: 8192})
	for _, a := range res.Assessments {
		sum := 0.0
		for _, p := range a.Pillars {
			if p.ID == "offence" {
				// A weight of 0 stays 0 under multiplicative noise.
				if *p.FirstOrder != 0 || *p.Total != 0 {
					t.Errorf("%s: a pillar at weight 0 has indices %v, %v", a.Nominal.File, *p.FirstOrder, *p.Total)
				}
				continue
			}
			if *p.Total < -0.01 || *p.Total > 1.01 || *p.FirstOrder > *p.Total+0.03 {
				t.Errorf("%s %s: first-order %v, total %v", a.Nominal.File, p.ID, *p.FirstOrder, *p.Total)
			}
			sum += *p.FirstOrder
		}
		// The overall is nearly additive in small weight changes, so the
		// first-order indices explain almost all of its variance.
		if sum < 0.85 || sum > 1.05 {
			t.Errorf("%s: first-order indices sum to %v", a.Nominal.File, sum)
		}
	}
}

func TestLevelSteps(t *testing.T) {
	in := bundled(t)
	m, err := prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.perts) == 0 {
		t.Fatal("the bundled assessments have no medium or low confidence findings")
	}
	for i := range m.n {
		for _, pt := range m.perts[m.pertStart[i]:m.pertStart[i+1]] {
			if got := m.score[i*m.nc+pt.c]; pt.score[1] != got {
				t.Errorf("criterion %d: unmoved score %v, credited %v", pt.c, pt.score[1], got)
			}
			if !(pt.score[0] <= pt.score[1] && pt.score[1] <= pt.score[2]) {
				t.Errorf("criterion %d: steps %v out of order", pt.c, pt.score)
			}
		}
	}
	cfg := Config{Samples: 1, Levels: true}
	k := newWorker(m, &cfg)
	k.seed(streamMonteCarlo, 0)
	const draws = 200000
	for _, low := range []bool{false, true} {
		var counts [3]int
		for range draws {
			counts[k.step(low)+1]++
		}
		want := [3]float64{0.25, 0.5, 0.25}
		if low {
			want = [3]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
		}
		for s, c := range counts {
			if got := float64(c) / draws; math.Abs(got-want[s]) > 0.005 {
				t.Errorf("low=%v: step %d drawn %.4f of the time, want %.4f", low, s-1, got, want[s])
			}
		}
	}
}

// TestEvidenceCapsStepsUp builds a finding whose sources support level 2
// only: a step up from 2 must still be credited at 2.
func TestEvidenceCapsStepsUp(t *testing.T) {
	in := bundled(t)
	m, err := prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	for p, pl := range in.Rubric.Pillars {
		for c := range pl.Criteria {
			cr := score.Criterion{StatedLevel: new(int), Confidence: "medium", Sources: 1}
			*cr.StatedLevel = 2
			before := len(m.perts)
			m.addPert(m.start[p]+c, &in.Rubric.Pillars[p].Criteria[c], cr)
			if len(m.perts) == before {
				continue // measured
			}
			got := m.perts[len(m.perts)-1].score
			if got != [3]float64{25, 50, 50} {
				t.Fatalf("%s: one source, level 2 stepped to %v, want [25 50 50] (level 3 needs 2 sources)", pl.Criteria[c].ID, got)
			}
			return
		}
	}
}

func TestCancel(t *testing.T) {
	in := several(t, 20)
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	_, err := Run(ctx, in, Config{Samples: 1 << 24, Noise: 0.25, Criteria: true, Levels: true, Progress: func(done, _ int) {
		if done == 1 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("cancelled run took %v to stop", d)
	}
}

func TestConfigCheck(t *testing.T) {
	for _, c := range []Config{
		{Samples: 0, Noise: 0.1},
		{Samples: 10, Noise: 1},
		{Samples: 10, Noise: -0.1},
		{Samples: 10, Noise: math.NaN()},
		{Samples: 10, Dirichlet: 0.5},
		{Samples: 10, Dirichlet: math.Inf(1)},
		{Samples: 10, Sobol: -1},
		{Samples: 10, Workers: -1},
	} {
		if c.Check() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	if err := (Config{Samples: 10, Noise: 0.25}).Check(); err != nil {
		t.Error(err)
	}
}

// withoutPillar copies a with no finding or fact for any criterion of the
// pillar, which leaves that pillar unscored.
func withoutPillar(t *testing.T, in Input, a *assessment.Assessment, pillar string) *assessment.Assessment {
	t.Helper()
	b := *a
	b.File = a.File + "-without-" + pillar
	b.Findings = maps.Clone(a.Findings)
	b.Facts = maps.Clone(a.Facts)
	ref, _ := in.Rubric.Lookup(pillar)
	for _, c := range in.Rubric.Pillars[ref.Pillar].Criteria {
		delete(b.Findings, c.ID)
		if c.Measure != nil {
			delete(b.Facts, c.Measure.Fact)
		}
	}
	if res := score.Score(in.Rubric, &b, in.Weights, in.Options); res.Pillars[ref.Pillar].Score != nil {
		t.Fatalf("%s still scores %s", b.File, pillar)
	}
	return &b
}

// Weights near the float64 limit, or far apart, give a run whose every
// number is finite (JSON refuses NaN and Inf) and in range; and siblings
// scaled by a power of two give the very same run.
func TestExtremeWeightsStayFinite(t *testing.T) {
	base := several(t, 2)
	huge := func(in Input, f func(w []float64, c [][]float64)) Input {
		in.Weights = in.Weights.Clone()
		f(in.Weights.Pillar, in.Weights.Criterion)
		return in
	}
	inputs := map[string]Input{
		"two pillars at 1.7e308": huge(base, func(w []float64, _ [][]float64) { w[0], w[1] = 1.7e308, 1.7e308 }),
		"every weight at the largest float64": huge(base, func(w []float64, c [][]float64) {
			for p := range w {
				w[p] = math.MaxFloat64
				for j := range c[p] {
					c[p][j] = math.MaxFloat64
				}
			}
		}),
		"largest next to subnormals": huge(base, func(w []float64, c [][]float64) {
			for p := range w {
				w[p] = math.SmallestNonzeroFloat64
			}
			w[3] = math.MaxFloat64
			c[0][0], c[0][1] = 1e308, math.SmallestNonzeroFloat64
		}),
	}
	configs := map[string]Config{
		"uniform":              {Noise: 0.25, Sobol: 64},
		"wide uniform":         {Noise: 0.999, Criteria: true, Levels: true},
		"dirichlet":            {Dirichlet: 5, Criteria: true, Sobol: 64},
		"huge concentration":   {Dirichlet: math.MaxFloat64, Criteria: true},
		"geometric, dirichlet": {Dirichlet: 2, Criteria: true, Levels: true, Sobol: 64},
	}
	for name, in := range inputs {
		for cname, cfg := range configs {
			t.Run(name+", "+cname, func(t *testing.T) {
				in := in
				if cname == "geometric, dirichlet" {
					in.Options.Aggregation = rubric.Geometric
				}
				cfg.Samples, cfg.Seed = 700, 3
				res := runT(t, in, cfg)
				first, err := json.Marshal(res)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range res.Assessments {
					d := a.Overall
					for _, v := range []float64{d.Nominal, d.Mean, d.P05, d.P50, d.P95} {
						if !(v >= 0 && v <= 100+1e-9) {
							t.Fatalf("%s: overall %+v out of [0, 100]", a.Nominal.File, d)
						}
					}
					sum := a.NoTier
					for _, p := range a.TierProbability {
						sum += p
					}
					if math.Abs(sum-1) > 1e-9 {
						t.Errorf("%s: tier probabilities sum to %v", a.Nominal.File, sum)
					}
				}
				if name == "largest next to subnormals" {
					return // no power of two keeps both ends finite and positive
				}
				// Every level scaled by 2^-1000 (or 2^1000 where that
				// fits) gives the same run, to the bit.
				scaled := huge(in, func(w []float64, c [][]float64) {
					for _, ws := range append([][]float64{w}, c...) {
						k := -1000
						if slices.Max(ws) < 0x1p20 {
							k = 1000
						}
						for j := range ws {
							ws[j] = math.Ldexp(ws[j], k)
						}
					}
				})
				again, err := json.Marshal(runT(t, scaled, cfg))
				if err != nil {
					t.Fatal(err)
				}
				if string(again) != string(first) {
					t.Errorf("scaling siblings by a power of two changed the run")
				}
			})
		}
	}
}

// TestRankCountsMatchDense checks the growing rank windows, added to in
// batches and merged across workers, against one counter per rank.
func TestRankCountsMatchDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := range 200 {
		n := 1 + rng.IntN(300)
		centre, spread := rng.IntN(n), 1+rng.IntN(n)
		dense := make([]uint32, n)
		workers := make([]rankCounts, 1+rng.IntN(3))
		for range rng.IntN(40) {
			rs := make([]uint32, 1+rng.IntN(batch))
			for j := range rs {
				rs[j] = uint32(min(max(centre+rng.IntN(spread)-spread/2, 0), n-1))
				dense[rs[j]]++
			}
			workers[rng.IntN(len(workers))].add(rs, n)
		}
		got := workers[0]
		for w := range workers[1:] {
			got.merge(&workers[w+1], n)
		}
		if got.from < 0 || got.from+len(got.c) > n {
			t.Fatalf("trial %d: window [%d, %d) outside the %d ranks", trial, got.from, got.from+len(got.c), n)
		}
		for r, want := range dense {
			c := uint32(0)
			if j := r - got.from; j >= 0 && j < len(got.c) {
				c = got.c[j]
			}
			if c != want {
				t.Fatalf("trial %d: rank %d counted %d times, want %d", trial, r, c, want)
			}
		}
	}
}

// A criterion left out of a pillar (no finding) with the largest weight
// must not swamp the ratio of its counted siblings: the nominal overall is
// score's, to the bit, even when those siblings sit at 1e-310 and 5e-324.
func TestNominalBesideLargeUncountedWeight(t *testing.T) {
	in := bundled(t)
	a := in.Assessments[0]
	ev := score.Evaluate(in.Rubric, a)
	// A pillar with two counted criteria of different scores and a third
	// to leave out.
	p, x, y, z := -1, 0, 0, 0
	for q, pl := range in.Rubric.Pillars {
		for i := range pl.Criteria {
			for j := range pl.Criteria {
				if p < 0 && i != j && ev.Has[q][i] && ev.Has[q][j] && ev.Scores[q][i] != ev.Scores[q][j] && len(pl.Criteria) > 2 {
					p, x, y = q, i, j
				}
			}
		}
	}
	if p < 0 {
		t.Fatal("no pillar with two counted criteria of different scores")
	}
	for z == x || z == y {
		z++
	}
	delete(a.Findings, in.Rubric.Pillars[p].Criteria[z].ID)
	in.Weights = in.Weights.Clone()
	c := in.Weights.Criterion[p]
	for k := range c {
		c[k] = 0
	}
	c[z], c[x], c[y] = math.MaxFloat64, 1e-310, math.SmallestNonzeroFloat64
	want := score.Score(in.Rubric, a, in.Weights, in.Options).Overall
	res := runT(t, Input{Rubric: in.Rubric, Assessments: []*assessment.Assessment{a}, Weights: in.Weights, Options: in.Options}, Config{Samples: 10, Seed: 1})
	if got := res.Assessments[0].Overall.Nominal; want == nil || got != *want {
		t.Errorf("nominal %v, score %v", got, *want)
	}
	// Samples without noise are the nominal too: they draw from weights
	// scaled by the largest that takes part, not by the giant left out.
	res = runT(t, Input{Rubric: in.Rubric, Assessments: []*assessment.Assessment{a}, Weights: in.Weights, Options: in.Options}, Config{Samples: 10, Seed: 1, Noise: 0, Criteria: true})
	if d := res.Assessments[0].Overall; math.Abs(d.Mean-*want) > 1e-9 || math.Abs(d.P05-*want) > 1e-9 || math.Abs(d.P95-*want) > 1e-9 {
		t.Errorf("without noise the samples run %v to %v, mean %v; want %v", d.P05, d.P95, d.Mean, *want)
	}
}
