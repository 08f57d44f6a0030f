package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/yamlread"
	"github.com/spf13/cobra"
)

type validateOptions struct {
	paths []string
}

func (a *app) newValidateCmd(runF func(*validateOptions) error) *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate [FILE|DIR...]",
		Short: "Check rubrics and assessments, report every problem",
		Long: `Check rubrics and assessments and report every problem as
FILE:LINE:COL: message, errors and warnings alike. Assessments are checked
against the rubric among the named files whose id they give, else against
--rubric (default: the bundled rubric). With no argument the bundled files
are checked. Exits 1 when there is any error.`,
		Example: `  capscore validate
  capscore validate rubrics/ assessments/
  capscore validate my-assessment.yaml --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if runF != nil {
				return runF(opts)
			}
			return a.runValidate(opts)
		},
	}
	return takesFormats(cmd, textFormats)
}

func (a *app) runValidate(opts *validateOptions) error {
	f, err := a.format(textFormats...)
	if err != nil {
		return err
	}
	// With no argument: the bundled rubric and assessments.
	paths := opts.paths
	if len(paths) == 0 {
		paths = append([]string{load.DefaultRubric}, bundledAssessments...)
	}
	names, err := load.Expand(paths)
	if err != nil {
		return err
	}
	a.outputs.read(names...)
	inputs, err := load.ReadContext(a.context(), names)
	if err != nil {
		return err
	}
	var all diag.List
	rubrics := map[string]*rubric.Rubric{}
	var asses []load.Input
	for _, in := range inputs {
		switch load.Sniff(in.Data) {
		case load.RubricFile:
			r, ds := rubric.Parse(in.Name, in.Data)
			all = append(all, ds...)
			if r != nil && !ds.HasErrors() {
				rubrics[r.ID] = r
			}
		case load.AssessmentFile:
			asses = append(asses, in)
		default:
			if filepath.Base(in.Name) == "capscore.yaml" {
				continue // a config file in a folder being checked
			}
			// A file that is not YAML text at all says why, with a place.
			rd, root := yamlread.Parse(in.Name, in.Data)
			if rd.Diags.HasErrors() {
				all = append(all, rd.Diags.Errors()...)
				continue
			}
			all.Errorf(rd.Pos(root), "neither a rubric (no top-level pillars) nor an assessment (no top-level findings); is this a capscore file?")
		}
	}
	// The rubric for assessments that name none of the rubrics given is read
	// once, on first need; if it is broken, its problems are reported and the
	// remaining assessments are checked for structure only.
	var fallback *rubric.Rubric
	fallbackRead := false
	var parsed []*assessment.Assessment
	for _, in := range asses {
		if err := a.context().Err(); err != nil {
			return err
		}
		as, ds := assessment.Parse(in.Name, in.Data)
		all = append(all, ds...)
		if as == nil {
			continue
		}
		parsed = append(parsed, as)
		r := rubrics[as.Rubric]
		if r == nil {
			if !fallbackRead {
				fallbackRead = true
				fr, warns, err := load.Rubric(a.globals.rubric)
				var l diag.List
				if errors.As(err, &l) {
					all = append(all, l...)
				} else if err != nil {
					return a.globals.fileError("rubric", err)
				}
				all = append(all, warns...)
				fallback = fr
			}
			r = fallback
		}
		if r != nil {
			vs := assessment.Validate(as, r)
			all = append(all, vs...)
			if !ds.HasErrors() && !vs.HasErrors() {
				// What score would warn about later: findings the evidence
				// rule credits below the level they claim.
				all = append(all, score.Evaluate(r, as).Diagnostics(as.File)...)
			}
		}
	}
	all = append(all, assessment.CheckRevisions(parsed)...)
	all.Sort()
	files := len(inputs)
	if err := a.withOutput(func(w io.Writer) error {
		return report.WriteDiagnostics(w, f, all, files)
	}); err != nil {
		return err
	}
	if n := len(all.Errors()); n > 0 {
		return fmt.Errorf("%d error(s) in %d file(s)", n, files)
	}
	return nil
}
