package agree

import (
	"context"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Defaults are the options `capscore agree` uses when none are given; the
// HTML report and the local page measure a panel with them.
var Defaults = Options{Metric: Ordinal, Samples: 10000, Seed: 1}

// Panels finds the panels among results: the results of one country (its
// code, else its name) and one revision, two or more of them, as indices
// into results. Panels are in the order of their first member, members in
// input order. Two files of one revision by the same assessors are refused
// before scoring (assessment.CheckRevisions), so every group found here is
// a panel of different assessors.
func Panels(results []*score.Result) [][]int {
	as := make([]*assessment.Assessment, len(results))
	for i, res := range results {
		if res != nil {
			as[i] = res.Source
		}
	}
	var out [][]int
	for _, g := range assessment.Panels(as) {
		if len(g) >= 2 {
			out = append(out, g)
		}
	}
	return out
}

// Panel is the agreement of one panel found among several results, or why
// it could not be measured.
type Panel struct {
	Members   []int // indices into the results
	Agreement *Agreement
	Err       error
}

// AnalysePanels measures every panel among results with Analyse. A panel
// whose agreement cannot be measured (no criterion with two levels) keeps
// its error, so the other panels and the rest of a report still show; only
// a cancelled ctx stops it.
func AnalysePanels(ctx context.Context, r *rubric.Rubric, w *weights.Set, opt score.Options, results []*score.Result, o Options) ([]Panel, error) {
	var out []Panel
	for _, idx := range Panels(results) {
		group := make([]*score.Result, len(idx))
		for k, i := range idx {
			group[k] = results[i]
		}
		ag, err := Analyse(ctx, r, w, opt, group, o)
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out = append(out, Panel{Members: idx, Agreement: ag, Err: err})
	}
	return out, nil
}

// Extremes are the lowest and highest overall among a panel's results, as
// Analyse finds them (the first of equals); labels name the results. Both
// are nil when no result has an overall.
func Extremes(labels []string, results []*score.Result) (lo, hi *Outcome) {
	for i, res := range results {
		if res.Overall == nil {
			continue
		}
		out := &Outcome{Label: labels[i], Overall: res.Overall, Tier: res.Tier}
		if lo == nil || *res.Overall < *lo.Overall {
			lo = out
		}
		if hi == nil || *res.Overall > *hi.Overall {
			hi = out
		}
	}
	return lo, hi
}
