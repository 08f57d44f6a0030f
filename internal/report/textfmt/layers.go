package textfmt

import (
	"fmt"
	"slices"
	"strings"

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

// LabelledWeights is one column's weight set, as compare has several.
type LabelledWeights struct {
	Label   string
	Rubric  *rubric.Rubric
	Weights *weights.Set
}

// InputFile names an input and the SHA-256 of its bytes.
type InputFile struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
}
