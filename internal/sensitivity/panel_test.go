package sensitivity

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/testfix"
	"github.com/capscore/capscore/internal/weights"
)

// panelFiles reads the fictional panel under testdata/panel (each call
// gives fresh copies, so a test may change them).
func panelFiles(t testing.TB, names ...string) Input {
	t.Helper()
	r := testfix.Rubric(t, "")
	var files []string
	for _, n := range names {
		files = append(files, testfix.Path("testdata", "panel", n+".yaml"))
	}
	return Input{Rubric: r, Assessments: testfix.Assessments(t, r, files...), Weights: weights.Defaults(r)}
}

// clone is another assessor's copy of a: the same findings, its own
// levels to change.
func clone(t testing.TB, in Input, a *assessment.Assessment, assessor string) *assessment.Assessment {
	t.Helper()
	data, err := load.ReadFile(a.File)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimSuffix(a.File, ".yaml") + "-" + assessor + ".yaml"
	as, ds := load.Assessments([]load.Input{{Name: name, Data: data}}, in.Rubric)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	b := as[0]
	b.Assessors = []string{assessor}
	return b
}

func setLevel(a *assessment.Assessment, criterion string, level int) {
	a.Findings[criterion].Level = &level
}

// sampleOveralls draws n samples of a run's first assessment and counts
// each overall score.
func sampleOveralls(t *testing.T, in Input, cfg Config, n int) (*model, map[float64]int) {
	t.Helper()
	m, err := preparePanels(in)
	if err != nil {
		t.Fatal(err)
	}
	k := newWorker(m, &cfg)
	counts := map[float64]int{}
	for c := 0; c*ChunkSize < n; c++ {
		k.seed(streamMonteCarlo, c)
		for range chunkLen(n, c) {
			k.sample(true)
			counts[k.o[0]]++
		}
	}
	return m, counts
}

// TestPanelDrawsEachMembersLevel: two assessors who differ only on
// national-strategy (levels 3 and 1), and a third who left it out. With the
// weights fixed, every sample scores as one assessor or the other, each
// half of the time: the criterion is drawn only among the members that
// credit it.
func TestPanelDrawsEachMembersLevel(t *testing.T) {
	in := panelFiles(t, "adler")
	a := in.Assessments[0]
	b, c := clone(t, in, a, "Second"), clone(t, in, a, "Third")
	setLevel(a, "national-strategy", 3)
	setLevel(b, "national-strategy", 1)
	delete(c.Findings, "national-strategy")
	in.Assessments = []*assessment.Assessment{a, b, c}

	high := score.Score(in.Rubric, a, in.Weights, in.Options).Overall
	low := score.Score(in.Rubric, b, in.Weights, in.Options).Overall
	if *high <= *low {
		t.Fatalf("levels 3 and 1 give overalls %v and %v", *high, *low)
	}
	const n = 20000
	m, counts := sampleOveralls(t, in, Config{Samples: n, Seed: 11, Panel: true}, n)
	if len(m.choices) != 1 || m.choices[0].to-m.choices[0].from != 2 {
		t.Fatalf("choices %+v: want one criterion drawn between two members", m.choices)
	}
	if len(counts) != 2 {
		t.Fatalf("overalls drawn: %v, want two values", counts)
	}
	for v, got := range counts {
		if math.Abs(v-*high) > 1e-9 && math.Abs(v-*low) > 1e-9 {
			t.Errorf("overall %v is neither assessor's (%v, %v)", v, *high, *low)
		}
		// Binomial standard error at n=20000 is 0.0035: 0.02 is over 5 of them.
		if share := float64(got) / n; math.Abs(share-0.5) > 0.02 {
			t.Errorf("overall %v drawn %.4f of the time, want 0.5", v, share)
		}
	}

	// The same through Run: the consensus (median of 3 and 1, the lower)
	// is nominal, and the percentiles are the two assessors' overalls.
	res := runT(t, in, Config{Samples: 4000, Seed: 11, Panel: true})
	if len(res.Assessments) != 1 {
		t.Fatalf("%d assessments, want the panel as one", len(res.Assessments))
	}
	d := res.Assessments[0].Overall
	if math.Abs(d.Nominal-*low) > 1e-9 || math.Abs(d.P05-*low) > 1e-9 || math.Abs(d.P95-*high) > 1e-9 {
		t.Errorf("distribution %+v, want nominal and 5%% at %v, 95%% at %v", d, *low, *high)
	}
	if mid := (*low + *high) / 2; math.Abs(d.Mean-mid) > 0.03*(*high-*low) {
		t.Errorf("mean %v, want about %v", d.Mean, mid)
	}
	p := res.Assessments[0].Panel
	if len(p) != 3 || p[0].Label != "Amara Adler" || p[1].Label != "Second" || p[2].Label != "Third" || *p[1].Overall != *low {
		t.Errorf("panel members %+v", p)
	}
}

// TestUnanimousPanelHasNoSpread: members who credit every criterion alike
// leave nothing to draw; with the weights fixed, every sample is nominal.
func TestUnanimousPanelHasNoSpread(t *testing.T) {
	in := panelFiles(t, "brandt")
	in.Assessments = append(in.Assessments, clone(t, in, in.Assessments[0], "Twin"))
	res := runT(t, in, Config{Samples: 3000, Seed: 5, Panel: true, Criteria: true})
	d := res.Assessments[0].Overall
	want := *score.Score(in.Rubric, in.Assessments[0], in.Weights, in.Options).Overall
	if d.Nominal != want || d.Mean != want || d.P05 != want || d.P95 != want {
		t.Errorf("distribution %+v, want every statistic at %v", d, want)
	}
	m, err := preparePanels(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.choices) != 0 || len(m.perts) != 0 {
		t.Errorf("%d choices and %d confidence steps for a unanimous panel", len(m.choices), len(m.perts))
	}
}

