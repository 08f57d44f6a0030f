package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Agreement is what `capscore agree` prints.
type Agreement struct {
	Rubric  *rubric.Rubric
	Options score.Options // resolved
	Profile string
	Weights *weights.Set
	Config  agree.Options
	Result  *agree.Agreement
	Layers  textfmt.Layers
}

// WriteAgreement renders a panel's agreement in format f.
func WriteAgreement(w io.Writer, f Format, a Agreement) error {
	switch f {
	case JSON:
		return agreeJSON(w, a)
	case CSV:
		return agreeCSV(w, a)
	case Markdown:
		return agreeText(w, a, true)
	default:
		return agreeText(w, a, false)
	}
}

func agreeSpread(c agree.Criterion) string {
	if c.Spread == nil {
		return "—"
	}
	s := strconv.Itoa(*c.Spread)
	if c.Disputed {
		s += " disputed"
	}
	return s
}

// agreeEscape makes text from input files safe for a line outside a
// table: cleaned for the terminal, escaped for Markdown.
func agreeEscape(s string, md bool) string { return textsafe.For(md)(s) }

func agreeText(w io.Writer, a Agreement, md bool) error {
	ag, cfg := a.Result, a.Config
	mk := newTable
	if md {
		mk = newMarkdownTable
	}
	title := func(t string) {
		if md {
			fmt.Fprintf(w, "## %s\n\n", t)
		} else {
			fmt.Fprintln(w, t)
		}
	}
	var who []string
	for _, m := range ag.Members {
		who = append(who, m.Label+" ("+m.File+")")
	}
	fmt.Fprintf(w, "Panel of %d: %s %s (%s), %s\n", len(ag.Members), agreeEscape(ag.Country, md), agreeEscape(ag.Revision, md),
		agreeEscape(ag.Code, md), agreeEscape(strings.Join(who, "; "), md))
	interval := "no bootstrap interval"
	if cfg.Samples > 0 {
		interval = fmt.Sprintf("%g%% interval from %d bootstrap resamples of the criteria, seed %d", 100*agree.Level, cfg.Samples, cfg.Seed)
	}
	fmt.Fprintf(w, "Krippendorff's alpha, %s metric, on %s levels; %s\n", cfg.Metric, textfmt.AgreeLevels(cfg), interval)
	fmt.Fprintf(w, "Rubric %s %s · %s aggregation · missing criteria: %s\n", agreeEscape(a.Rubric.ID, md), agreeEscape(a.Rubric.Version, md), a.Options.Aggregation, a.Options.Missing)
	writeLayersLines(a.Layers, w, textsafe.For(md), a.Rubric, a.Weights)

	title("Agreement")
	t := mk(w, []string{"Scope", "Alpha", "95% interval", "Pairable levels", "Criteria"}, 1, 2, 3, 4)
	row := func(scope string, e *agree.Estimate) error {
		if e == nil {
			return t.Append([]string{scope, "—", "—", "0", "0"})
		}
		return t.Append([]string{scope, textfmt.Alpha(e.Alpha), textfmt.AlphaInterval(e), strconv.Itoa(e.Pairable), strconv.Itoa(e.Units)})
	}
	if err := row("All criteria", &ag.All); err != nil {
		return err
	}
	for _, p := range ag.Pillars {
		if err := row(p.Title, p.Estimate); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if md {
		fmt.Fprintln(w)
	}
	for _, n := range ag.Notes {
		fmt.Fprintf(w, "Note: %s\n", agreeEscape(n, md))
	}
	fmt.Fprintln(w)

	title(fmt.Sprintf("Criteria (a spread of %d levels or more first)", agree.Disputed))
	header := []string{"Criterion", "Pillar"}
	for _, m := range ag.Members {
		header = append(header, m.Label)
	}
	header = append(header, "Spread")
	t = mk(w, header, len(header)-1)
	for _, c := range ag.Criteria {
		cells := []string{c.ID, c.Pillar}
		for _, r := range c.Ratings {
			cells = append(cells, textfmt.Rating(r))
		}
		cells = append(cells, agreeSpread(c))
		if err := t.Append(cells); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if md {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Cells: credited level (stated→credited where the evidence rule lowered it) and confidence; the spread is over %s levels.\n\n", textfmt.AgreeLevels(cfg))

	title("What the disagreement does")
	t = mk(w, []string{"Assessment", "Overall", "Tier"}, 1)
	for _, m := range ag.Members {
		if err := t.Append([]string{m.Label, textfmt.Num1(m.Overall), textfmt.TierID(m.Tier)}); err != nil {
			return err
		}
	}
	for _, o := range []struct {
		name string
		out  *agree.Outcome
	}{{"Lowest", ag.Effect.Min}, {"Highest", ag.Effect.Max}} {
		if o.out == nil {
			continue
		}
		if err := t.Append([]string{o.name + ": " + o.out.Label, textfmt.Num1(o.out.Overall), textfmt.TierID(o.out.Tier)}); err != nil {
			return err
		}
	}
	c := ag.Effect.Consensus
	if err := t.Append([]string{"Consensus (median levels)", textfmt.Num1(c.Overall), textfmt.TierID(c.Tier)}); err != nil {
		return err
	}
	return t.Render()
}

type agreeDoc struct {
	Rubric      rubricRef `json:"rubric"`
	Aggregation string    `json:"aggregation"`
	Missing     string    `json:"missing"`
	Profile     string    `json:"profile"`
	layersJSON
	Parameters agreeParams `json:"parameters"`
	*agree.Agreement
}

type agreeParams struct {
	Metric      string  `json:"metric"`
	Levels      string  `json:"levels"`
	Seed        uint64  `json:"seed"`
	Samples     int     `json:"samples"`
	Confidence  float64 `json:"confidence"`
	Resampling  string  `json:"resampling"`
	Percentiles string  `json:"percentiles"`
	Generator   string  `json:"generator"`
	Disputed    int     `json:"disputed_spread"`
}

func agreeJSON(w io.Writer, a Agreement) error {
	doc := agreeDoc{
		Rubric:      rubricRef{ID: a.Rubric.ID, Version: a.Rubric.Version},
		Aggregation: string(a.Options.Aggregation), Missing: string(a.Options.Missing), Profile: a.Profile,
		layersJSON: layersJSONOf(a.Layers, a.Rubric, a.Weights),
		Parameters: agreeParams{
			Metric: string(a.Config.Metric), Levels: textfmt.AgreeLevels(a.Config), Seed: a.Config.Seed, Samples: a.Config.Samples,
			Confidence: agree.Level, Resampling: "criteria with replacement", Percentiles: "nearest-rank",
			Generator: "PCG (math/rand/v2), stream 0 for all criteria, 1.. for the pillars in rubric order", Disputed: agree.Disputed,
		},
		Agreement: a.Result,
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// agreeCSV writes one long table: a row per section, item, assessor and
// statistic, so a spreadsheet can pivot it any way.
func agreeCSV(w io.Writer, a Agreement) error {
	ag, cfg := a.Result, a.Config
	c := textsafe.NewCSV(w)
	if err := c.Write("section", "id", "pillar", "assessor", "statistic", "value"); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, p := range [][2]string{{"metric", string(cfg.Metric)}, {"levels", textfmt.AgreeLevels(cfg)}, {"seed", strconv.FormatUint(cfg.Seed, 10)},
		{"samples", strconv.Itoa(cfg.Samples)}, {"country", ag.Country}, {"code", ag.Code}, {"revision", ag.Revision}} {
		if err := c.Write("parameters", "", "", "", p[0], p[1]); err != nil {
			return err
		}
	}
	for _, p := range layersRunRows(a.Layers, a.Rubric, a.Weights) {
		if err := c.Write("parameters", "", "", "", p[0], p[1]); err != nil {
			return err
		}
	}
	alpha := func(id, pillar string, e *agree.Estimate, note string) error {
		rows := [][2]string{}
		if e != nil {
			rows = append(rows, [2]string{"alpha", f(e.Alpha)}, [2]string{"pairable", strconv.Itoa(e.Pairable)}, [2]string{"criteria", strconv.Itoa(e.Units)},
				[2]string{"observed_disagreement", f(e.Observed)}, [2]string{"expected_disagreement", f(e.Expected)})
			if iv := e.Interval; iv != nil {
				rows = append(rows, [2]string{"interval_low", f(iv.Low)}, [2]string{"interval_high", f(iv.High)},
					[2]string{"resamples", strconv.Itoa(iv.Resamples)}, [2]string{"skipped", strconv.Itoa(iv.Skipped)})
			}
		}
		if note != "" {
			rows = append(rows, [2]string{"note", note})
		}
		for _, r := range rows {
			if err := c.Write("alpha", id, pillar, "", r[0], r[1]); err != nil {
				return err
			}
		}
		return nil
	}
	allNote := ""
	if ag.All.Uniform {
		allNote = "every level given is the same; alpha is taken as 1"
	}
	if err := alpha("all", "", &ag.All, allNote); err != nil {
		return err
	}
	for _, p := range ag.Pillars {
		if err := alpha(p.ID, p.ID, p.Estimate, p.Note); err != nil {
			return err
		}
	}
	for _, cr := range ag.Criteria {
		for i, r := range cr.Ratings {
			who := ag.Members[i].Label
			for _, st := range [][2]string{{"stated", intText(r.Stated)}, {"credited", intText(r.Credited)}, {"confidence", r.Confidence}} {
				if err := c.Write("criterion", cr.ID, cr.Pillar, who, st[0], st[1]); err != nil {
					return err
				}
			}
		}
		spread := ""
		if cr.Spread != nil {
			spread = strconv.Itoa(*cr.Spread)
		}
		if err := c.Write("criterion", cr.ID, cr.Pillar, "", "spread", spread); err != nil {
			return err
		}
		if err := c.Write("criterion", cr.ID, cr.Pillar, "", "disputed", strconv.FormatBool(cr.Disputed)); err != nil {
			return err
		}
	}
	effect := func(id, who string, overall *float64, tier *score.Tier) error {
		t := ""
		if tier != nil {
			t = tier.ID
		}
		if err := c.Write("effect", id, "", who, "overall", textfmt.Full(overall)); err != nil {
			return err
		}
		return c.Write("effect", id, "", who, "tier", t)
	}
	for _, m := range ag.Members {
		if err := effect("assessment", m.Label, m.Overall, m.Tier); err != nil {
			return err
		}
	}
	for _, o := range []struct {
		id  string
		out *agree.Outcome
	}{{"min", ag.Effect.Min}, {"max", ag.Effect.Max}} {
		if o.out != nil {
			if err := effect(o.id, o.out.Label, o.out.Overall, o.out.Tier); err != nil {
				return err
			}
		}
	}
	cons := ag.Effect.Consensus
	if err := effect("consensus", "", cons.Overall, cons.Tier); err != nil {
		return err
	}
	return c.Flush()
}
