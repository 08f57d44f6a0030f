package cli

import (
	"io"
	"strings"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/report/htmlreport"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/sensitivity"
	"github.com/spf13/cobra"
)

type reportOptions struct {
	paths       []string
	sensitivity bool
	cfg         sensitivity.Config
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
numbered citations, the bibliography, the evidence audit of each (as
` + "`capscore audit`" + ` gives it), and the effective weights with the layer that set
each. When the files include a panel (one country and revision by several
assessors), the report shows its agreement as ` + "`capscore agree`" + ` measures it
by default: alpha with its bootstrap interval, the disputed criteria, and
each assessor's overall and tier beside the consensus's.

The file has inline styles and inline SVG charts and no script; it makes no
network request, so it opens offline, and it prints to PDF. Everything taken
from the input files is escaped, and only http and https source addresses
become links.

With --sensitivity the report adds a Monte Carlo over the weights (as
` + "`capscore sensitivity`" + ` runs it): the 5–95% interval of each overall score and
the probability of each tier.`,
		Example: `  capscore report --output report.html
  capscore report assessments/japan/ --profile defence-first -o japan.html
  capscore report --sensitivity --samples 20000 --seed 7 -o report.html
  capscore report testdata/panel/ -o panel.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if opts.sensitivity {
				if err := opts.cfg.Check(); err != nil {
					return usagef("--%s", strings.ReplaceAll(err.Error(), "\n", "\n--"))
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return a.runReport(cmd, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.sensitivity, "sensitivity", false, "add 5–95% intervals and tier probabilities from a Monte Carlo over the weights")
	f.IntVar(&opts.cfg.Samples, "samples", 10000, "Monte Carlo samples for --sensitivity")
	f.Uint64Var(&opts.cfg.Seed, "seed", 1, "random seed for --sensitivity; the same seed gives the same numbers")
	f.Float64Var(&opts.cfg.Noise, "noise", 0.25, "for --sensitivity, multiply each weight by a uniform factor in [1-noise, 1+noise)")
	return writesOnly(takesOutput(cmd), "writes HTML only")
}

func (a *app) runReport(cmd *cobra.Command, opts *reportOptions) error {
	sc, err := a.prepare()
	if err != nil {
		return err
	}
	r, w, opt := sc.rubric, sc.w, sc.opt
	as, err := a.loadAssessments(cmd.Context(), opts.paths, r)
	if err != nil {
		return err
	}
	rep := htmlreport.Report{Rubric: r, Profile: a.globals.profile, Weights: w, Layers: a.layers()}
	if opts.sensitivity {
		run, err := sensitivity.Run(cmd.Context(), sensitivity.Input{Rubric: r, Assessments: as, Weights: w, Options: opt}, opts.cfg)
		if err != nil {
			return err
		}
		rep.Sensitivity, rep.SensitivityConfig = run, opts.cfg
	}
	opt = opt.Resolve(r)
	rep.Aggregation, rep.Missing = opt.Aggregation, opt.Missing
	results := make([]*score.Result, len(as))
	for i, x := range as {
		results[i] = score.Score(r, x, w, opt)
		a.warn(results[i].Diagnostics())
	}
	rep.Results = results
	// A panel among the inputs (one country and revision by several
	// assessors) is measured as `capscore agree` measures it by default,
	// and every assessment's evidence is audited as `capscore audit` does.
	rep.PanelOptions, rep.AuditOptions = agree.Defaults, audit.Defaults
	if rep.Panels, err = agree.AnalysePanels(cmd.Context(), r, w, opt, results, rep.PanelOptions); err != nil {
		return err
	}
	rep.Audits = htmlreport.AuditAll(r, results, rep.AuditOptions)
	return a.withOutput(func(out io.Writer) error { return htmlreport.Write(out, rep) })
}
