package cli

import (
	"io"

	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/score"
	"github.com/spf13/cobra"
)

type reportOptions struct {
	paths []string
}

func (a *app) newReportCmd(runF func(*reportOptions) error) *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report [FILE|DIR...]",
		Short: "Write one self-contained HTML report",
		Long: `Write one HTML file that holds everything about the assessments (no
argument: the bundled ones): overall score and tier of each, a radar chart
of the seven pillars with one outline per assessment, a bar chart of what
each pillar adds to the overall, a comparison table with differences, every
pillar's criteria with level, descriptor, rationale and the claims with
numbered citations, the bibliography, and the effective weights with the
layer that set each.

The file has inline styles and inline SVG charts and no script; it makes no
network request, so it opens offline, and it prints to PDF. Everything taken
from the input files is escaped, and only http and https source addresses
become links.`,
		Example: `  capscore report --output report.html
  capscore report assessments/japan/ --profile defence-first -o japan.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if runF != nil {
				return runF(opts)
			}
			return a.runReport(cmd, opts)
		},
	}
	return cmd
}

func (a *app) runReport(cmd *cobra.Command, opts *reportOptions) error {
	opt, err := a.options()
	if err != nil {
		return err
	}
	r, err := a.loadRubric()
	if err != nil {
		return err
	}
	w, err := a.resolveWeights(r)
	if err != nil {
		return err
	}
	as, err := a.loadAssessments(cmd.Context(), opts.paths, r)
	if err != nil {
		return err
	}
	opt = opt.Resolve(r)
	results := make([]*score.Result, len(as))
	for i, x := range as {
		results[i] = score.Score(r, x, w, opt)
		for _, msg := range results[i].Warnings {
			a.warn(warning(x.File, msg))
		}
	}
	return a.withOutput(func(out io.Writer) error {
		return report.WriteHTML(out, report.HTMLReport{
			Rubric: r, Aggregation: opt.Aggregation, Missing: opt.Missing, Profile: a.globals.profile, Weights: w, Results: results,
		})
	})
}
