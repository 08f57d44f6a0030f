package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/sensitivity"
	"github.com/capscore/capscore/internal/weights"
)

// sensitivity times the Monte Carlo engine on assessments already in
// memory, and `capscore sensitivity DIR` end to end, with the command's
// defaults but for the number of samples, and with one sample and no Sobol
// indices: the fixed cost of reading, laying out, break-even and report.
func (b *bench) sensitivity(ctx context.Context, as []*assessment.Assessment, w *weights.Set, opt score.Options, samples, reps int) ([]row, error) {
	cfg := sensitivity.Config{Samples: samples, Seed: 1, Noise: 0.25, Sobol: 4096}
	in := sensitivity.Input{Rubric: b.r, Assessments: as, Weights: w, Options: opt}
	var engine, e2e, fixed []timing
	var rss, fixedRSS int64
	for i := 0; i < reps; i++ {
		t, err := clock(func() error {
			_, err := sensitivity.Run(ctx, in, cfg)
			return err
		})
		if err != nil {
			return nil, err
		}
		engine = append(engine, t)
		t, peak, err := child(b.bin, "sensitivity", b.data, "--samples", strconv.Itoa(samples), "--format", "json")
		if err != nil {
			return nil, err
		}
		e2e = append(e2e, t)
		rss = max(rss, peak)
		t, peak, err = child(b.bin, "sensitivity", b.data, "--samples", "1", "--sobol", "0")
		if err != nil {
			return nil, err
		}
		fixed = append(fixed, t)
		fixedRSS = max(fixedRSS, peak)
	}
	return []row{
		{step: fmt.Sprintf("sensitivity.Run, %d samples (in memory, all cores)", samples), t: median(engine)},
		{step: fmt.Sprintf("capscore sensitivity DIR --samples %d --format json (binary)", samples), t: median(e2e), rss: rss, target: "< 10 s"},
		{step: "capscore sensitivity DIR --samples 1 --sobol 0 (binary, fixed cost)", t: median(fixed), perOne: true, rss: fixedRSS, target: "linear in files"},
	}, nil
}
