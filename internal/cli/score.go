package cli

import (
	"context"
	"io"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/report"
	"github.com/capscore/capscore/internal/report/xlsx"
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
	return takesFormats(cmd, workbookFormats)
}

func (a *app) runScore(cmd *cobra.Command, opts *scoreOptions) error {
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
	s := report.Scores{Rubric: r, Aggregation: opt.Aggregation, Profile: a.globals.profile, Detail: opts.detail,
		Weights: w, Layers: a.layers()}
	if f == report.JSON || f == report.CSV {
		return a.withOutput(func(out io.Writer) error {
			return a.streamScores(cmd.Context(), out, f, s, opts.paths, opt)
		})
	}
	var book *xlsx.ScoresWorkbook
	if f == report.XLSX {
		book, err = xlsx.NewScoresWorkbook(xlsx.ScoresRun{Rubric: r, Options: opt, Profile: a.globals.profile, Config: a.globals.cfgFile, Weights: w})
		if err != nil {
			return err
		}
		defer book.Close()
	}
	var warns diag.List
	var addErr error
	err = a.eachAssessment(cmd.Context(), opts.paths, r, func(as *assessment.Assessment) {
		res := score.Score(r, as, w, opt)
		warns = append(warns, res.Diagnostics()...)
		if book != nil {
			// Written now, evidence included, and let go.
			if err := book.Add(res); err != nil && addErr == nil {
				addErr = err
			}
			return
		}
		// The tables show no evidence: letting the assessment go keeps
		// memory flat over thousands of files.
		res.Source = nil
		s.Results = append(s.Results, res)
	})
	if err == nil {
		err = addErr
	}
	if err != nil {
		return err
	}
	a.warn(warns)
	return a.withOutput(func(out io.Writer) error {
		if book != nil {
			return book.Write(out)
		}
		return report.WriteScores(out, f, s)
	})
}

// streamScores writes each result to out as soon as it is scored, in
// input order, while later files still load; no result is kept. A failed
// write stops the loading. When a later file fails, what was written
// stays written (standard output) or is thrown away (--output); a JSON
// document is closed only when every file has been scored.
func (a *app) streamScores(ctx context.Context, out io.Writer, f report.Format, s report.Scores, paths []string, opt score.Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st := report.NewScoresStream(out, f, s)
	var warns diag.List
	var writeErr error
	err := a.eachAssessment(ctx, paths, s.Rubric, func(as *assessment.Assessment) {
		if writeErr != nil {
			return
		}
		res := score.Score(s.Rubric, as, s.Weights, opt)
		warns = append(warns, res.Diagnostics()...)
		if writeErr = st.Add(res); writeErr != nil {
			cancel()
		}
	})
	if writeErr != nil {
		return writeErr
	}
	if err != nil {
		return err
	}
	a.warn(warns)
	return st.Close()
}
