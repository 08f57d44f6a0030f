package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/explain"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
)

// ExplainLayers are the layers that shaped an explanation: the config
// file and settings, and the weights in force under the rubric.
type ExplainLayers struct {
	textfmt.Layers
	Rubric  *rubric.Rubric
	Weights *weights.Set
}

// WriteExplanation renders an explanation in format f.
func WriteExplanation(w io.Writer, f Format, ex *explain.Explanation, l ExplainLayers) error {
	switch f {
	case JSON:
		doc := struct {
			*explain.Explanation
			layersJSON
		}{ex, layersJSONOf(l.Layers, l.Rubric, l.Weights)}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case CSV:
		return explainCSV(w, ex, l)
	}
	md := f == Markdown
	if ex.Pillar != nil {
		return explainPillar(w, ex, md, l)
	}
	return explainCriterion(w, ex, md, l)
}

// citation prints a source in full. In Markdown a web address becomes a
// link the renderer makes (textsafe.MarkdownLink); any other is text.
func citation(c explain.Citation, md bool) string {
	// A citation is one line: a tab or line break in a title is a space.
	text := func(s string) string { return textsafe.For(md)(textsafe.OneLine(s)) }
	url := textsafe.OneLine(c.URL)
	if md && c.URL != "" {
		url = textsafe.MarkdownLink(c.URL)
	}
	var b strings.Builder
	id := text(c.ID)
	fmt.Fprintf(&b, "[%s] ", id)
	for _, part := range []string{text(c.Author), text(c.Title), text(c.Publisher), text(c.Date), url} {
		if part == "" {
			continue
		}
		if b.Len() > len(id)+3 {
			// A title that ends in its own punctuation takes no full stop.
			if !strings.ContainsAny(b.String()[b.Len()-1:], ".?!") {
				b.WriteByte('.')
			}
			b.WriteByte(' ')
		}
		b.WriteString(part)
	}
	return b.String()
}

func shareText(v *float64) string {
	if v == nil {
		return "—"
	}
	return textfmt.Pct(*v)
}

func weightText(wt explain.Weight, parent string, text func(string) string) string {
	s := fmt.Sprintf("weight %s (%s of %s, %s of the overall), set by %s",
		strconv.FormatFloat(wt.Relative, 'g', -1, 64), textfmt.Pct(wt.Normalised), parent, textfmt.Pct(wt.OfOverall), text(wt.Origin))
	if wt.Reason != "" {
		s += "; " + text(strings.TrimRight(strings.TrimSpace(wt.Reason), "."))
	}
	return s
}

func levelWord(ex *explain.Explanation, l *int, text func(string) string) string {
	if l == nil {
		return "none"
	}
	for _, s := range ex.Scale {
		if s.Level == *l {
			return fmt.Sprintf("%d (%s)", *l, text(s.Label))
		}
	}
	return strconv.Itoa(*l)
}

// explainHeader prints the title, whose parts the caller has made safe
// for the format, and the assessment it is about.
func explainHeader(w io.Writer, ex *explain.Explanation, title string, md bool, l ExplainLayers) {
	text := textsafe.For(md)
	if md {
		fmt.Fprintf(w, "## %s\n\n", title)
		fmt.Fprintf(w, "*%s %s, as of %s — %s; overall %s, %s*\n\n", text(ex.Country), text(ex.Revision), ex.AsOf, textsafe.MarkdownCode(ex.File), textfmt.Num1(ex.Overall), tierShort(ex, text))
	} else {
		fmt.Fprintln(w, title)
		fmt.Fprintf(w, "%s %s, as of %s — %s; overall %s, %s\n", text(ex.Country), text(ex.Revision), ex.AsOf, text(ex.File), textfmt.Num1(ex.Overall), tierShort(ex, text))
	}
	writeLayersHeader(l.Layers, w, md, l.Rubric, []textfmt.LabelledWeights{{Weights: l.Weights}})
}

func tierShort(ex *explain.Explanation, text func(string) string) string {
	if ex.Tier == nil {
		return textfmt.NoTier
	}
	return "Tier " + text(ex.Tier.ID)
}

