package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/capscore/capscore/internal/compare"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/olekukonko/tablewriter"
)

// ComparisonOptions choose what a comparison shows beyond its default.
type ComparisonOptions struct {
	// Detail adds each pillar's weight and contribution to the overall to
	// every column in table, Markdown and CSV. JSON always holds them.
	Detail bool
	// Layers are what shaped the numbers, named in every format.
	Layers ComparisonLayers
}

// ComparisonLayers are the layers that shaped a comparison: the config
// file and settings, and each column's weights in column order.
type ComparisonLayers struct {
	textfmt.Layers
	Columns []textfmt.LabelledWeights
}

// columnWeights are one column's weights in force with their origin.
type columnWeights struct {
	Column int `json:"column"`
	sensWeights
}

// WriteComparison renders a comparison in format f with options opt.
func WriteComparison(w io.Writer, f Format, c *compare.Comparison, opt ComparisonOptions) error {
	l := opt.Layers
	switch f {
	case JSON:
		doc := struct {
			*compare.Comparison
			Config   *textfmt.ConfigFile `json:"config"`
			Settings []textfmt.Setting   `json:"settings"`
			Weights  []columnWeights     `json:"weights"`
		}{Comparison: c, Config: l.Config, Settings: settingsOf(l.Layers), Weights: []columnWeights{}}
		for i, col := range l.Columns {
			doc.Weights = append(doc.Weights, columnWeights{Column: i, sensWeights: layersJSONOf(l.Layers, col.Rubric, col.Weights).Weights})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case CSV:
		return compareCSV(w, c, opt)
	}
	return compareText(w, c, f == Markdown, opt)
}

func confidencePair(c compare.ConfidenceChange) string {
	if c.From == c.To {
		return orDash(c.From)
	}
	return orDash(c.From) + " → " + orDash(c.To)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func tierID(c compare.Column) string {
	if c.Tier == nil {
		return textfmt.NoTier
	}
	return textsafe.Clean(c.Tier.ID)
}

func stepTitle(c *compare.Comparison, st compare.Step, text func(string) string) string {
	return text(c.Columns[st.From].Label) + " → " + text(c.Columns[st.To].Label)
}

func claimText(cl compare.Claim, text func(string) string) string {
	return text(cl.Text) + " [" + text(refsText(cl.Sources)) + "]"
}

// refText is a source's id and title, if it has one.
func refText(s compare.SourceRef) string {
	if s.Title == "" {
		return s.ID
	}
	return s.ID + " " + s.Title
}

func refsText(refs []compare.SourceRef) string {
	out := make([]string, len(refs))
	for i, s := range refs {
		out[i] = refText(s)
	}
	return strings.Join(out, "; ")
}

// hasContributions reports whether a column's aggregation gives each
// pillar a contribution to the overall.
func hasContributions(col compare.Column) bool {
	for _, p := range col.Pillars {
		if p.Contribution != nil {
			return true
		}
	}
	return false
}

func compareText(w io.Writer, c *compare.Comparison, md bool, opt ComparisonOptions) error {
	l := opt.Layers
	mk := newTable
	if md {
		mk = newMarkdownTable
	}
	labels := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		labels[i] = textsafe.Clean(col.Label)
	}
	against := "each column against the one before it"
	if c.Against == compare.First {
		against = "each column against the first"
	}
	title := fmt.Sprintf("Comparison of %d columns (Δ: %s; %s aggregation)", len(labels), against, c.Aggregation)
	if md {
		fmt.Fprintf(w, "## %s\n\n", title)
	} else {
		fmt.Fprintf(w, "%s\n", title)
	}
	writeLayersHeader(l.Layers, w, md, nil, l.Columns)

	// One row per pillar; a column per assessment, each after the first
	// followed by its delta.
	// With detail, each column's score (and delta) is followed by the
	// pillar's weight and contribution, and after the first column by the
	// change of the contribution.
	header := []string{"Pillar"}
	for i, l := range labels {
		header = append(header, l)
		if i > 0 {
			header = append(header, "Δ")
		}
		if opt.Detail {
			header = append(header, "Weight", "Contribution")
			if i > 0 {
				header = append(header, "Δ")
			}
		}
	}
	right := make([]int, len(header)-1)
	for i := range right {
		right[i] = i + 1
	}
	t := mk(w, header, right...)
	for p, pl := range c.Columns[0].Pillars {
		row := []string{textsafe.Clean(pl.Title)}
		for i, col := range c.Columns {
			q := col.Pillars[p]
			row = append(row, textfmt.Num1(q.Score))
			if i > 0 {
				row = append(row, textfmt.Signed(c.Steps[i-1].Pillars[p].Change))
			}
			if opt.Detail {
				row = append(row, textfmt.Pct(q.Weight), textfmt.Num1(q.Contribution))
				if i > 0 {
					row = append(row, textfmt.Signed(c.Steps[i-1].Pillars[p].Contribution.Change))
				}
			}
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	overall := []string{"Overall"}
	tier := []string{"Tier"}
	for i, col := range c.Columns {
		overall = append(overall, textfmt.Num1(col.Overall))
		tier = append(tier, tierID(col))
		if i > 0 {
			overall = append(overall, textfmt.Signed(c.Steps[i-1].Overall.Change))
			tier = append(tier, "")
		}
		if opt.Detail {
			contribution := "—"
			if hasContributions(col) {
				contribution = textfmt.Num1(col.Overall)
			}
			overall = append(overall, "", contribution)
			tier = append(tier, "", "")
			if i > 0 {
				change := "—"
				if hasContributions(col) && hasContributions(c.Columns[c.Steps[i-1].From]) {
					change = textfmt.Signed(c.Steps[i-1].Overall.Change)
				}
				overall = append(overall, change)
				tier = append(tier, "")
			}
		}
	}
	if md {
		for _, row := range [][]string{overall, tier} {
			if err := t.Append(row); err != nil {
				return err
			}
		}
	} else {
		foot := make([]string, len(overall))
		for i := range overall {
			foot[i] = overall[i] + "\n" + tier[i]
		}
		t.Footer(foot)
	}
	if err := t.Render(); err != nil {
		return err
	}
	if opt.Detail {
		if md {
			fmt.Fprintln(w)
		}
		legend := "Weight: the pillar's share of the overall; Contribution: its points in the overall, which add up to the overall; the Δ after it is its change."
		if c.Aggregation != "arithmetic" {
			legend = "Weight: the pillar's share of the overall; Contribution: none, since " + c.Aggregation + " aggregation does not add points."
		}
		fmt.Fprintln(w, legend)
	}
	for _, st := range c.Steps {
		if err := compareStep(w, c, st, md, mk); err != nil {
			return err
		}
	}
	return nil
}

func compareStep(w io.Writer, c *compare.Comparison, st compare.Step, md bool, mk func(io.Writer, []string, ...int) *tablewriter.Table) error {
	text := textsafe.For(md)
	title := stepTitle(c, st, text)
	if md {
		fmt.Fprintf(w, "\n### %s\n\n", title)
	} else {
		fmt.Fprintf(w, "\n%s\n", title)
	}
	if at := st.Attribution; at != nil {
		why := ""
		switch {
		case !st.WeightsDiffer:
			why = " (same weights)"
		case len(st.Changes) == 0 && c.Columns[st.From].File == c.Columns[st.To].File:
			why = " (same evidence)"
		}
		// Two decimals, so the parts visibly add up to the total.
		nc := ""
		if at.NotComparable != 0 {
			nc = " + not comparable (counting basis changed) " + textfmt.SignedN(&at.NotComparable, 2)
		}
		// Across rubrics the part at fixed weights holds the rubric's
		// changes as well as the evidence's; the name says so.
		evidence := "evidence"
		if st.Rubrics != nil {
			evidence = "evidence and rubric"
		}
		fmt.Fprintf(w, "Overall %s = %s %s + weights %s%s%s\n", textfmt.SignedN(&at.Total, 2), evidence, textfmt.SignedN(&at.Evidence, 2), textfmt.SignedN(&at.Weights, 2), nc, why)
	}
	if d := st.Rubrics; d != nil {
		fmt.Fprintf(w, "Rubrics differ: %s %s against %s %s", text(d.From.ID), text(d.From.Version), text(d.To.ID), text(d.To.Version))
		for _, n := range d.Notes {
			fmt.Fprintf(w, "; %s", text(n))
		}
		fmt.Fprintln(w)
		if len(d.Criteria) > 0 {
			fmt.Fprintln(w, "Not comparable:")
			for _, ic := range d.Criteria {
				fmt.Fprintf(w, "%s %s: %s\n", bullet(md), text(ic.ID), text(ic.Reason))
			}
		}
	}
	if len(st.Changes) == 0 {
		fmt.Fprintln(w, "No finding changed.")
		return nil
	}
	if md {
		fmt.Fprintln(w)
	}
	t := mk(w, []string{"Criterion", "Stated", "Credited", "Effect", "Confidence"}, 3)
	for _, ch := range st.Changes {
		if err := t.Append([]string{textsafe.Clean(ch.Pillar + "/" + ch.Criterion), textfmt.LevelPair(ch.Stated), textfmt.LevelPair(ch.Credited), textfmt.Signed(ch.Effect), confidencePair(ch.Confidence)}); err != nil {
			return err
		}
	}
	if st.Other != nil {
		other := []string{"other criteria (shares moved)", "", "", textfmt.Signed(st.Other), ""}
		if md {
			if err := t.Append(other); err != nil {
				return err
			}
		} else {
			t.Footer(other)
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, ch := range st.Changes {
		changeDetail(w, ch, md)
	}
	return nil
}

func bullet(md bool) string {
	if md {
		return "-"
	}
	return " "
}

func changeDetail(w io.Writer, ch compare.Change, md bool) {
	text := textsafe.For(md)
	if md {
		fmt.Fprintf(w, "\n**%s** — %s\n\n", text(ch.Criterion), text(ch.Title))
	} else {
		fmt.Fprintf(w, "\n%s — %s\n", text(ch.Criterion), text(ch.Title))
	}
	line := func(format string, args ...any) {
		fmt.Fprintf(w, "%s %s\n", bullet(md), fmt.Sprintf(format, args...))
	}
	line("level %s (credited %s), effect on the overall %s, confidence %s",
		textfmt.LevelPair(ch.Stated), textfmt.LevelPair(ch.Credited), textfmt.Signed(ch.Effect), text(confidencePair(ch.Confidence)))
	if ch.NotComparable != "" {
		line("not comparable: %s", text(ch.NotComparable))
	}
	if ch.Fact != nil {
		line("fact %s: %s → %s", text(ch.Fact.ID), fullOrDash(ch.Fact.From), fullOrDash(ch.Fact.To))
		if b := ch.Fact.Basis; b != nil {
			line("basis: %s → %s", orDash(text(b.From)), orDash(text(b.To)))
		}
		if len(ch.Fact.SourcesAdded) > 0 {
			line("fact sources added: %s", text(refsText(ch.Fact.SourcesAdded)))
		}
		if len(ch.Fact.SourcesRemoved) > 0 {
			line("fact sources removed: %s", text(refsText(ch.Fact.SourcesRemoved)))
		}
	}
	if ch.Note != "" {
		line("change: %s", text(ch.Note))
	}
	if ch.RationaleChanged {
		line("rationale revised")
	}
	for _, cl := range ch.Added {
		line("added: %s", claimText(cl, text))
	}
	for _, cl := range ch.Removed {
		line("removed: %s", claimText(cl, text))
	}
}

func fullOrDash(v *float64) string {
	if v == nil {
		return "—"
	}
	return textfmt.Full(v)
}

// compareCSV writes one long table: a row per pillar (with detail, also its
// weight and contribution), overall, tier and attribution part of every
// step, then a row per changed finding, its measured fact, each source the
// fact cites on one side only, and each claim added or removed.
func compareCSV(w io.Writer, c *compare.Comparison, opt ComparisonOptions) error {
	l := opt.Layers
	out := textsafe.NewCSV(w)
	if err := out.Write("from", "to", "kind", "pillar", "criterion", "from_value", "to_value", "change",
		"stated_from", "stated_to", "confidence_from", "confidence_to", "text", "sources",
		"weights_from", "weights_to", "settings", "config", "config_sha256"); err != nil {
		return err
	}
	colText := func(i int) string {
		if i < len(l.Columns) {
			return textfmt.WeightsText(l.Columns[i].Rubric, l.Columns[i].Weights)
		}
		return ""
	}
	for _, st := range c.Steps {
		from, to := c.Columns[st.From], c.Columns[st.To]
		// The layers of each side: the weight layers, then what the
		// header of every CSV of scores ends with.
		layers := append([]string{colText(st.From)}, layersCSVCells(l.Layers, colText(st.To), "")[1:]...)
		row := func(kind, pillar, crit, fv, tv, change, sf, stt, cf, ct, text, sources string) error {
			return out.Write(append([]string{from.Label, to.Label, kind, pillar, crit, fv, tv, change, sf, stt, cf, ct, text, sources}, layers...)...)
		}
		for _, p := range st.Pillars {
			if err := row("pillar", p.ID, "", textfmt.Full(p.From), textfmt.Full(p.To), textfmt.Full(p.Change), "", "", "", "", "", ""); err != nil {
				return err
			}
			if !opt.Detail {
				continue
			}
			for _, d := range []struct {
				kind string
				compare.Delta
			}{{"pillar-weight", p.Weight}, {"pillar-contribution", p.Contribution}} {
				if err := row(d.kind, p.ID, "", textfmt.Full(d.From), textfmt.Full(d.To), textfmt.Full(d.Change), "", "", "", "", "", ""); err != nil {
					return err
				}
			}
		}
		if err := row("overall", "", "", textfmt.Full(st.Overall.From), textfmt.Full(st.Overall.To), textfmt.Full(st.Overall.Change), "", "", "", "", "", ""); err != nil {
			return err
		}
		tf, tt := textfmt.NoTier, textfmt.NoTier
		if from.Tier != nil {
			tf = from.Tier.ID
		}
		if to.Tier != nil {
			tt = to.Tier.ID
		}
		if err := row("tier", "", "", tf, tt, "", "", "", "", "", "", ""); err != nil {
			return err
		}
		if at := st.Attribution; at != nil {
			for _, part := range []struct {
				kind string
				v    float64
			}{{"attribution-evidence", at.Evidence}, {"attribution-weights", at.Weights}, {"attribution-not-comparable", at.NotComparable}} {
				if part.kind == "attribution-not-comparable" && part.v == 0 {
					continue
				}
				if err := row(part.kind, "", "", "", "", textfmt.Full(&part.v), "", "", "", "", "", ""); err != nil {
					return err
				}
			}
		}
		if st.Other != nil {
			if err := row("other-effect", "", "", "", "", textfmt.Full(st.Other), "", "", "", "", "shares of unchanged findings that moved", ""); err != nil {
				return err
			}
		}
		if d := st.Rubrics; d != nil {
			for _, ic := range d.Criteria {
				if err := row("not-comparable", "", ic.ID, "", "", "", "", "", "", "", ic.Reason, ""); err != nil {
					return err
				}
			}
		}
		for _, ch := range st.Changes {
			if err := row("finding", ch.Pillar, ch.Criterion, intText(ch.Credited.From), intText(ch.Credited.To), textfmt.Full(ch.Effect),
				intText(ch.Stated.From), intText(ch.Stated.To), ch.Confidence.From, ch.Confidence.To, ch.Note, ""); err != nil {
				return err
			}
			if fc := ch.Fact; fc != nil {
				var change *float64
				// A change past the float64 range (facts near its limit)
				// is left blank: the two values stand in their columns.
				if fc.From != nil && fc.To != nil {
					if d := *fc.To - *fc.From; !math.IsInf(d, 0) {
						change = &d
					}
				}
				if err := row("fact", ch.Pillar, ch.Criterion, textfmt.Full(fc.From), textfmt.Full(fc.To), textfmt.Full(change), "", "", "", "", fc.ID, ""); err != nil {
					return err
				}
			}
			if ch.Fact != nil && ch.Fact.Basis.Changed() {
				if err := row("basis-changed", ch.Pillar, ch.Criterion, ch.Fact.Basis.From, ch.Fact.Basis.To, "", "", "", "", "", ch.NotComparable, ""); err != nil {
					return err
				}
			}
			if fc := ch.Fact; fc != nil {
				for _, set := range []struct {
					kind string
					refs []compare.SourceRef
				}{{"fact-source-added", fc.SourcesAdded}, {"fact-source-removed", fc.SourcesRemoved}} {
					for _, s := range set.refs {
						if err := row(set.kind, ch.Pillar, ch.Criterion, "", "", "", "", "", "", "", fc.ID, refText(s)); err != nil {
							return err
						}
					}
				}
			}
			for _, set := range []struct {
				kind   string
				claims []compare.Claim
			}{{"evidence-added", ch.Added}, {"evidence-removed", ch.Removed}} {
				for _, cl := range set.claims {
					refs := make([]string, len(cl.Sources))
					for i, s := range cl.Sources {
						refs[i] = s.ID + " " + s.Title
					}
					if err := row(set.kind, ch.Pillar, ch.Criterion, "", "", "", "", "", "", "", cl.Text, strings.Join(refs, "; ")); err != nil {
						return err
					}
				}
			}
		}
	}
	return out.Flush()
}
