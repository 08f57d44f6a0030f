package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
)

// TestScoresJSONStreams holds the one-at-a-time encoding to the bytes of
// encoding the whole document at once.
func TestScoresJSONStreams(t *testing.T) {
	r := &rubric.Rubric{ID: "r", Version: "1.0.0"}
	v, l := 12.5, 2
	results := []*score.Result{
		{File: "a.yaml", Country: "A <&>", Overall: &v, Pillars: []score.Pillar{{ID: "p", Score: &v, Criteria: []score.Criterion{{ID: "c", Level: &l}}}}, Warnings: []string{}},
		{File: "b.yaml", Country: "B", Warnings: []string{"w"}},
	}
	for n := 0; n <= len(results); n++ {
		s := Scores{Rubric: r, Aggregation: rubric.Geometric, Profile: "x", Results: results[:n]}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(scoresDoc{Rubric: rubricRef{r.ID, r.Version}, Aggregation: "geometric", Profile: "x",
			layersJSON: layersJSONOf(s.Layers, r, s.Weights), Assessments: append([]*score.Result{}, results[:n]...)}); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WriteScores(&got, JSON, s); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d results:\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
}
