package cli

import (
	"fmt"
	"io"

	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/report"
	"github.com/spf13/cobra"
)

type auditOptions struct {
	paths []string
	opt   audit.Options
}

func (a *app) newAuditCmd(runF func(*auditOptions) error) *cobra.Command {
	opts := &auditOptions{opt: audit.Defaults}
	cmd := &cobra.Command{
		Use:   "audit [FILE|DIR...]",
		Short: "Check the health of the evidence behind each finding",
		Long: `Audit the evidence of assessments (no argument: the bundled ones). Per
assessment and per finding: the age of the newest source at as_of, distinct
sources and distinct publishers; findings whose level rests on a single
publisher; claims whose sources are all older than --stale years; facts older
than their criterion allows (the rubric's measure.max_age, else --stale);
sources that support more than --concentration findings; sources never
cited; and a one-line summary.

A source dated by a year or a month counts from its last day, and an as_of
given so from its first, so no age is overstated. Publishers are compared as written, case and spacing folded; a
source without one counts by the host of its address, else as its own
publisher. A finding rests on a single publisher when its level is above the
scale's minimum and every source it cites (its claims', and its fact's for a
measured criterion) comes from one publisher.`,
		Example: `  capscore audit
  capscore audit assessments/japan/2025.yaml --stale 2
  capscore audit my-assessments/ --format csv -o audit.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if opts.opt.Stale < 1 || opts.opt.Stale > 100 {
				return &usageError{fmt.Errorf("--stale %d: give a whole number of years from 1 to 100", opts.opt.Stale)}
			}
			if opts.opt.Concentration < 1 {
				return &usageError{fmt.Errorf("--concentration %d: give a number of findings of 1 or more", opts.opt.Concentration)}
			}
			if runF != nil {
				return runF(opts)
			}
			return a.runAudit(cmd, opts)
		},
	}
	cmd.Flags().IntVar(&opts.opt.Stale, "stale", audit.Defaults.Stale, "`YEARS` a claim's newest source (or a fact without its own max_age) may be old at as_of")
	cmd.Flags().IntVar(&opts.opt.Concentration, "concentration", audit.Defaults.Concentration, "list sources supporting more than `K` findings")
	return takesFormats(cmd, textFormats)
}

func (a *app) runAudit(cmd *cobra.Command, opts *auditOptions) error {
	f, err := a.format(textFormats...)
	if err != nil {
		return err
	}
	r, err := a.loadRubric()
	if err != nil {
		return err
	}
	as, err := a.loadAssessments(cmd.Context(), opts.paths, r)
	if err != nil {
		return err
	}
	doc := report.Audits{Options: opts.opt}
	for _, x := range as {
		doc.Reports = append(doc.Reports, audit.Audit(r, x, opts.opt))
	}
	return a.withOutput(func(w io.Writer) error { return report.WriteAudits(w, f, doc) })
}
