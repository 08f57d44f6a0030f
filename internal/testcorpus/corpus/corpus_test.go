package corpus

import (
	"bytes"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

func bundledRubric(t testing.TB) *rubric.Rubric {
	t.Helper()
	r, _, err := load.Rubric("")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFilesAreValidAndUncapped(t *testing.T) {
	r := bundledRubric(t)
	files, err := Files(r, Options{Countries: 4, Revisions: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 12 {
		t.Fatalf("got %d files, want 12", len(files))
	}
	inputs := make([]load.Input, len(files))
	for i, f := range files {
		inputs[i] = load.Input{Name: f.Name, Data: f.Data}
	}
	as, ds := load.Assessments(inputs, r)
	if len(ds) > 0 {
		t.Fatalf("generated files have problems:\n%v", ds)
	}
	w, err := weights.Stack{Rubric: r}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	opt := score.Options{}.Resolve(r)
	for _, a := range as {
		if res := score.Score(r, a, w, opt); len(res.Warnings) > 0 {
			t.Errorf("%s: scoring warns: %v", a.File, res.Warnings)
		}
	}
	if as[1].Supersedes != as[0].Revision || as[0].Supersedes != "" {
		t.Errorf("revision chain: %q supersedes %q, %q supersedes %q", as[1].Revision, as[1].Supersedes, as[0].Revision, as[0].Supersedes)
	}
}

// A file depends only on the seed and its place, so a large corpus holds
// every small one generated with the same seed.
func TestDeterministic(t *testing.T) {
	r := bundledRubric(t)
	small, err := Files(r, Options{Countries: 2, Revisions: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	large, err := Files(r, Options{Countries: 3, Revisions: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range small {
		if small[i].Name != large[i].Name || !bytes.Equal(small[i].Data, large[i].Data) {
			t.Fatalf("file %d differs between runs: %s vs %s", i, small[i].Name, large[i].Name)
		}
	}
	other, err := Files(r, Options{Countries: 2, Revisions: 2, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(small[0].Data, other[0].Data) {
		t.Error("seeds 3 and 4 wrote the same file")
	}
}

// Generated files are the size of the bundled Japan assessment, which the
// scale figures are quoted against.
func TestShapeMatchesJapan(t *testing.T) {
	r := bundledRubric(t)
	var japan load.Input
	for _, in := range load.BundledAssessments() {
		if in.Name == "bundled:assessments/japan/2021.yaml" {
			japan = in
		}
	}
	ref, ds := load.Assessments([]load.Input{japan}, r)
	if len(ref) != 1 {
		t.Fatalf("bundled Japan 2021 did not load: %v", ds)
	}
	files, err := Files(r, Options{Countries: 5, Revisions: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	inputs := make([]load.Input, len(files))
	size := 0
	for i, f := range files {
		inputs[i] = load.Input{Name: f.Name, Data: f.Data}
		size += len(f.Data)
	}
	as, _ := load.Assessments(inputs, r)
	near := func(what string, got, want float64) {
		if got < want*0.9 || got > want*1.1 {
			t.Errorf("%s: %.0f per assessment, Japan has %.0f", what, got, want)
		}
	}
	n := float64(len(as))
	var got shape
	for _, a := range as {
		s := shapeOf(a)
		got.sources, got.findings, got.claims = got.sources+s.sources, got.findings+s.findings, got.claims+s.claims
	}
	want := shapeOf(ref[0])
	near("bytes", float64(size)/n, float64(len(japan.Data)))
	near("sources", got.sources/n, want.sources)
	near("findings", got.findings/n, want.findings)
	near("claims", got.claims/n, want.claims)
}

type shape struct{ sources, findings, claims float64 }

func shapeOf(a *assessment.Assessment) shape {
	s := shape{sources: float64(len(a.Sources)), findings: float64(len(a.Findings))}
	for _, f := range a.Findings {
		s.claims += float64(len(f.Evidence))
	}
	return s
}
