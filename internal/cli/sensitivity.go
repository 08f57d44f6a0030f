package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/xlsx"
	"github.com/capscore/capscore/internal/sensitivity"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type sensitivityOptions struct {
	paths []string
	cfg   sensitivity.Config
}

const sensitivityLong = `Ask whether the result survives reasonable disagreement about weights: a
seeded Monte Carlo that perturbs the pillar weights (--criteria: the
criterion weights too) by ±--noise, uniformly and multiplicatively, or draws
them from a Dirichlet distribution around the nominal shares (--dirichlet),
and with --levels moves each judged level by its finding's confidence (high:
fixed; medium: -1 or +1 with probability 1/4 each; low: -1, 0 or +1 equally),
clipped to the scale and credited by the evidence rule, so a step up never
credits more than the cited sources support. Measured levels stay as
measured.

--levels panel takes the inputs as panels instead: several assessments of
one country (code) and revision by different assessors, as capscore agree
reads them. Each panel is one row, at the consensus's levels (the median
credited level, of two middle levels the lower, as agree --consensus
writes it), and each sample draws every criterion's level from the
members' credited levels for it, each member equally likely; a criterion a
member left out is drawn among those who credit it. A file with no fellow
assessors of its revision is an error. Write --levels=panel, or --levels
panel as the next argument; a bare --levels means --levels=confidence.

For each assessment it prints the nominal overall, the mean and the 5th,
50th and 95th percentiles, the probability of each tier, and across several
assessments the probability of each rank with the median and 5–95% rank.
Per pillar: first-order and total Sobol indices of its weight on the overall
(only the pillar weights varying), the overall and tier with the pillar's
weight at 0, and the break-even factors on its weight (others fixed) nearest
to 1 at which the tier, or the order between two assessments, changes,
solved in closed form.

The same seed gives the same numbers on any machine and any number of
cores. --format json records every parameter, the weights with their
origin and the SHA-256 of every input, so a run can be replayed.`

