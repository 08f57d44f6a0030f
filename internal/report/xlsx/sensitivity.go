package xlsx

import (
	"io"

	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/sensitivity"
	"github.com/capscore/capscore/internal/weights"
)

// Sensitivity is what `capscore sensitivity --format xlsx` writes, with
// everything needed to replay the run.
type Sensitivity struct {
	Rubric       *rubric.Rubric
	RubricSHA256 string
	Inputs       []textfmt.InputFile
	Options      score.Options // resolved
	Profile      string
	Weights      *weights.Set
	Config       sensitivity.Config
	Result       *sensitivity.Result
	// ConfigFile is the config file read, "" when none.
	ConfigFile string
}

// WriteSensitivity writes a sensitivity run as a workbook: overall
// (nominal, mean and percentiles, tier probabilities and the rank
// summary), ranks (the probability of each rank), pillars (Sobol indices,
// the score without the pillar, break-even factors for tier and rank),
// weights with their origin, inputs with their SHA-256, and run (every
// parameter needed to replay it).
func WriteSensitivity(w io.Writer, s Sensitivity) error {
	res := s.Result
	wb, err := newWorkbook()
	if err != nil {
		return err
	}
	defer wb.close()
	id := []column{wide("file"), col("country"), col("code"), col("revision")}
	overallHeader := concat(id, cols("as_of", "nominal", "mean", "p05", "p50", "p95", "tier"))
	for _, t := range res.Tiers {
		overallHeader = append(overallHeader, col("p_tier_"+t.ID))
	}
	overallHeader = append(overallHeader, cols("p_no_tier", "rank_nominal", "rank_median", "rank_p05", "rank_p95")...)
	var overall, ranks, pillars, wsht, inputs, run *sheet
	for _, sh := range []struct {
		dst    **sheet
		name   string
		header []column
	}{
		{&overall, "overall", overallHeader},
		{&ranks, "ranks", concat(id, cols("rank", "probability"))},
		{&pillars, "pillars", concat(id, []column{col("pillar"), wide("title")}, cols("weight", "first_order", "total", "without_overall", "without_tier",
			"tier_down_factor", "tier_down_tier", "tier_up_factor", "tier_up_tier", "rank_down_factor"), []column{wide("rank_down")},
			[]column{col("rank_up_factor"), wide("rank_up")})},
		{&wsht, "weights", weightsHeader(false)},
		{&inputs, "inputs", []column{wide("file"), wide("sha256")}},
		{&run, "run", []column{col("setting"), wide("value")}},
	} {
		if *sh.dst, err = wb.addSheet(sh.name, sh.header); err != nil {
			return err
		}
	}
	for _, a := range res.Assessments {
		n := a.Nominal
		wb.setAsOf(n.AsOf)
		ids := []any{n.File, n.Country, n.Code, n.Revision}
		d := a.Overall
		tier := ""
		if n.Tier != nil {
			tier = n.Tier.ID
		}
		row := concatAny(ids, []any{n.AsOf, d.Nominal, d.Mean, d.P05, d.P50, d.P95, tier})
		for _, p := range a.TierProbability {
			row = append(row, p)
		}
		row = append(row, a.NoTier)
		if rk := a.Rank; rk != nil {
			row = append(row, rk.Nominal, rk.Median, rk.P05, rk.P95)
			for j, p := range rk.Probability {
				if p == 0 {
					continue
				}
				if err := ranks.add(concatAny(ids, []any{rk.From + j, p})...); err != nil {
					return err
				}
			}
		}
		if err := overall.add(row...); err != nil {
			return err
		}
		for p, pl := range a.Pillars {
			title := ""
			if p < len(s.Rubric.Pillars) {
				title = s.Rubric.Pillars[p].Title
			}
			row := concatAny(ids, []any{pl.ID, title, pl.Weight, pl.FirstOrder, pl.Total, pl.Without.Overall, tierOrNone(pl.Without.Tier)})
			for _, tc := range []*sensitivity.TierChange{pl.TierDown, pl.TierUp} {
				if tc == nil {
					row = append(row, nil, nil)
				} else {
					row = append(row, tc.Factor, tierOrNone(tc.Tier))
				}
			}
			for _, rc := range []*sensitivity.RankChange{pl.RankDown, pl.RankUp} {
				if rc == nil {
					row = append(row, nil, nil)
					continue
				}
				other := textsafe.Clean(res.Assessments[rc.Other].Nominal.Source.Label())
				what := other + " passes"
				if rc.Gains {
					what = "passes " + other
				}
				row = append(row, rc.Factor, what)
			}
			if err := pillars.add(row...); err != nil {
				return err
			}
		}
	}
	if err := addWeights(wsht, s.Rubric, s.Weights, nil); err != nil {
		return err
	}
	for _, in := range s.Inputs {
		if err := inputs.add(in.File, in.SHA256); err != nil {
			return err
		}
	}
	c := s.Config
	settings := [][2]any{{"seed", c.Seed}, {"samples", c.Samples}}
	if c.Dirichlet > 0 {
		settings = append(settings, [2]any{"dirichlet", c.Dirichlet})
	} else {
		settings = append(settings, [2]any{"noise", c.Noise})
	}
	settings = append(settings, [][2]any{
		{"criteria", c.Criteria}, {"levels", c.LevelMode()}, {"sobol_samples", c.Sobol},
		{"chunk_size", sensitivity.ChunkSize}, {"generator", sensitivity.Generator}, {"percentiles", "nearest-rank"},
	}...)
	settings = append(settings, rubricSettings(s.Rubric, s.Options, s.Profile, s.ConfigFile)...)
	settings = append(settings, [2]any{"rubric_sha256", s.RubricSHA256})
	if err := addSettings(run, settings); err != nil {
		return err
	}
	return wb.write(w, "capscore sensitivity")
}

// tierOrNone names a tier, "none" when there is none.
func tierOrNone(t *score.Tier) string {
	if t == nil {
		return "none"
	}
	return t.ID
}

func concatAny(parts ...[]any) []any {
	var out []any
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
