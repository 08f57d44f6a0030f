package cli

import (
	"io"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/explain"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/score"
	"github.com/spf13/cobra"
)

type explainOptions struct {
	id   string
	file string
}

func (a *app) newExplainCmd(runF func(*explainOptions) error) *cobra.Command {
	opts := &explainOptions{}
	cmd := &cobra.Command{
		Use:   "explain CRITERION|PILLAR [FILE]",
		Short: "Show why a criterion or pillar scores what it does",
		Long: `Explain one criterion or pillar of an assessment: the rubric's question and
level descriptors, the level stated and credited (and why it was capped),
the rationale, each claim with the full citation of its sources, the weight
with the layer that set it, and the share of the overall score it carries.
FILE defaults to the most recent bundled assessment.`,
		Example: `  capscore explain national-strategy
  capscore explain offence assessments/japan/2021.yaml
  capscore explain military-cyber-personnel --format json`,
		Args:              args(cobra.RangeArgs(1, 2)),
		ValidArgsFunction: a.completeExplain,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if len(args) > 1 {
				opts.file = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return a.runExplain(cmd, opts)
		},
	}
	return takesFormats(cmd, textFormats)
}

func (a *app) runExplain(cmd *cobra.Command, opts *explainOptions) error {
	f, err := a.format(textFormats...)
	if err != nil {
		return err
	}
	sc, err := a.prepare()
	if err != nil {
		return err
	}
	r, w, opt := sc.rubric, sc.w, sc.opt
	if _, ok := r.Lookup(opts.id); !ok {
		return usagef("%q is neither a pillar nor a criterion of rubric %s%s", opts.id, r.ID, diag.DidYouMean(opts.id, r.IDs()))
	}
	var paths []string
	if opts.file != "" {
		paths = []string{opts.file}
	}
	as, err := a.loadAssessments(cmd.Context(), paths, r)
	if err != nil {
		return err
	}
	target := as[0]
	for _, x := range as[1:] {
		if x.AsOf.Compare(target.AsOf) > 0 {
			target = x
		}
	}
	res := score.Score(r, target, w, opt)
	ex, err := explain.Build(r, target, w, res, opts.id)
	if err != nil {
		return err
	}
	return a.withOutput(func(out io.Writer) error {
		return report.WriteExplanation(out, f, ex, report.ExplainLayers{Layers: a.layers(), Rubric: r, Weights: w})
	})
}