func (a *app) newSensitivityCmd(runF func(*sensitivityOptions) error) *cobra.Command {
	opts := &sensitivityOptions{}
	cmd := &cobra.Command{
		Use:   "sensitivity [FILE|DIR...]",
		Short: "Monte Carlo over weights and levels: tier and rank stability, break-even weights",
		Long:  sensitivityLong,
		Example: `  capscore sensitivity
  capscore sensitivity --samples 100000 --seed 7 --noise 0.5 --criteria
  capscore sensitivity assessments/ --dirichlet 50 --levels --format json -o run.json
  capscore sensitivity testdata/panel/ --levels panel`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = levelsWord(a.args, args, &opts.cfg)
			if cmd.Flags().Changed("noise") && cmd.Flags().Changed("dirichlet") {
				return usagef("--noise and --dirichlet are two ways to perturb weights; give one")
			}
			if err := opts.cfg.Check(); err != nil {
				return usagef("--%s", strings.ReplaceAll(err.Error(), "\n", "\n--"))
			}
			if runF != nil {
				return runF(opts)
			}
			return a.runSensitivity(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.cfg.Samples, "samples", 10000, "Monte Carlo samples")
	f.Uint64Var(&opts.cfg.Seed, "seed", 1, "random seed; the same seed gives the same numbers")
	f.Float64Var(&opts.cfg.Noise, "noise", 0.25, "multiply each weight by a uniform factor in [1-noise, 1+noise)")
	f.Float64Var(&opts.cfg.Dirichlet, "dirichlet", 0, "draw weights from a Dirichlet with this `CONCENTRATION` around the nominal shares instead")
	f.BoolVar(&opts.cfg.Criteria, "criteria", false, "perturb criterion weights as well as pillar weights")
	lv := f.VarPF(levelsValue{&opts.cfg}, "levels", "", "move judged levels by `MODE`: confidence (by each finding's confidence), panel (from a panel's levels per criterion) or fixed")
	lv.NoOptDefVal = sensitivity.LevelsConfidence
	f.IntVar(&opts.cfg.Sobol, "sobol", 4096, "base samples `N` of the Sobol indices (N×(pillars+2) evaluations; 0 skips them)")
	f.IntVar(&opts.cfg.Workers, "workers", 0, "goroutines (0: all cores); never changes the numbers")
	// Fails only for a flag that does not exist.
	_ = cmd.RegisterFlagCompletionFunc("levels", cobra.FixedCompletions(
		[]string{sensitivity.LevelsConfidence, sensitivity.LevelsPanel, sensitivity.LevelsFixed}, cobra.ShellCompDirectiveNoFileComp))
	return takesFormats(cmd, workbookFormats)
}

// levelsValue is --levels: how judged levels move.
type levelsValue struct{ cfg *sensitivity.Config }

func (v levelsValue) String() string {
	if v.cfg == nil {
		return sensitivity.LevelsFixed
	}
	return v.cfg.LevelMode()
}

func (v levelsValue) Set(s string) error { return v.cfg.SetLevelMode(s) }
func (v levelsValue) Type() string       { return "mode" }

// levelsWord reads --levels MODE, the mode as the next argument. A bare
// --levels means confidence, so the flag parser leaves the next argument
// among the paths; when the last --levels on the command line (before any
// --) is bare and followed by a mode's name, that name is the mode and not
// a path. A folder of that name is still ./panel.
func levelsWord(raw, paths []string, cfg *sensitivity.Config) []string {
	word := ""
	for i, arg := range raw {
		if arg == "--" {
			break
		}
		switch {
		case arg == "--levels" && i+1 < len(raw):
			word = raw[i+1]
		case arg == "--levels" || strings.HasPrefix(arg, "--levels="):
			word = ""
		}
	}
	j := slices.Index(paths, word)
	if j < 0 || cfg.SetLevelMode(word) != nil {
		return paths
	}
	return slices.Delete(slices.Clone(paths), j, j+1)
}

func (a *app) runSensitivity(ctx context.Context, opts *sensitivityOptions) error {
	f, err := a.format(workbookFormats...)
	if err != nil {
		return err
	}
	if err := a.needFile(f); err != nil {
		return err
	}
	sc, err := a.prepare()
	if err != nil {
		return err
	}
	r, w, opt := sc.rubric, sc.w, sc.opt
	// Assessments stream through the builder, which keeps only their
	// numbers, so memory does not grow with their evidence.
	// Panels are held whole until every member is in: they are few.
	b := sensitivity.NewBuilder(r, w, opt)
	var addErr error
	var held []*assessment.Assessment
	// Each input is recorded with the SHA-256 of the bytes that were
	// parsed, taken as they were read.
	var files []textfmt.InputFile
	err = a.eachLoaded(ctx, opts.paths, r, func(l load.Loaded) {
		// The name as every other output prints it: controls escaped.
		files = append(files, textfmt.InputFile{File: diag.Name(l.Name), SHA256: l.SHA256})
		x := l.Assessment
		switch {
		case opts.cfg.Panel:
			held = append(held, x)
		case addErr == nil:
			addErr = b.Add(x)
		}
	}, load.WithDigest())
	if err != nil {
		return err
	}
	if addErr != nil {
		return addErr
	}
	if opts.cfg.Panel {
		panels, err := sensitivity.Panels(held)
		if err != nil {
			return fmt.Errorf("--levels panel draws each criterion's level from a panel of assessors:\n%w", err)
		}
		for _, p := range panels {
			if err := b.AddPanel(p); err != nil {
				return err
			}
		}
	}
	cfg := opts.cfg
	bar := newProgress(a.io.Err, isTerminal(a.io.Err), progressDelay)
	cfg.Progress = bar.update
	res, err := b.Run(ctx, cfg)
	bar.finish()
	if err != nil {
		return err
	}
	for _, x := range res.Assessments {
		if x.Panel != nil {
			// The members' warnings, placed in their files.
			for _, mb := range x.Panel {
				a.warn(mb.Diagnostics)
			}
			continue
		}
		a.warn(x.Nominal.Diagnostics())
	}
	resolved := opt.Resolve(r)
	return a.withOutput(func(out io.Writer) error {
		if f == report.XLSX {
			return xlsx.WriteSensitivity(out, xlsx.Sensitivity{
				Rubric: r, RubricSHA256: a.globals.rubricIn.SHA256, Inputs: files, Options: resolved,
				Profile: a.globals.profile, Weights: w, Config: opts.cfg, Result: res, ConfigFile: a.globals.cfgFile,
			})
		}
		return report.WriteSensitivity(out, f, report.Sensitivity{
			Rubric: r, RubricFile: a.globals.rubricIn.Name, RubricSHA256: a.globals.rubricIn.SHA256, Inputs: files,
			Options: resolved, Profile: a.globals.profile, Weights: w, Config: opts.cfg, Result: res, Layers: a.layers(),
		})
	})
}

// isTerminal reports whether w is a terminal, where a progress bar belongs.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressDelay is how long a run goes before it earns a progress bar.
const progressDelay = 500 * time.Millisecond

// progress shows a bar on w once a run has lasted delay, and only when w
// is a terminal. The engine reports from its workers; the bar is drawn
// from one goroutine of its own.
type progress struct {
	done, total atomic.Int64
	stop        chan struct{}
	wg          sync.WaitGroup
}

func newProgress(w io.Writer, tty bool, delay time.Duration) *progress {
	p := &progress{stop: make(chan struct{})}
	if !tty {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		select {
		case <-p.stop:
			return
		case <-time.After(delay):
		}
		bar := progressbar.NewOptions64(max(p.total.Load(), 1),
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("sensitivity"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond))
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			bar.ChangeMax64(max(p.total.Load(), 1))
			_ = bar.Set64(p.done.Load())
			select {
			case <-p.stop:
				_ = bar.Clear()
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

func (p *progress) update(done, total int) {
	p.total.Store(int64(total))
	for {
		old := p.done.Load()
		if int64(done) <= old || p.done.CompareAndSwap(old, int64(done)) {
			return
		}
	}
}

func (p *progress) finish() {
	close(p.stop)
	p.wg.Wait()
}
