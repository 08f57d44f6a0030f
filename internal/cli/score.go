package cli

import (
	"io"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/score"
	"github.com/spf13/cobra"
)

type scoreOptions struct {
	paths  []string
	detail bool
}

func (a *app) newScoreCmd(runF func(*scoreOptions) error) *cobra.Command {
	opts := &scoreOptions{}
	cmd := &cobra.Command{
		Use:   "score [FILE|DIR...]",
		Short: "Score assessments (no argument: the bundled ones)",
		Long: `Score assessments against the rubric: a table of the seven pillars with
weight, score, mean level and contribution, the overall score and the tier.
Folders are searched for .yaml files; results keep a deterministic order and
several assessments are ranked. Warnings (capped findings, missing criteria)
go to stderr.`,
		Example: `  capscore score
  capscore score --detail
  capscore score assessments/ --format json
  capscore score --profile defence-first --weight offence=2`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if runF != nil {
				return runF(opts)
			}
			return a.runScore(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.detail, "detail", false, "show every criterion under its pillar")
	return cmd
}

func (a *app) runScore(cmd *cobra.Command, opts *scoreOptions) error {
	f, err := a.format(report.Table, report.Markdown, report.CSV, report.JSON, report.XLSX)
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
	var book *report.ScoresWorkbook
	if f == report.XLSX {
		book, err = report.NewScoresWorkbook(report.ScoresRun{Rubric: r, Options: opt, Profile: a.globals.profile, Config: a.globals.cfgFile, Weights: w})
		if err != nil {
			return err
		}
		defer book.Close()
	}
	var results []*score.Result
	var js report.ScoresJSON
	var warns diag.List
	var encErr error
	err = a.eachAssessment(cmd.Context(), opts.paths, r, func(as *assessment.Assessment) {
		res := score.Score(r, as, w, opt)
		warns = append(warns, res.Diagnostics()...)
		if f == report.JSON {
			// Encoded now, beside the workers still loading, and let go.
			if err := js.Add(res); err != nil && encErr == nil {
				encErr = err
			}
			return
		}
		if book != nil {
			// Written now, evidence included, and let go.
			if err := book.Add(res); err != nil && encErr == nil {
				encErr = err
			}
			return
		}
		// The score printers show no evidence: letting the assessment go
		// keeps memory flat over thousands of files.
		res.Source = nil
		results = append(results, res)
	})
	if err == nil {
		err = encErr
	}
	if err != nil {
		return err
	}
	a.warn(warns)
	s := report.Scores{Rubric: r, Aggregation: opt.Aggregation, Profile: a.globals.profile, Results: results, Detail: opts.detail}
	return a.withOutput(func(out io.Writer) error {
		if book != nil {
			return book.Write(out)
		}
		if f == report.JSON {
			return js.WriteTo(out, s)
		}
		return report.WriteScores(out, f, s)
	})
}
