package report

import (
	"fmt"
	"io"

	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
)

// writeHeader writes the lines naming the layers above a table: Weights
// (one line per distinct weight set, labelled when there are several) and
// Settings when any is set. In Markdown each is its own paragraph.
func writeLayersHeader(l textfmt.Layers, w io.Writer, md bool, r *rubric.Rubric, sets []textfmt.LabelledWeights) {
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
func writeLayersLines(l textfmt.Layers, w io.Writer, text func(string) string, r *rubric.Rubric, ws *weights.Set) {
	fmt.Fprintf(w, "Weights: %s\n", text(textfmt.WeightsText(r, ws)))
	if s := l.SettingsText(); s != "" {
		fmt.Fprintf(w, "Settings: %s\n", text(s))
	}
	fmt.Fprintln(w)
}

// runRows are the run-wide layers as statistic and value pairs, for the
// long CSV tables: the weight layers, then the settings and the config
// file when there are any.
func layersRunRows(l textfmt.Layers, r *rubric.Rubric, ws *weights.Set) [][2]string {
	rows := [][2]string{{"weights", textfmt.WeightsText(r, ws)}}
	if s := l.SettingsText(); s != "" {
		rows = append(rows, [2]string{"settings", s})
	}
	if l.Config != nil {
		rows = append(rows, [2]string{"config", l.Config.File}, [2]string{"config_sha256", l.Config.SHA256})
	}
	return rows
}

type weightsLine struct{ label, text string }

// distinctWeights gives one line per different header text, labelled
// with the columns that share it.
func distinctWeights(r *rubric.Rubric, sets []textfmt.LabelledWeights) []weightsLine {
	var out []weightsLine
	for _, s := range sets {
		rr := s.Rubric
		if rr == nil {
			rr = r
		}
		t := textfmt.WeightsText(rr, s.Weights)
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
	Config   *textfmt.ConfigFile `json:"config"`
	Settings []textfmt.Setting   `json:"settings"`
	Weights  sensWeights         `json:"weights"`
}

func layersJSONOf(l textfmt.Layers, r *rubric.Rubric, w *weights.Set) layersJSON {
	if w == nil {
		// No weights given: the rubric's own, which a stack of the rubric
		// alone resolves to for any rubric that parsed.
		var err error
		if w, err = (weights.Stack{Rubric: r}).Resolve(); err != nil {
			return layersJSON{Config: l.Config, Settings: settingsOf(l)}
		}
	}
	return layersJSON{Config: l.Config, Settings: settingsOf(l), Weights: sensWeightsOf(r, w)}
}

// settings is never nil, so JSON has [] rather than null.
func settingsOf(l textfmt.Layers) []textfmt.Setting {
	return append([]textfmt.Setting{}, l.Settings...)
}

// csvColumns are the columns every CSV of scores ends with: the origin of
// the row's weight, the weight layers, the settings and the config file
// with its SHA-256.
var csvColumns = []string{"weight_origin", "weights", "settings", "config", "config_sha256"}

// csvCells are the cells of csvColumns for a row whose weight was set at
// origin ("" for a row without a weight).
func layersCSVCells(l textfmt.Layers, weightsText, origin string) []string {
	file, sum := "", ""
	if l.Config != nil {
		file, sum = l.Config.File, l.Config.SHA256
	}
	return []string{origin, weightsText, l.SettingsText(), file, sum}
}
