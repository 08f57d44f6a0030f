package htmlreport

import (
	"bytes"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// The bibliography numbers sources in one order on every run, ids equal
// under natural order included (Go's map order differs from run to run).
func TestBibliographyOneOrder(t *testing.T) {
	r, _, err := load.Rubric("../../../testdata/bad/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := load.Read([]string{"testdata/equal-ids.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	w := weights.Defaults(r)
	var first string
	for run := range 20 {
		as, ds := load.Assessments(inputs, r)
		if ds.HasErrors() {
			t.Fatal(ds.Errors())
		}
		var b bytes.Buffer
		rep := Report{Rubric: r, Aggregation: r.Aggregation, Missing: r.Missing, Weights: w,
			Results: []*score.Result{score.Score(r, as[0], w, score.Options{})}}
		if err := Write(&b, rep); err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = b.String()
			order := []string{">m001<", ">m01<", ">m1<", ">m2<", ">m010<", ">m10<"}
			at := 0
			for _, id := range order {
				i := strings.Index(first[at:], id)
				if i < 0 {
					t.Fatalf("bibliography lacks %s after %s in order %q", id, first[:at][max(0, at-20):], order)
				}
				at += i
			}
		} else if b.String() != first {
			t.Fatalf("run %d rendered other bytes", run)
		}
	}
}
