package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/ahp"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
	"go.yaml.in/yaml/v3"
)

// weightsDocFor is the document of the rubric's weights under overrides
// of the config file's layer.
func weightsDocFor(t *testing.T, overrides ...weights.Override) Weights {
	t.Helper()
	in := load.BundledRubric()
	r, diags := rubric.Parse(in.Name, in.Data)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s, err := weights.Stack{Rubric: r, Config: overrides}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return Weights{Rubric: r, Entries: s.Effective(r)}
}

// Text from files (a profile's reason, a config path) cannot drive the
// terminal, and no CSV cell starts a spreadsheet formula.
func TestWeightsHostileText(t *testing.T) {
	doc := weightsDocFor(t, weights.Override{ID: "offence", Value: 2,
		Origin: weights.Origin{Layer: weights.Config, Source: "=cmd|' /C calc'!A0"}})
	doc.Profile = &ProfileInfo{Name: "x", Reason: "red \x1b[31malert\x1b[0m", Source: "config c.yaml:1:1"}
	var b bytes.Buffer
	if err := WriteWeights(&b, Table, doc); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(b.String(), 0x1b) || !strings.Contains(b.String(), "red alert") {
		t.Errorf("escape reached the table:\n%q", b.String())
	}
	b.Reset()
	if err := WriteWeights(&b, CSV, doc); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if row[0] == "offence" && row[1] == "" {
			// The layer leads the cell, so it never starts a formula.
			if row[5] != "config" || row[6] != "config =cmd|' /C calc'!A0" {
				t.Errorf("layer %q, origin %q", row[5], row[6])
			}
			return
		}
	}
	t.Error("no offence row")
}

// The saved profile is YAML that reads back to the same weights, whatever
// the comparisons file is called.
func TestAHPProfileIsValidYAML(t *testing.T) {
	res, err := ahp.Solve([][]float64{{1, 3, 5}, {1.0 / 3, 1, 2}, {1.0 / 5, 1.0 / 2, 1}})
	if err != nil {
		t.Fatal(err)
	}
	doc := AHP{File: "odd: name\n# 'quoted\".yaml", Over: "offence",
		IDs: []string{"offensive-legal-room", "offensive-intent", "offensive-organisation"}, Result: res}
	var b bytes.Buffer
	if err := WriteAHPProfile(&b, "analyst", doc); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Profiles map[string]struct {
			Reason  string
			Weights map[string]float64
		}
	}
	if err := yaml.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	p, ok := back.Profiles["analyst"]
	if !ok || !strings.Contains(p.Reason, doc.File) || len(p.Weights) != 3 {
		t.Fatalf("read back %+v from\n%s", back, b.String())
	}
	for i, id := range doc.IDs {
		if d := p.Weights[id] - res.Weights[i]; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s: %g, want %g", id, p.Weights[id], res.Weights[i])
		}
	}
	if _, diags := weights.ParseConfig("saved.yaml", b.Bytes()); diags.HasErrors() {
		t.Errorf("the config reader refuses the saved profile: %v", diags)
	}
}
