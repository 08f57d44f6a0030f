package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
)

// Layers names everything besides the evidence that shaped a run's
// numbers: the weight layers in force, the config file read, and the
// settings not left at their defaults, each with where it came from. Every
// printer of scores shows it: a header in tables and Markdown, fields in
// JSON, columns in CSV.
type Layers struct {
	// Config is the config file read, nil when none was.
	Config *ConfigFile
	// Settings are the settings that change numbers (rubric, profile,
	// aggregation, missing) given by a flag, a variable or the config
	// file, in that order of keys.
	Settings []Setting
}

// ConfigFile names the config file read and the SHA-256 of its bytes.
type ConfigFile struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
}

// Setting is one setting, its value, and where it came from: "flag
// --aggregation", "env CAPSCORE_MISSING" or "config FILE:LINE:COL".
type Setting struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Origin string `json:"origin"`
	// From is Origin without the place in the file: what a header names.
	From string `json:"-"`
}

// WeightsText names every layer that set a weight in force, weakest first:
// "rubric · profile military · config capscore.yaml (offence) · env
// CAPSCORE_WEIGHTS (intelligence) · flag (offence)". With the rubric's
// weights alone it reads "rubric defaults (FILE)". Weights of the flag
// layer with a name (the page's own, set beside the command line's
// --weight) are named by it alone and last, as set over the command
// line: "flag (offence) · page (intelligence)".
func WeightsText(r *rubric.Rubric, w *weights.Set) string {
	if w == nil {
		return "rubric defaults (" + r.File + ")" // no weights given: the rubric's own
	}
	uses := w.Uses(r)
	if len(uses) == 1 {
		return "rubric defaults (" + r.File + ")"
	}
	named := func(u weights.Use) bool { return u.Layer == weights.Flag && u.Name != "" }
	slices.SortStableFunc(uses, func(a, b weights.Use) int {
		switch {
		case named(a) == named(b):
			return 0
		case named(a):
			return 1
		}
		return -1
	})
	parts := make([]string, 0, len(uses))
	for _, u := range uses {
		part := string(u.Layer)
		switch {
		case named(u):
			part = u.Name
		case u.Name != "":
			part += " " + u.Name
		}
		if u.Layer != weights.Default && u.Layer != weights.Profile {
			part += " (" + strings.Join(u.IDs, ", ") + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " · ")
}

// SettingsText names each setting with where it came from: "aggregation
// geometric (config capscore.yaml) · missing zero (env CAPSCORE_MISSING)";
// "" when every setting is left at its default.
func (l Layers) SettingsText() string {
	parts := make([]string, len(l.Settings))
	for i, s := range l.Settings {
		parts[i] = fmt.Sprintf("%s %s (%s)", s.Name, s.Value, s.From)
	}
	return strings.Join(parts, " · ")
}

// writeHeader writes the lines naming the layers above a table: Weights
// (one line per distinct weight set, labelled when there are several) and
// Settings when any is set. In Markdown each is its own paragraph.
func (l Layers) writeHeader(w io.Writer, md bool, r *rubric.Rubric, sets []LabelledWeights) {
	text := textsafe.For(md)
	line := func(s string) {
		fmt.Fprintln(w, s)
		if md {
			fmt.Fprintln(w)
		}
	}
	distinct := distinctWeights(r, sets)
	for _, d := range distinct {
		if len(distinct) == 1 {
			line("Weights: " + text(d.text))
		} else {
			line("Weights (" + text(d.label) + "): " + text(d.text))
		}
	}
	if s := l.SettingsText(); s != "" {
		line("Settings: " + text(s))
	}
	if !md {
		fmt.Fprintln(w)
	}
}

// writeLines writes the Weights line and, when any setting is set, the
// Settings line, then a blank line: the header of a report whose opening
// lines form one paragraph.
func (l Layers) writeLines(w io.Writer, text func(string) string, r *rubric.Rubric, ws *weights.Set) {
	fmt.Fprintf(w, "Weights: %s\n", text(WeightsText(r, ws)))
	if s := l.SettingsText(); s != "" {
		fmt.Fprintf(w, "Settings: %s\n", text(s))
	}
	fmt.Fprintln(w)
}

// runRows are the run-wide layers as statistic and value pairs, for the
// long CSV tables: the weight layers, then the settings and the config
// file when there are any.
func (l Layers) runRows(r *rubric.Rubric, ws *weights.Set) [][2]string {
	rows := [][2]string{{"weights", WeightsText(r, ws)}}
	if s := l.SettingsText(); s != "" {
		rows = append(rows, [2]string{"settings", s})
	}
	if l.Config != nil {
		rows = append(rows, [2]string{"config", l.Config.File}, [2]string{"config_sha256", l.Config.SHA256})
	}
	return rows
}

// LabelledWeights is one column's weight set, as compare has several.
type LabelledWeights struct {
	Label   string
	Rubric  *rubric.Rubric
	Weights *weights.Set
}

type weightsLine struct{ label, text string }

// distinctWeights gives one line per different header text, labelled
// with the columns that share it.
func distinctWeights(r *rubric.Rubric, sets []LabelledWeights) []weightsLine {
	var out []weightsLine
	for _, s := range sets {
		rr := s.Rubric
		if rr == nil {
			rr = r
		}
		t := WeightsText(rr, s.Weights)
		found := false
		for i := range out {
			if out[i].text == t {
				out[i].label += ", " + s.Label
				found = true
				break
			}
		}
		if !found {
			out = append(out, weightsLine{label: s.Label, text: t})
		}
	}
	return out
}

// layersJSON is what every JSON output of scores carries about its layers:
// the config file, the settings, and every weight in force with its origin
// (the weights as sensitivity has them).
type layersJSON struct {
	Config   *ConfigFile `json:"config"`
	Settings []Setting   `json:"settings"`
	Weights  sensWeights `json:"weights"`
}

func (l Layers) json(r *rubric.Rubric, w *weights.Set) layersJSON {
	if w == nil {
		// No weights given: the rubric's own, which a stack of the rubric
		// alone resolves to for any rubric that parsed.
		var err error
		if w, err = (weights.Stack{Rubric: r}).Resolve(); err != nil {
			return layersJSON{Config: l.Config, Settings: l.settings()}
		}
	}
	return layersJSON{Config: l.Config, Settings: l.settings(), Weights: sensWeightsOf(r, w)}
}

// settings is never nil, so JSON has [] rather than null.
func (l Layers) settings() []Setting {
	return append([]Setting{}, l.Settings...)
}

// csvColumns are the columns every CSV of scores ends with: the origin of
// the row's weight, the weight layers, the settings and the config file
// with its SHA-256.
var csvColumns = []string{"weight_origin", "weights", "settings", "config", "config_sha256"}

// csvCells are the cells of csvColumns for a row whose weight was set at
// origin ("" for a row without a weight).
func (l Layers) csvCells(weightsText, origin string) []string {
	file, sum := "", ""
	if l.Config != nil {
		file, sum = l.Config.File, l.Config.SHA256
	}
	return []string{origin, weightsText, l.SettingsText(), file, sum}
}
