package score_test

import (
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
	"github.com/capscore/capscore/internal/testfix"
	"github.com/capscore/capscore/internal/weights"
)

// BenchmarkScore1000InMemory scores 1,000 Japan-sized assessments (a
// finding for each of the rubric's criteria) already parsed and
// validated: the cost of re-scoring an index after a weight change.
func BenchmarkScore1000InMemory(b *testing.B) {
	r := testfix.Rubric(b, "")
	// 50 distinct generated assessments, each scored 20 times per round.
	distinct := testfix.Corpus(b, r, corpus.Options{Countries: 10, Revisions: 5, Seed: 1})
	as := make([]*assessment.Assessment, 1000)
	for i := range as {
		as[i] = distinct[i%len(distinct)]
	}
	w, err := weights.Stack{Rubric: r}.Resolve()
	if err != nil {
		b.Fatal(err)
	}
	opt := score.Options{}.Resolve(r)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, a := range as {
			score.Score(r, a, w, opt)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(as)), "ns/assessment")
}
