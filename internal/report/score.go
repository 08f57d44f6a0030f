package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Scores is what `capscore score` prints.
type Scores struct {
	Rubric      *rubric.Rubric
	Aggregation rubric.Aggregation
	Profile     string
	Results     []*score.Result
	Detail      bool
	// Weights are the weights in force and Layers what else shaped the
	// numbers; the header, JSON and CSV name them.
	Weights *weights.Set
	Layers  textfmt.Layers
}

// WriteScores renders scores in format f.
func WriteScores(w io.Writer, f Format, s Scores) error {
	switch f {
	case JSON, CSV:
		return streamScores(w, f, s)
	case Markdown:
		return scoresText(w, s, true)
	default:
		return scoresText(w, s, false)
	}
}

type scoresDoc struct {
	Rubric      rubricRef `json:"rubric"`
	Aggregation string    `json:"aggregation"`
	Profile     string    `json:"profile"`
	layersJSON
	Assessments []*score.Result `json:"assessments"`
}

type rubricRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// streamScores writes s through a ScoresStream.
func streamScores(w io.Writer, f Format, s Scores) error {
	st := NewScoresStream(w, f, s)
	for _, res := range s.Results {
		if err := st.Add(res); err != nil {
			return err
		}
	}
	return st.Close()
}

// heading names a result; text makes each part from input safe for the
// format (textsafe.Clean or textsafe.MarkdownText).
func heading(res *score.Result, text func(string) string) string {
	return fmt.Sprintf("%s %s (%s), as of %s — %s", text(res.Country), text(res.Revision), text(res.Code), res.AsOf, text(res.File))
}

func tierText(res *score.Result, text func(string) string) string {
	switch {
	case res.Tier == nil && res.Overall == nil:
		return "no tier (no overall score)"
	case res.Tier == nil:
		return "no tier (no pillar pattern of the rubric's tiers is met)"
	}
	return fmt.Sprintf("Tier %s — %s", text(res.Tier.ID), text(res.Tier.Label))
}

func scoresText(w io.Writer, s Scores, md bool) error {
	r := s.Rubric
	mk := newTable
	if md {
		mk = newMarkdownTable
	}
	text := textsafe.For(md)
	writeLayersHeader(s.Layers, w, md, r, []textfmt.LabelledWeights{{Weights: s.Weights}})
	for i, res := range s.Results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if md {
			fmt.Fprintf(w, "## %s\n\n", heading(res, text))
		} else {
			fmt.Fprintln(w, heading(res, text))
		}
		t := mk(w, []string{"Pillar", "Weight", "Score", "Level", "Contribution"}, 1, 2, 4)
		for _, p := range res.Pillars {
			if err := t.Append([]string{textsafe.Clean(p.Title), textfmt.Pct(p.Weight), textfmt.Num1(p.Score), textfmt.LevelText(r, p.Score), textfmt.Num1(p.Contribution)}); err != nil {
				return err
			}
			if !s.Detail {
				continue
			}
			for _, c := range p.Criteria {
				if err := t.Append([]string{"· " + c.ID, textfmt.Pct(c.Weight), textfmt.Num1(c.Score), textfmt.CriterionLevel(r, c), textfmt.Num1(c.Contribution)}); err != nil {
					return err
				}
			}
		}
		t.Footer([]string{"Overall", "", textfmt.Num1(res.Overall), textfmt.LevelText(r, res.Overall), textfmt.Num1(res.Overall)})
		if err := t.Render(); err != nil {
			return err
		}
		if md {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\nCoverage %s · %s aggregation\n", tierText(res, text), textfmt.Pct(res.Coverage), s.Aggregation)
	}
	if len(s.Results) > 1 {
		fmt.Fprintln(w)
		if md {
			fmt.Fprint(w, "## Ranking\n\n")
		} else {
			fmt.Fprintln(w, "Ranking")
		}
		t := mk(w, []string{"Rank", "Assessment", "Overall", "Tier"}, 0, 2)
		for i, res := range score.Ranked(s.Results) {
			tier := textfmt.NoTier
			if res.Tier != nil {
				tier = textsafe.Clean(res.Tier.ID)
			}
			if err := t.Append([]string{strconv.Itoa(i + 1), textsafe.Clean(res.Country + " " + res.Revision), textfmt.Num1(res.Overall), tier}); err != nil {
				return err
			}
		}
		return t.Render()
	}
	return nil
}

// csvResult writes the rows of one result: one a pillar (and with
// Detail one a criterion), then the overall score.
func (st *ScoresStream) csvResult(res *score.Result) error {
	s := st.s
	tier := textfmt.TierID(res.Tier)
	row := func(pillar, crit string, weight float64, stated, level *int, sc, contrib *float64, origin string) error {
		return st.csv.Write(append([]string{res.File, res.Country, res.Code, res.Revision, res.AsOf, pillar, crit,
			strconv.FormatFloat(weight, 'g', -1, 64), intText(stated), intText(level), textfmt.Full(sc), textfmt.Full(contrib), tier},
			layersCSVCells(s.Layers, st.wt, origin)...)...)
	}
	for pi, p := range res.Pillars {
		if err := row(p.ID, "", p.Weight, nil, nil, p.Score, p.Contribution, originOf(s.Weights, pi, -1)); err != nil {
			return err
		}
		if !s.Detail {
			continue
		}
		for ci, cr := range p.Criteria {
			if err := row(p.ID, cr.ID, cr.Weight, cr.StatedLevel, cr.Level, cr.Score, cr.Contribution, originOf(s.Weights, pi, ci)); err != nil {
				return err
			}
		}
	}
	return row("overall", "", 1, nil, nil, res.Overall, res.Overall, "")
}

func intText(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// originOf is where the weight of pillar p (criterion c, -1 for the
// pillar) was set; "" when the weights are not known.
func originOf(w *weights.Set, p, c int) string {
	switch {
	case w == nil:
		return ""
	case c < 0:
		return w.PillarOrigin[p].String()
	}
	return w.CriterionOrigin[p][c].String()
}