func section(w io.Writer, name string, md bool) {
	if md {
		fmt.Fprintf(w, "\n### %s\n\n", name)
	} else {
		fmt.Fprintf(w, "\n%s:\n", name)
	}
}

func explainCriterion(w io.Writer, ex *explain.Explanation, md bool, l ExplainLayers) error {
	c := ex.Criterion
	text := textsafe.For(md)
	explainHeader(w, ex, fmt.Sprintf("%s — %s (pillar %s: %s)", text(c.ID), text(c.Title), text(c.Pillar), text(c.PillarTitle)), md, l)
	if c.Question != "" {
		fmt.Fprintf(w, "Question: %s\n", text(c.Question))
	}
	// A measured criterion's level comes from its fact (validation refuses
	// a stated level that contradicts it), and the evidence rule caps that.
	kind, claimed := "stated", c.StatedLevel
	if c.Measure != nil && c.Measure.Level != nil {
		kind, claimed = "measured", c.Measure.Level
	}
	section(w, "Levels", md)
	for _, l := range c.Levels {
		mark := "  "
		var tags []string
		if l.Stated {
			tags = append(tags, kind)
		}
		if l.Credited {
			mark = "▸ "
			tags = append(tags, "credited")
		}
		tag := ""
		if len(tags) > 0 {
			tag = " ← " + strings.Join(tags, ", ")
		}
		if md {
			fmt.Fprintf(w, "- **%d %s**: %s%s\n", l.Level, textsafe.MarkdownText(l.Label), textsafe.MarkdownText(l.Descriptor), tag)
		} else {
			fmt.Fprintf(w, "%s%d %-14s %s%s\n", mark, l.Level, textsafe.Clean(l.Label), textsafe.Clean(l.Descriptor), tag)
		}
	}
	if c.LevelRule != "" {
		if md {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "Levels met in part: %s\n", textsafe.Clean(c.LevelRule))
	}
	if m := c.Measure; m != nil {
		section(w, "Measure", md)
		if m.Counts != "" {
			fmt.Fprintf(w, "counts: %s\n", textsafe.Clean(m.Counts))
		}
		thr := make([]string, len(m.Thresholds))
		for i, t := range m.Thresholds {
			thr[i] = strconv.FormatFloat(t, 'g', -1, 64)
		}
		if m.Value == nil {
			fmt.Fprintf(w, "fact %s: not given in this assessment (thresholds %s %s)\n", text(m.Fact), strings.Join(thr, ", "), text(m.Unit))
		} else {
			fmt.Fprintf(w, "fact %s = %s %s as of %s, against thresholds %s\n", text(m.Fact), strconv.FormatFloat(*m.Value, 'g', -1, 64), text(m.Unit), m.AsOf, strings.Join(thr, ", "))
			if m.Basis != "" {
				fmt.Fprintf(w, "basis: %s\n", text(m.Basis))
			}
			if m.Note != "" {
				fmt.Fprintf(w, "note: %s\n", text(m.Note))
			}
			for _, s := range m.Sources {
				if md {
					fmt.Fprintf(w, "- %s\n", citation(s, md))
				} else {
					fmt.Fprintf(w, "  %s\n", citation(s, md))
				}
			}
		}
	}
	section(w, "Judgement", md)
	fmt.Fprintf(w, "%s level %s, credited %s", strings.ToUpper(kind[:1])+kind[1:], levelWord(ex, claimed, text), levelWord(ex, c.Level, text))
	if c.Confidence != "" {
		fmt.Fprintf(w, "; confidence %s", text(c.Confidence))
	}
	fmt.Fprintf(w, ".\n%d distinct source(s) cited; the %s level needs %d.", c.SourcesCited, kind, c.RequiredForLvl)
	if c.Capped {
		fmt.Fprintf(w, " Capped: too few sources for the %s level.", kind)
	}
	fmt.Fprintln(w)
	if md {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Score %s; %s.\n", textfmt.Num1(c.Score), weightText(c.Weight, "the pillar", text))
	if md {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Contribution %s points of the overall %s (%s of it).\n", textfmt.Num1(c.Contribution), textfmt.Num1(ex.Overall), shareText(c.Share))
	if c.Rationale != "" {
		section(w, "Rationale", md)
		fmt.Fprintln(w, text(c.Rationale))
	}
	if c.Change != "" {
		section(w, "Change from the previous revision", md)
		fmt.Fprintln(w, text(c.Change))
	}
	section(w, "Evidence", md)
	if len(c.Evidence) == 0 {
		fmt.Fprintln(w, "(no claims)")
	}
	for i, cl := range c.Evidence {
		fmt.Fprintf(w, "%d. %s\n", i+1, text(cl.Claim))
		for _, s := range cl.Sources {
			if md {
				fmt.Fprintf(w, "   - %s\n", citation(s, md))
			} else {
				fmt.Fprintf(w, "     %s\n", citation(s, md))
			}
		}
	}
	return nil
}

func explainPillar(w io.Writer, ex *explain.Explanation, md bool, l ExplainLayers) error {
	p := ex.Pillar
	text := textsafe.For(md)
	explainHeader(w, ex, fmt.Sprintf("%s — %s", text(p.ID), text(p.Title)), md, l)
	if p.Description != "" {
		fmt.Fprintln(w, text(p.Description))
		if md {
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "Score %s; %s.\n", textfmt.Num1(p.Score), weightText(p.Weight, "the pillars", text))
	if md {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Contribution %s points of the overall %s (%s of it).\n\n", textfmt.Num1(p.Contribution), textfmt.Num1(ex.Overall), shareText(p.Share))
	mk := newTable
	if md {
		mk = newMarkdownTable
	}
	t := mk(w, []string{"Criterion", "Weight", "Level", "Confidence", "Score", "Contribution", "Share"}, 1, 4, 5, 6)
	for _, r := range p.Criteria {
		lvl := levelWord(ex, r.Level, textsafe.Clean)
		if r.Capped {
			lvl = fmt.Sprintf("%s→%s (capped)", textfmt.IntOrDash(textfmt.ClaimedLevel(r.StatedLevel, r.MeasuredLevel)), lvl)
		}
		if err := t.Append([]string{r.ID, textfmt.Pct(r.Weight.Normalised), lvl, r.Confidence, textfmt.Num1(r.Score), textfmt.Num1(r.Contribution), shareText(r.Share)}); err != nil {
			return err
		}
	}
	return t.Render()
}

func explainCSV(w io.Writer, ex *explain.Explanation, l ExplainLayers) error {
	c := textsafe.NewCSV(w)
	// The layers' columns but weight_origin, which comes fifth here.
	layers := layersCSVCells(l.Layers, textfmt.WeightsText(l.Rubric, l.Weights), "")[1:]
	if err := c.Write(append([]string{"file", "criterion", "title", "weight", "weight_origin", "stated_level", "level", "confidence", "score", "contribution", "share_of_overall"}, csvColumns[1:]...)...); err != nil {
		return err
	}
	rows := []explain.Row{}
	if ex.Pillar != nil {
		rows = ex.Pillar.Criteria
	} else {
		k := ex.Criterion
		rows = append(rows, explain.Row{ID: k.ID, Title: k.Title, Weight: k.Weight, StatedLevel: k.StatedLevel, Level: k.Level,
			Confidence: k.Confidence, Score: k.Score, Contribution: k.Contribution, Share: k.Share})
	}
	for _, r := range rows {
		if err := c.Write(append([]string{ex.File, r.ID, r.Title, strconv.FormatFloat(r.Weight.Normalised, 'g', -1, 64), r.Weight.Origin,
			intText(r.StatedLevel), intText(r.Level), r.Confidence, textfmt.Full(r.Score), textfmt.Full(r.Contribution), textfmt.Full(r.Share)}, layers...)...); err != nil {
			return err
		}
	}
	return c.Flush()
}