// TestPanelNominalIsConsensus: the nominal overall is the one agree gives
// the consensus, and the fictional panel's draws span its members.
func TestPanelNominalIsConsensus(t *testing.T) {
	in := panelFiles(t, "adler", "brandt", "castel")
	res := runT(t, in, Config{Samples: 3000, Seed: 1, Panel: true})
	results := make([]*score.Result, len(in.Assessments))
	for i, a := range in.Assessments {
		results[i] = score.Score(in.Rubric, a, in.Weights, in.Options)
	}
	ag, err := agree.Analyse(context.Background(), in.Rubric, in.Weights, in.Options, results, agree.Options{Metric: agree.Ordinal})
	if err != nil {
		t.Fatal(err)
	}
	a := res.Assessments[0]
	if got, want := a.Overall.Nominal, *ag.Consensus.Overall; math.Abs(got-want) > 1e-9 {
		t.Errorf("nominal %v, consensus %v", got, want)
	}
	if a.Nominal.Tier == nil || ag.Consensus.Tier == nil || a.Nominal.Tier.ID != ag.Consensus.Tier.ID {
		t.Errorf("tier %v, consensus %v", a.Nominal.Tier, ag.Consensus.Tier)
	}
	if !(a.Overall.P05 < a.Overall.Nominal && a.Overall.Nominal < a.Overall.P95) {
		t.Errorf("no spread around the consensus: %+v", a.Overall)
	}
	if len(a.Panel) != 3 || !strings.HasSuffix(a.Nominal.File, "castel.yaml") || a.Nominal.Source.Label() != "Ruritania 2024" {
		t.Errorf("panel %+v, file %q", a.Panel, a.Nominal.File)
	}
}

// TestPanelWorkersDoNotChangeResults covers the panel draws as the general
// test covers the confidence steps: any number of workers, and replaying
// the streams or keeping the scores, give the same numbers.
func TestPanelWorkersDoNotChangeResults(t *testing.T) {
	in := panelFiles(t, "adler", "brandt", "castel")
	// A second panel makes ranks: Ruritania judged by two of them again
	// under another revision.
	for _, a := range []*assessment.Assessment{clone(t, in, in.Assessments[0], "Dana Dorn"), clone(t, in, in.Assessments[2], "Emil Ek")} {
		a.Revision = "2024-b"
		in.Assessments = append(in.Assessments, a)
	}
	setLevel(in.Assessments[3], "national-strategy", 1)
	in = ladder(in, 50, 47)
	for _, cfg := range []Config{
		{Samples: 3001, Seed: 9, Noise: 0.4, Criteria: true, Panel: true, Sobol: 300},
		{Samples: 2000, Seed: 2, Dirichlet: 20, Panel: true},
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
			t.Errorf("%+v: replayed percentiles differ from kept ones", cfg)
		}
		res := runT(t, in, cfg)
		if len(res.Assessments) != 2 || res.Assessments[0].Rank == nil || len(res.Assessments[1].Panel) != 2 {
			t.Errorf("want two panels ranked: %+v", res.Assessments)
		}
	}
}

func TestPanelsRefuseLoneAssessments(t *testing.T) {
	in := panelFiles(t, "adler", "brandt", "castel")
	lone := clone(t, in, in.Assessments[0], "Solo")
	lone.Revision = "2025"
	for _, tt := range []struct {
		name string
		as   []*assessment.Assessment
		want string
	}{
		{"one file", in.Assessments[:1], "adler.yaml: no other assessment of RUR revision \"2024\" is given"},
		{"a panel and a lone file", append(in.Assessments[:3:3], lone), "adler-Solo.yaml: no other assessment of RUR revision \"2025\""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), Input{Rubric: in.Rubric, Assessments: tt.as, Weights: in.Weights}, Config{Samples: 10, Panel: true})
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Count(err.Error(), "\n") != 0 {
				t.Errorf("error %v, want one line containing %q", err, tt.want)
			}
		})
	}
	if err := (Config{Samples: 1, Levels: true, Panel: true}).Check(); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("levels by confidence and from a panel at once: %v", err)
	}
	var c Config
	for _, mode := range []string{LevelsPanel, LevelsConfidence, LevelsFixed} {
		if err := c.SetLevelMode(mode); err != nil || c.LevelMode() != mode {
			t.Errorf("mode %s: %v, reads back %s", mode, err, c.LevelMode())
		}
	}
	if err := c.SetLevelMode("assessors"); err == nil {
		t.Error("an unknown mode was accepted")
	}
}

// TestPickIsUniform checks the draw among n members for a few sizes,
// including one past the 8-bit path.
func TestPickIsUniform(t *testing.T) {
	in := panelFiles(t, "adler", "brandt")
	m, err := preparePanels(in)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Samples: 1, Panel: true}
	k := newWorker(m, &cfg)
	k.seed(streamMonteCarlo, 0)
	for _, n := range []int{2, 3, 5, 7, 300} {
		const draws = 300000
		counts := make([]int, n)
		for range draws {
			counts[k.pick(n)]++
		}
		want := float64(draws) / float64(n)
		for v, c := range counts {
			// Six standard errors of a binomial count.
			if math.Abs(float64(c)-want) > 6*math.Sqrt(want) {
				t.Errorf("n=%d: %d drawn %d times, want about %.0f", n, v, c, want)
			}
		}
	}
}
