package load_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
	"github.com/capscore/capscore/internal/weights"
	"github.com/capscore/capscore/internal/yamlread"
	"go.yaml.in/yaml/v3"
)

// benchInputs is a small generated corpus of Japan-sized assessments.
func benchInputs(b *testing.B) []load.Input {
	b.Helper()
	files, err := corpus.Files(bundledRubric(b), corpus.Options{Countries: 20, Revisions: 5, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	inputs := make([]load.Input, len(files))
	for i, f := range files {
		inputs[i] = load.Input{Name: f.Name, Data: f.Data}
	}
	return inputs
}

func perAssessment(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/assessment")
}

// BenchmarkDecodeFloor is yaml.v3 alone decoding the same bytes into
// yaml.Node on all cores.
func BenchmarkDecodeFloor(b *testing.B) {
	floor(b, func(data []byte) bool {
		var n yaml.Node
		return yaml.NewDecoder(bytes.NewReader(data)).Decode(&n) == nil
	})
}

// BenchmarkBlockFloor is the block reader alone, which the loader tries
// first, on the same bytes: the floor BenchmarkLoadValidateScore is held to.
func BenchmarkBlockFloor(b *testing.B) {
	// Decoders are reused from file to file, as the loader's workers do.
	decoders := sync.Pool{New: func() any { return new(yamlread.Buffer) }}
	floor(b, func(data []byte) bool {
		buf := decoders.Get().(*yamlread.Buffer)
		defer decoders.Put(buf)
		// A tree that may revisit nodes came from yaml.v3: declined.
		rd, root := yamlread.ParseWith(buf, "bench.yaml", data)
		return root != nil && !rd.Revisits()
	})
}

func floor(b *testing.B, decode func([]byte) bool) {
	inputs := benchInputs(b)
	b.ResetTimer()
	for b.Loop() {
		load.Parallel(len(inputs), func(i int) {
			if !decode(inputs[i].Data) {
				b.Errorf("%s: not decoded", inputs[i].Name)
			}
		})
	}
	perAssessment(b, len(inputs))
}

// BenchmarkLoadValidateScore parses, validates and scores assessments from
// their YAML bytes on all cores, as `capscore score` does.
func BenchmarkLoadValidateScore(b *testing.B) {
	inputs := benchInputs(b)
	r := bundledRubric(b)
	w, err := weights.Stack{Rubric: r}.Resolve()
	if err != nil {
		b.Fatal(err)
	}
	opt := score.Options{}.Resolve(r)
	b.ResetTimer()
	for b.Loop() {
		err := load.StreamInputs(context.Background(), inputs, r, func(l load.Loaded) error {
			if l.Assessment == nil {
				b.Fatalf("%s: %v", l.Name, l.Diags)
			}
			score.Score(r, l.Assessment, w, opt)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	perAssessment(b, len(inputs))
}
