package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/spf13/cobra"
)

type agreeOptions struct {
	paths     []string
	metric    string
	cfg       agree.Options
	consensus bool
	format    bool // --format was given
}

const agreeLong = `Measure how far a panel agrees: several assessment files of one country
(code) and one revision, each by different assessors and each valid on its
own. Two files of one revision by the same assessors are an error.

It prints Krippendorff's alpha over all criteria and within each pillar,
with the number of pairable levels and a 95% bootstrap interval (the
criteria drawn with replacement, --samples times, seeded by --seed; the
same seed gives the same numbers on any machine). The ordinal metric is the
default (--metric nominal, interval or ratio for the others), on credited
levels (--stated: the levels the assessors wrote). Alpha is 1 for perfect
agreement and 0 for agreement no better than chance; when every level given
is the same, it is taken as 1 and a note says so.

Per criterion it lists each assessor's stated and credited level and
confidence and the spread, criteria on which the assessors differ by two
levels or more first. Then what the disagreement does: each assessment's
overall and tier, the lowest and highest, and the consensus's.

--consensus writes the consensus as one assessment instead (to --output, or
standard output): per criterion the median credited level (of two middle
levels, the lower), the evidence of every assessor (a source id two
assessors used for different sources is renamed), confidence from the
spread (all agree: the lowest given; one level apart: medium at most; two or
more: low), a change note naming every assessor's level, and every assessor
under assessors. compare of an assessor's file against it shows each
difference with that note.`

func (a *app) newAgreeCmd(runF func(*agreeOptions) error) *cobra.Command {
	opts := &agreeOptions{}
	cmd := &cobra.Command{
		Use:   "agree FILE... | DIR",
		Short: "A panel's agreement: Krippendorff's alpha, disputed criteria, a consensus file",
		Long:  agreeLong,
		Example: `  capscore agree testdata/panel/
  capscore agree testdata/panel/ --metric interval --stated --format json
  capscore agree testdata/panel/ --samples 20000 --seed 7
  capscore agree testdata/panel/ --consensus -o consensus.yaml`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			opts.format = cmd.Flags().Changed("format")
			m, err := agree.ParseMetric(opts.metric)
			if err != nil {
				return usagef("--%w", err)
			}
			opts.cfg.Metric = m
			if err := opts.cfg.Check(); err != nil {
				return usagef("--%w", err)
			}
			if opts.consensus && opts.format {
				return usagef("--consensus writes an assessment (YAML); drop --format")
			}
			if runF != nil {
				return runF(opts)
			}
			return a.runAgree(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.metric, "metric", string(agree.Ordinal), "difference metric of alpha: nominal, ordinal, interval or ratio")
	f.BoolVar(&opts.cfg.Stated, "stated", false, "measure agreement on stated levels instead of credited ones")
	f.Uint64Var(&opts.cfg.Seed, "seed", 1, "random seed of the bootstrap; the same seed gives the same numbers")
	f.IntVar(&opts.cfg.Samples, "samples", 10000, "bootstrap resamples (0: no interval)")
	f.BoolVar(&opts.consensus, "consensus", false, "write the panel's consensus assessment instead of the report")
	metrics := make([]string, len(agree.Metrics))
	for i, m := range agree.Metrics {
		metrics[i] = string(m)
	}
	// Fails only for a flag that does not exist.
	_ = cmd.RegisterFlagCompletionFunc("metric", cobra.FixedCompletions(metrics, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) runAgree(ctx context.Context, opts *agreeOptions) error {
	f := report.Table
	if !opts.consensus {
		var err error
		if f, err = a.format(report.Table, report.Markdown, report.CSV, report.JSON); err != nil {
			return err
		}
	}
	sc, err := a.prepare()
	if err != nil {
		return err
	}
	r, w, opt := sc.rubric, sc.w, sc.opt
	as, err := a.loadAssessments(ctx, opts.paths, r)
	if err != nil {
		return err
	}
	results := make([]*score.Result, len(as))
	var warns diag.List
	for i, x := range as {
		results[i] = score.Score(r, x, w, opt)
		warns = append(warns, results[i].Diagnostics()...)
	}
	a.warn(warns)
	ag, err := agree.Analyse(ctx, r, w, opt, results, opts.cfg)
	if err != nil {
		return err
	}
	if opts.consensus {
		return a.writeConsensus(r, ag)
	}
	return a.withOutput(func(out io.Writer) error {
		return report.WriteAgreement(out, f, report.Agreement{
			Rubric: r, Options: opt, Profile: a.globals.profile, Weights: w, Config: opts.cfg, Result: ag,
		})
	})
}

// writeConsensus writes the consensus assessment, after reading it back to
// make sure it is one.
func (a *app) writeConsensus(rb *rubric.Rubric, ag *agree.Agreement) error {
	r := ag.Consensus
	cons := r.Source
	var order []string
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			order = append(order, c.ID)
		}
	}
	data, err := assessment.Marshal(cons, order)
	if err != nil {
		return fmt.Errorf("consensus: %w", err)
	}
	name := "consensus"
	if a.globals.output != "" && a.globals.output != "-" {
		name = a.globals.output
	}
	back, ds := assessment.Parse(name, data)
	if back != nil && !ds.HasErrors() {
		ds = append(ds, assessment.Validate(back, rb)...)
	}
	if ds.HasErrors() {
		return fmt.Errorf("the consensus would not be a valid assessment, so it was not written:\n%w", ds.Errors())
	}
	return a.withOutput(func(out io.Writer) error {
		_, err := out.Write(data)
		return err
	})
}
