package sensitivity

import (
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
	"github.com/capscore/capscore/internal/testfix"
	"github.com/capscore/capscore/internal/weights"
)

// bundled returns the bundled rubric, its default weights and the bundled
// assessments.
func bundled(t testing.TB) Input {
	t.Helper()
	r := testfix.Rubric(t, "")
	return Input{Rubric: r, Assessments: testfix.Assessments(t, r), Weights: weights.Defaults(r)}
}

// synthetic returns n generated assessments of the bundled Japan file's
// shape, deterministic from the seed.
func synthetic(t testing.TB, r *rubric.Rubric, n int, seed uint64) []*assessment.Assessment {
	t.Helper()
	return testfix.Corpus(t, r, corpus.Options{Countries: n, Revisions: 1, Seed: seed})
}
