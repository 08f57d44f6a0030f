package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/sensitivity"
	"github.com/capscore/capscore/internal/weights"
	"github.com/olekukonko/tablewriter"
)

// Sensitivity is what `capscore sensitivity` prints, with everything
// needed to replay the run.
type Sensitivity struct {
	Rubric       *rubric.Rubric
	RubricFile   string
	RubricSHA256 string
	Inputs       []textfmt.InputFile
	Options      score.Options // resolved
	Profile      string
	Weights      *weights.Set
	Config       sensitivity.Config
	Result       *sensitivity.Result
	Layers       textfmt.Layers
}

// sensRankColumns is how many assessments can be compared rank by rank in a
// table; beyond it the table shows the nominal rank's probability only.
const sensRankColumns = 8

// WriteSensitivity renders a sensitivity run in format f.
func WriteSensitivity(w io.Writer, f Format, s Sensitivity) error {
	switch f {
	case JSON:
		return sensitivityJSON(w, s)
	case CSV:
		return sensitivityCSV(w, s)
	case Markdown:
		return sensitivityText(w, s, true)
	default:
		return sensitivityText(w, s, false)
	}
}

// noiseText describes what was perturbed and how.
func sensNoise(s Sensitivity) string {
	c := s.Config
	what := "pillar weights"
	if c.Criteria {
		what = "pillar and criterion weights"
	}
	how := fmt.Sprintf("±%s uniform", strconv.FormatFloat(100*c.Noise, 'f', -1, 64)+"%")
	if c.Dirichlet > 0 {
		how = "Dirichlet, concentration " + strconv.FormatFloat(c.Dirichlet, 'g', -1, 64)
	}
	levels := "levels fixed"
	switch {
	case c.Panel:
		levels = "levels drawn from the panel"
	case c.Levels:
		levels = "levels moved by confidence"
	}
	return fmt.Sprintf("%s %s, %s", what, how, levels)
}

func sensLabel(a *sensitivity.Assessment) string {
	return textsafe.Clean(a.Nominal.Source.Label())
}

func sensIndex(v *float64) string {
	if v == nil {
		return "—"
	}
	s := strconv.FormatFloat(*v, 'f', 2, 64)
	if s == "-0.00" {
		// A small negative estimate of an index that is 0 in truth.
		return "0.00"
	}
	return s
}

func sensTier(t *score.Tier) string {
	if t == nil {
		return "none"
	}
	return textsafe.Clean(t.ID)
}

func sensFactor(k float64) string { return "×" + strconv.FormatFloat(k, 'f', 2, 64) }

func sensTierChanges(p sensitivity.Pillar) string {
	var parts []string
	if c := p.TierDown; c != nil {
		parts = append(parts, fmt.Sprintf("↓ %s → %s", sensFactor(c.Factor), sensTier(c.Tier)))
	}
	if c := p.TierUp; c != nil {
		parts = append(parts, fmt.Sprintf("↑ %s → %s", sensFactor(c.Factor), sensTier(c.Tier)))
	}
	if parts == nil {
		return "never"
	}
	return strings.Join(parts, " · ")
}

func sensRankChanges(p sensitivity.Pillar, all []*sensitivity.Assessment) string {
	var parts []string
	one := func(arrow string, c *sensitivity.RankChange) {
		if c == nil {
			return
		}
		other := sensLabel(all[c.Other])
		if c.Gains {
			parts = append(parts, fmt.Sprintf("%s %s passes %s", arrow, sensFactor(c.Factor), other))
		} else {
			parts = append(parts, fmt.Sprintf("%s %s %s passes", arrow, sensFactor(c.Factor), other))
		}
	}
	one("↓", p.RankDown)
	one("↑", p.RankUp)
	if parts == nil {
		return "never"
	}
	return strings.Join(parts, " · ")
}

