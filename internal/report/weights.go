package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/capscore/capscore/internal/ahp"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
	"go.yaml.in/yaml/v3"
)

// Weights is what `capscore weights` prints.
type Weights struct {
	Rubric *rubric.Rubric
	// Profile is the --profile in force, nil when none.
	Profile *ProfileInfo
	// Config is the config file read, "" when none.
	Config  string
	Entries []weights.Effective
}

// ProfileInfo names a profile, why it exists and where it is written.
type ProfileInfo struct {
	Name   string `json:"name"`
	Reason string `json:"reason,omitempty"`
	Source string `json:"source"`
}

// WriteWeights renders effective weights in format f.
func WriteWeights(w io.Writer, f Format, doc Weights) error {
	switch f {
	case JSON:
		return weightsJSON(w, doc)
	case CSV:
		return weightsCSV(w, doc)
	}
	return weightsText(w, doc, f == Markdown)
}

func weightsText(w io.Writer, doc Weights, md bool) error {
	r := doc.Rubric
	text := textsafe.For(md)
	title := fmt.Sprintf("Effective weights — rubric %s %s (%s)", text(r.ID), text(r.Version), text(r.File))
	mk := newTable
	if md {
		mk = newMarkdownTable
		fmt.Fprintf(w, "## %s\n\n", title)
	} else {
		fmt.Fprintln(w, title)
	}
	if p := doc.Profile; p != nil {
		line := fmt.Sprintf("Profile %s (%s)", text(p.Name), text(p.Source))
		if p.Reason != "" {
			line += ": " + text(p.Reason)
		}
		fmt.Fprintln(w, line)
	}
	if doc.Config != "" {
		fmt.Fprintf(w, "Config %s\n", text(doc.Config))
	}
	if md && (doc.Profile != nil || doc.Config != "") {
		fmt.Fprintln(w)
	}
	t := mk(w, []string{"Pillar", "Criterion", "Weight", "Normalised", "Of overall", "Set by"}, 2, 3, 4)
	for _, e := range doc.Entries {
		pillar, crit := e.ID, ""
		if e.Criterion >= 0 {
			pillar, crit = "", e.ID
		}
		if err := t.Append([]string{pillar, crit, textfmt.Exact(e.Relative), textfmt.Pct(e.Normalised), textfmt.Pct(e.OfOverall), textsafe.Clean(e.Origin.String())}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if md {
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Normalised: share among siblings (the pillars, or one pillar's criteria). Of overall: pillar share × criterion share.")
	return nil
}

type weightsDoc struct {
	Rubric  rubricFile    `json:"rubric"`
	Profile *ProfileInfo  `json:"profile"`
	Config  string        `json:"config"`
	Pillars []weightEntry `json:"pillars"`
}

type rubricFile struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	File    string `json:"file"`
}

type weightEntry struct {
	ID         string  `json:"id"`
	Title      string  `json:"title"`
	Relative   float64 `json:"relative"`
	Normalised float64 `json:"normalised"`
	OfOverall  float64 `json:"of_overall"`
	Layer      string  `json:"layer"`
	Origin     string  `json:"origin"`
	// Reason is the rubric's weight_reason, given only while the rubric's
	// own weight is in force.
	Reason   string        `json:"reason,omitempty"`
	Criteria []weightEntry `json:"criteria,omitempty"`
}

func weightsJSON(w io.Writer, doc Weights) error {
	r := doc.Rubric
	out := weightsDoc{Rubric: rubricFile{r.ID, r.Version, r.File}, Profile: doc.Profile, Config: doc.Config, Pillars: []weightEntry{}}
	for _, e := range doc.Entries {
		pl := &r.Pillars[e.Pillar]
		title, reason := pl.Title, pl.WeightReason
		if e.Criterion >= 0 {
			title, reason = pl.Criteria[e.Criterion].Title, pl.Criteria[e.Criterion].WeightReason
		}
		if e.Origin.Layer != weights.Default {
			reason = ""
		}
		we := weightEntry{ID: e.ID, Title: title, Relative: e.Relative, Normalised: e.Normalised, OfOverall: e.OfOverall,
			Layer: string(e.Origin.Layer), Origin: e.Origin.String(), Reason: reason}
		if e.Criterion < 0 {
			out.Pillars = append(out.Pillars, we)
		} else {
			last := &out.Pillars[len(out.Pillars)-1]
			last.Criteria = append(last.Criteria, we)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func weightsCSV(w io.Writer, doc Weights) error {
	c := textsafe.NewCSV(w)
	if err := c.Write("pillar", "criterion", "relative", "normalised", "of_overall", "layer", "origin"); err != nil {
		return err
	}
	for _, e := range doc.Entries {
		pillar, crit := e.ID, ""
		if e.Criterion >= 0 {
			pillar, crit = doc.Rubric.Pillars[e.Pillar].ID, e.ID
		}
		if err := c.Write(pillar, crit, textfmt.Exact(e.Relative), textfmt.Exact(e.Normalised), textfmt.Exact(e.OfOverall),
			string(e.Origin.Layer), e.Origin.String()); err != nil {
			return err
		}
	}
	return c.Flush()
}

// AHP is what `capscore weights ahp` prints.
type AHP struct {
	File string
	// Over is "pillars" or the pillar whose criteria are compared.
	Over   string
	IDs    []string
	Result *ahp.Result
	// Current holds the effective weights of the same items now,
	// normalised among them, to compare with.
	Current []float64
	// Discords are the least consistent judgements, worst first.
	Discords []Discord
}

// Discord is one judgement with what the derived weights imply instead.
type Discord struct {
	Where   string  `json:"where"`
	First   string  `json:"first"`
	Second  string  `json:"second"`
	Judged  float64 `json:"judged"`
	Implied float64 `json:"implied"`
	Factor  float64 `json:"factor"`
}

// WriteAHP renders AHP weights in format f.
func WriteAHP(w io.Writer, f Format, doc AHP) error {
	switch f {
	case JSON:
		return ahpJSON(w, doc)
	case CSV:
		return ahpCSV(w, doc)
	}
	return ahpText(w, doc, f == Markdown)
}

func overText(over string) string {
	if over == ahp.Pillars {
		return "the pillars"
	}
	return "the criteria of " + over
}

func consistencyText(res *ahp.Result) string {
	verdict := "consistent: at most 0.10"
	if !res.Consistent() {
		verdict = "inconsistent: above 0.10"
	}
	return fmt.Sprintf("λmax %.4f · CI %.4f · RI %.2f · CR %.4f (%s)", res.LambdaMax, res.CI, res.RI, res.CR, verdict)
}

func ahpText(w io.Writer, doc AHP, md bool) error {
	text := textsafe.For(md)
	title := fmt.Sprintf("AHP weights over %s from %s", text(overText(doc.Over)), text(doc.File))
	mk := newTable
	if md {
		mk = newMarkdownTable
		fmt.Fprintf(w, "## %s\n\n", title)
	} else {
		fmt.Fprintln(w, title)
	}
	t := mk(w, []string{"Item", "AHP weight", "Current"}, 1, 2)
	for i, id := range doc.IDs {
		if err := t.Append([]string{id, textfmt.Pct(doc.Result.Weights[i]), textfmt.Pct(doc.Current[i])}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if md {
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, consistencyText(doc.Result))
	if len(doc.Discords) > 0 {
		if md {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, "Least consistent judgements (the weights imply another ratio):")
		for _, d := range doc.Discords {
			fmt.Fprintf(w, "%s %s: %s>%s judged %s, implied %s (off by ×%.2f)\n", bullet(md),
				text(d.Where), text(d.First), text(d.Second), ahp.Format(d.Judged), ahp.Format(d.Implied), d.Factor)
		}
	}
	return nil
}

type ahpDoc struct {
	File       string      `json:"file"`
	Over       string      `json:"over"`
	Weights    []ahpWeight `json:"weights"`
	LambdaMax  float64     `json:"lambda_max"`
	CI         float64     `json:"ci"`
	RI         float64     `json:"ri"`
	CR         float64     `json:"cr"`
	Consistent bool        `json:"consistent"`
	Iterations int         `json:"iterations"`
	Discords   []Discord   `json:"least_consistent"`
}

type ahpWeight struct {
	ID      string  `json:"id"`
	Weight  float64 `json:"weight"`
	Current float64 `json:"current"`
}

func ahpJSON(w io.Writer, doc AHP) error {
	res := doc.Result
	out := ahpDoc{File: doc.File, Over: doc.Over, LambdaMax: res.LambdaMax, CI: res.CI, RI: res.RI, CR: res.CR,
		Consistent: res.Consistent(), Iterations: res.Iterations, Discords: append([]Discord{}, doc.Discords...)}
	for i, id := range doc.IDs {
		out.Weights = append(out.Weights, ahpWeight{ID: id, Weight: res.Weights[i], Current: doc.Current[i]})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func ahpCSV(w io.Writer, doc AHP) error {
	c := textsafe.NewCSV(w)
	if err := c.Write("over", "id", "weight", "current", "lambda_max", "ci", "ri", "cr"); err != nil {
		return err
	}
	res := doc.Result
	for i, id := range doc.IDs {
		if err := c.Write(doc.Over, id, textfmt.Exact(res.Weights[i]), textfmt.Exact(doc.Current[i]),
			textfmt.Exact(res.LambdaMax), textfmt.Exact(res.CI), textfmt.Exact(res.RI), textfmt.Exact(res.CR)); err != nil {
			return err
		}
	}
	return c.Flush()
}

// WriteAHPProfile writes AHP weights as a config file holding one profile,
// to keep as the config or to paste under its `profiles`.
func WriteAHPProfile(w io.Writer, name string, doc AHP) error {
	res := doc.Result
	ws := &yaml.Node{Kind: yaml.MappingNode}
	for i, id := range doc.IDs {
		ws.Content = append(ws.Content, str(id), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float",
			Value: strconv.FormatFloat(res.Weights[i], 'g', 6, 64)})
	}
	reason := fmt.Sprintf("AHP over %s from %s: CR %.4f", overText(doc.Over), doc.File, res.CR)
	prof := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("reason"), str(reason), str("weights"), ws}}
	root := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		str("profiles"), {Kind: yaml.MappingNode, Content: []*yaml.Node{str(name), prof}}}}
	root.HeadComment = fmt.Sprintf("capscore weights ahp %s: %s\nUse with --config FILE --profile %s, or paste the profile under `profiles` in capscore.yaml.",
		textsafe.Clean(doc.File), consistencyText(res), name)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return err
	}
	return enc.Close()
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
