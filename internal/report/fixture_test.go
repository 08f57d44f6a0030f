package report

import (
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
)

// fixture loads the bundled rubric and the named assessments (the bundled
// ones first when bundled is set).
func fixture(t testing.TB, bundled bool, files ...string) (*rubric.Rubric, []*assessment.Assessment) {
	t.Helper()
	r, _, err := load.Rubric("")
	if err != nil {
		t.Fatal(err)
	}
	var inputs []load.Input
	if bundled {
		inputs = load.BundledAssessments()
	}
	extra, err := load.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	as, ds := load.Assessments(append(inputs, extra...), r)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	return r, as
}