func sensitivityText(w io.Writer, s Sensitivity, md bool) error {
	res, r := s.Result, s.Rubric
	mk := newTable
	if md {
		mk = newMarkdownTable
	}
	text := textsafe.For(md)
	title := func(t string) {
		if md {
			fmt.Fprintf(w, "## %s\n\n", t)
		} else {
			fmt.Fprintln(w, t)
		}
	}
	fmt.Fprintf(w, "Sensitivity of %d assessment(s): %d samples, seed %d, %s\n", len(res.Assessments), res.Samples, s.Config.Seed, sensNoise(s))
	if s.Config.Panel {
		fmt.Fprintf(w, "Levels: %s\n", sensPanelText(res, text))
	}
	fmt.Fprintf(w, "Rubric %s %s · %s aggregation · missing criteria: %s\n", text(r.ID), text(r.Version), s.Options.Aggregation, s.Options.Missing)
	writeLayersLines(s.Layers, w, text, r, s.Weights)

	title("Overall score")
	noTier := false
	for _, a := range res.Assessments {
		noTier = noTier || a.NoTier > 0
	}
	header := []string{"Assessment", "Nominal", "Mean", "5%", "Median", "95%", "Tier"}
	for _, t := range res.Tiers {
		header = append(header, "P(tier "+textsafe.Clean(t.ID)+")")
	}
	if noTier {
		header = append(header, "P(no tier)")
	}
	right := []int{1, 2, 3, 4, 5}
	for j := 7; j < len(header); j++ {
		right = append(right, j)
	}
	t := mk(w, header, right...)
	for _, a := range res.Assessments {
		d := a.Overall
		row := []string{sensLabel(a), textfmt.Num1(&d.Nominal), textfmt.Num1(&d.Mean), textfmt.Num1(&d.P05), textfmt.Num1(&d.P50), textfmt.Num1(&d.P95), sensTier(a.Nominal.Tier)}
		for _, p := range a.TierProbability {
			row = append(row, textfmt.Pct(p))
		}
		if noTier {
			row = append(row, textfmt.Pct(a.NoTier))
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if err := sensPanelTable(w, res, mk, title); err != nil {
		return err
	}

	if len(res.Assessments) > 1 {
		fmt.Fprintln(w)
		title("Rank (1 = highest overall)")
		n := len(res.Assessments)
		header := []string{"Assessment", "Nominal", "Median", "5–95%"}
		if n <= sensRankColumns {
			for k := 1; k <= n; k++ {
				header = append(header, "P("+strconv.Itoa(k)+")")
			}
		} else {
			header = append(header, "P(nominal)")
		}
		right := []int{1, 2, 3}
		for j := 4; j < len(header); j++ {
			right = append(right, j)
		}
		t := mk(w, header, right...)
		for _, a := range res.Assessments {
			rk := a.Rank
			row := []string{sensLabel(a), strconv.Itoa(rk.Nominal), strconv.Itoa(rk.Median), fmt.Sprintf("%d–%d", rk.P05, rk.P95)}
			if n <= sensRankColumns {
				for k := 1; k <= n; k++ {
					row = append(row, textfmt.Pct(rk.P(k)))
				}
			} else {
				row = append(row, textfmt.Pct(rk.P(rk.Nominal)))
			}
			if err := t.Append(row); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}

	for _, a := range res.Assessments {
		fmt.Fprintln(w)
		title("Pillars of " + heading(a.Nominal, text))
		header := []string{"Pillar", "Weight", "First-order", "Total", "Without: overall", "tier", "Tier changes at"}
		if len(res.Assessments) > 1 {
			header = append(header, "Rank changes at")
		}
		t := mk(w, header, 1, 2, 3, 4)
		for p, pl := range a.Pillars {
			row := []string{textsafe.Clean(r.Pillars[p].Title), textfmt.Pct(pl.Weight), sensIndex(pl.FirstOrder), sensIndex(pl.Total),
				textfmt.Num1(pl.Without.Overall), sensTier(pl.Without.Tier), sensTierChanges(pl)}
			if len(res.Assessments) > 1 {
				row = append(row, sensRankChanges(pl, res.Assessments))
			}
			if err := t.Append(row); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if md {
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "\nFirst-order and total: Sobol indices of each pillar weight on the overall (share of its variance).")
	fmt.Fprintln(w, "Changes at: factor on that pillar's weight, others fixed, nearest to ×1 below (↓) and above (↑).")
	if note := tiersFixed(s).Note; note != "" {
		fmt.Fprintln(w, note)
	}
	return nil
}

// sensPanelText says how a panel run draws levels, naming every panel's
// assessors.
func sensPanelText(res *sensitivity.Result, text func(string) string) string {
	var panels []string
	for _, a := range res.Assessments {
		names := make([]string, len(a.Panel))
		for j, m := range a.Panel {
			names[j] = text(m.Label)
		}
		panels = append(panels, fmt.Sprintf("%d assessors: %s", len(names), strings.Join(names, ", ")))
	}
	if len(panels) == 1 {
		return "drawn from the panel's credited levels per criterion, each assessor's equally likely; nominal: the consensus, at the median level (" + panels[0] + ")"
	}
	for i, a := range res.Assessments {
		panels[i] = sensLabel(a) + ", " + panels[i]
	}
	return "drawn from each panel's credited levels per criterion, each assessor's equally likely; nominal: the consensus, at the median level (" + strings.Join(panels, "; ") + ")"
}

// sensPanelTable lists each panel's members with their own overall and
// tier under the nominal weights, to read beside the drawn distribution.
func sensPanelTable(w io.Writer, res *sensitivity.Result, mk func(io.Writer, []string, ...int) *tablewriter.Table, title func(string)) error {
	several := len(res.Assessments) > 1
	for _, a := range res.Assessments {
		if a.Panel == nil {
			return nil
		}
	}
	fmt.Fprintln(w)
	title("Panel members (each scored on its own, nominal weights)")
	header := []string{"Assessor", "File", "Overall", "Tier"}
	if several {
		header = append([]string{"Panel"}, header...)
	}
	t := mk(w, header, len(header)-2)
	for _, a := range res.Assessments {
		for _, m := range a.Panel {
			row := []string{textsafe.Clean(m.Label), textsafe.Clean(m.File), textfmt.Num1(m.Overall), sensTier(m.Tier)}
			if several {
				row = append([]string{sensLabel(a)}, row...)
			}
			if err := t.Append(row); err != nil {
				return err
			}
		}
	}
	return t.Render()
}

// sensitivityDoc is the JSON document: the parameters first, so a run can
// be replayed, then the results.
type sensitivityDoc struct {
	Parameters sensitivityParams   `json:"parameters"`
	Rubric     sensRubric          `json:"rubric"`
	Inputs     []textfmt.InputFile `json:"inputs"`
	layersJSON
	Tiers       []score.Tier     `json:"tiers"`
	TiersFixed  TiersFixed       `json:"tiers_fixed"`
	Assessments []sensAssessment `json:"assessments"`
}

type sensitivityParams struct {
	Seed        uint64   `json:"seed"`
	Samples     int      `json:"samples"`
	Noise       *float64 `json:"noise"`
	Dirichlet   *float64 `json:"dirichlet"`
	Criteria    bool     `json:"criteria"`
	Levels      string   `json:"levels"` // fixed, confidence or panel
	Sobol       int      `json:"sobol_samples"`
	ChunkSize   int      `json:"chunk_size"`
	Generator   string   `json:"generator"`
	Percentiles string   `json:"percentiles"`
	// WorkersIndependent records that the numbers do not depend on the
	// number of workers that computed them.
	WorkersIndependent bool   `json:"workers_independent"`
	Aggregation        string `json:"aggregation"`
	Missing            string `json:"missing"`
	Profile            string `json:"profile"`
}

type sensRubric struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	File    string `json:"file"`
	SHA256  string `json:"sha256"`
}

type sensWeights struct {
	Pillars  []sensWeight `json:"pillars"`
	Criteria []sensWeight `json:"criteria"`
}

type sensWeight struct {
	ID         string  `json:"id"`
	Pillar     string  `json:"pillar,omitempty"`
	Weight     float64 `json:"weight"`
	Normalised float64 `json:"normalised"`
	Origin     string  `json:"origin"`
}

type sensAssessment struct {
	File     string      `json:"file"`
	Country  string      `json:"country"`
	Code     string      `json:"code"`
	Revision string      `json:"revision"`
	AsOf     string      `json:"as_of"`
	Tier     *score.Tier `json:"tier"`
	*sensitivity.Assessment
}

func sensitivityJSON(w io.Writer, s Sensitivity) error {
	c := s.Config
	p := sensitivityParams{
		Seed: c.Seed, Samples: c.Samples, Criteria: c.Criteria, Levels: c.LevelMode(), Sobol: c.Sobol,
		ChunkSize: sensitivity.ChunkSize, Generator: sensitivity.Generator, Percentiles: "nearest-rank",
		WorkersIndependent: true, Aggregation: string(s.Options.Aggregation), Missing: string(s.Options.Missing), Profile: s.Profile,
	}
	if c.Dirichlet > 0 {
		p.Dirichlet = &c.Dirichlet
	} else {
		p.Noise = &c.Noise
	}
	doc := sensitivityDoc{
		Parameters: p,
		Rubric:     sensRubric{ID: s.Rubric.ID, Version: s.Rubric.Version, File: s.RubricFile, SHA256: s.RubricSHA256},
		Inputs:     s.Inputs,
		layersJSON: layersJSONOf(s.Layers, s.Rubric, s.Weights),
		Tiers:      s.Result.Tiers,
		TiersFixed: tiersFixed(s),
	}
	for _, a := range s.Result.Assessments {
		n := a.Nominal
		doc.Assessments = append(doc.Assessments, sensAssessment{File: n.File, Country: n.Country, Code: n.Code, Revision: n.Revision, AsOf: n.AsOf, Tier: n.Tier, Assessment: a})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// sensWeightsOf lists every weight used, as set and normalised, with the layer
// that set it.
func sensWeightsOf(r *rubric.Rubric, w *weights.Set) sensWeights {
	var d sensWeights
	pw := weights.Normalize(w.Pillar)
	for p, pl := range r.Pillars {
		d.Pillars = append(d.Pillars, sensWeight{ID: pl.ID, Weight: w.Pillar[p], Normalised: pw[p], Origin: w.PillarOrigin[p].String()})
		cw := weights.Normalize(w.Criterion[p])
		for c, cr := range pl.Criteria {
			d.Criteria = append(d.Criteria, sensWeight{ID: cr.ID, Pillar: pl.ID, Weight: w.Criterion[p][c], Normalised: cw[c], Origin: w.CriterionOrigin[p][c].String()})
		}
	}
	return d
}

// sensitivityCSV writes one long table: a row per assessment, pillar and
// statistic, so a spreadsheet can pivot it any way.
func sensitivityCSV(w io.Writer, s Sensitivity) error {
	c := textsafe.NewCSV(w)
	if err := c.Write("file", "country", "revision", "pillar", "statistic", "value", "detail"); err != nil {
		return err
	}
	res := s.Result
	for _, a := range res.Assessments {
		n := a.Nominal
		row := func(pillar, stat, value, detail string) error {
			return c.Write(n.File, n.Country, n.Revision, pillar, stat, value, detail)
		}
		f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
		d := a.Overall
		for _, st := range []struct {
			name string
			v    float64
		}{{"nominal", d.Nominal}, {"mean", d.Mean}, {"p05", d.P05}, {"p50", d.P50}, {"p95", d.P95}} {
			if err := row("", st.name, f(st.v), ""); err != nil {
				return err
			}
		}
		if err := row("", "tier", sensTier(n.Tier), ""); err != nil {
			return err
		}
		for _, lr := range layersRunRows(s.Layers, s.Rubric, s.Weights) {
			if err := row("", lr[0], lr[1], ""); err != nil {
				return err
			}
		}
		for t, p := range a.TierProbability {
			if err := row("", "tier_probability", f(p), res.Tiers[t].ID); err != nil {
				return err
			}
		}
		if err := row("", "tier_probability", f(a.NoTier), "none"); err != nil {
			return err
		}
		for _, m := range a.Panel {
			if err := row("", "panel_member", textfmt.Full(m.Overall), m.Label+" ("+m.File+")"); err != nil {
				return err
			}
		}
		if rk := a.Rank; rk != nil {
			for _, st := range []struct {
				name string
				v    int
			}{{"rank_nominal", rk.Nominal}, {"rank_median", rk.Median}, {"rank_p05", rk.P05}, {"rank_p95", rk.P95}} {
				if err := row("", st.name, strconv.Itoa(st.v), ""); err != nil {
					return err
				}
			}
			for j, p := range rk.Probability {
				if p == 0 {
					continue
				}
				if err := row("", "rank_probability", f(p), strconv.Itoa(rk.From+j)); err != nil {
					return err
				}
			}
		}
		for _, pl := range a.Pillars {
			rows := [][3]string{{"weight", f(pl.Weight), weightOrigin(s, pl.ID)}, {"first_order", textfmt.Full(pl.FirstOrder), ""}, {"total", textfmt.Full(pl.Total), ""},
				{"without_overall", textfmt.Full(pl.Without.Overall), ""}, {"without_tier", sensTier(pl.Without.Tier), ""}}
			for _, tc := range []struct {
				name string
				c    *sensitivity.TierChange
			}{{"tier_down", pl.TierDown}, {"tier_up", pl.TierUp}} {
				if tc.c != nil {
					rows = append(rows, [3]string{tc.name, f(tc.c.Factor), sensTier(tc.c.Tier)})
				}
			}
			for _, rc := range []struct {
				name string
				c    *sensitivity.RankChange
			}{{"rank_down", pl.RankDown}, {"rank_up", pl.RankUp}} {
				if rc.c != nil {
					verb := "passed by "
					if rc.c.Gains {
						verb = "passes "
					}
					rows = append(rows, [3]string{rc.name, f(rc.c.Factor), verb + res.Assessments[rc.c.Other].Nominal.File})
				}
			}
			for _, r := range rows {
				if err := row(pl.ID, r[0], r[1], r[2]); err != nil {
					return err
				}
			}
		}
	}
	return c.Flush()
}

// weightOrigin is where the weight of pillar id was set.
func weightOrigin(s Sensitivity, id string) string {
	if s.Weights == nil {
		return ""
	}
	for p, pl := range s.Rubric.Pillars {
		if pl.ID == id {
			return s.Weights.PillarOrigin[p].String()
		}
	}
	return ""
}

// TiersFixed says which weights cannot change the tier of any assessment
// of a run, levels fixed as credited: true is proven, false means they
// may. Note explains it when pillar weights cannot, which is when every
// "Tier changes at" reads never.
type TiersFixed struct {
	PillarWeights    bool   `json:"pillar_weights"`
	CriterionWeights bool   `json:"criterion_weights"`
	Note             string `json:"note,omitempty"`
}

// tiersFixed works out TiersFixed. The weight sets it covers are those a
// run can reach from the nominal ones: a weight of 0 stays 0, any other
// may take any value from 0 up, as long as every pillar scored stays
// scored and the overall exists. Every tier condition (overall_at_least,
// every_pillar_at_least, pillars_at_least) that holds for some overall and
// pillar scores holds for higher ones, so the first tier that holds only
// rises with the scores. Pillar weights move an overall between its lowest
// and highest pillar score and leave pillar scores alone; criterion
// weights move each pillar score between its lowest and highest counted
// criterion score. The tier is therefore the same under every such weight
// set exactly when it is the same at both ends, which the engine scores:
// all weight on the lowest (highest) pillar and, for criterion weights, on
// the lowest (highest) criterion of each pillar.
func tiersFixed(s Sensitivity) TiersFixed {
	r := s.Rubric
	out := TiersFixed{PillarWeights: true, CriterionWeights: true}
	for _, a := range s.Result.Assessments {
		res := a.Nominal
		for _, criteria := range []bool{false, true} {
			lo, hi := tierEnds(r, s.Weights, s.Options, res, criteria)
			if tierKey(lo) != tierKey(hi) {
				if criteria {
					out.CriterionWeights = false
				} else {
					out.PillarWeights = false
				}
			}
		}
	}
	if !out.PillarWeights {
		return out
	}
	overall := false
	for _, t := range r.Tiers {
		overall = overall || t.OverallAtLeast != nil
	}
	why := "pillar weights move each overall only between its lowest and highest pillar score, and no overall_at_least changes a tier within that range"
	if !overall {
		why = "no tier uses overall_at_least, and pillar weights do not move the pillar scores that every_pillar_at_least and pillars_at_least read"
	}
	out.Note = `Tiers: no pillar weight can change the tier of these assessments, so every "Tier changes at" reads never: ` + why + "."
	if s.Config.Criteria {
		if out.CriterionWeights {
			out.Note += " Nor can criterion weights: each assessment has the same tier at the lowest and highest scores its criteria allow."
		} else {
			out.Note += " Criterion weights, sampled here, move pillar scores and may change tiers."
		}
	}
	if s.Config.Levels {
		out.Note += " Levels, moved here, change the scores themselves and may change tiers."
	}
	return out
}

func tierKey(t *score.Tier) string {
	if t == nil {
		return "\x00none"
	}
	return t.ID
}

// tierEnds scores one result's credited levels at the lowest and highest
// ends of what weights can do to it, and returns the two tiers.
func tierEnds(r *rubric.Rubric, w *weights.Set, opt score.Options, res *score.Result, criteria bool) (lo, hi *score.Tier) {
	ev := &score.Evaluation{Scores: make([][]float64, len(res.Pillars)), Has: make([][]bool, len(res.Pillars)), Criteria: make([][]score.Criterion, len(res.Pillars))}
	for p, pl := range res.Pillars {
		ev.Scores[p] = make([]float64, len(pl.Criteria))
		ev.Has[p] = make([]bool, len(pl.Criteria))
		ev.Criteria[p] = append([]score.Criterion(nil), pl.Criteria...)
		for c, cr := range pl.Criteria {
			// A criterion without a credited level may still carry a score
			// of 0 when missing criteria count as 0; the engine adds it.
			if cr.Level != nil && cr.Score != nil {
				ev.Scores[p][c], ev.Has[p][c] = *cr.Score, true
			}
		}
	}
	end := func(better func(x, y float64) bool) *score.Tier {
		set := w.Clone()
		best, bestScore := -1, 0.0
		for p, pl := range res.Pillars {
			if pl.Score == nil {
				continue
			}
			v := *pl.Score
			if criteria {
				k := -1
				for c, cr := range pl.Criteria {
					if cr.Counted && cr.Score != nil && w.Criterion[p][c] > 0 && (k < 0 || better(*cr.Score, v)) {
						k, v = c, *cr.Score
					}
				}
				if k >= 0 { // always, for a scored pillar
					for c := range set.Criterion[p] {
						set.Criterion[p][c] = 0
					}
					set.Criterion[p][k] = 1
				}
			}
			if w.Pillar[p] > 0 && (best < 0 || better(v, bestScore)) {
				best, bestScore = p, v
			}
		}
		if best < 0 {
			return res.Tier // no overall under any weights that keep 0 at 0
		}
		for p := range set.Pillar {
			set.Pillar[p] = 0
		}
		set.Pillar[best] = 1
		src := res.Source
		if src == nil {
			src = &assessment.Assessment{} // only names the result
		}
		return score.Aggregate(r, src, ev, set, opt).Tier
	}
	return end(func(x, y float64) bool { return x < y }), end(func(x, y float64) bool { return x > y })
}
