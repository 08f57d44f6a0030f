package assessment

import (
	"os"
	"reflect"
	"testing"

	"github.com/capscore/capscore/internal/diag"
)

// TestMarshalRoundTrip writes the bundled Japan assessments and reads them
// back: everything Parse reads survives, positions aside.
func TestMarshalRoundTrip(t *testing.T) {
	for _, name := range []string{"../../assessments/japan/2021.yaml", "../../assessments/japan/2025.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		a, ds := Parse(name, data)
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		out, err := Marshal(a, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, ds := Parse(name, out)
		if len(ds) > 0 {
			t.Fatalf("%s written back: %v", name, ds)
		}
		strip(a)
		strip(b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s changed on the way through Marshal", name)
		}
	}
}

// strip clears positions, which a rewrite moves.
func strip(a *Assessment) {
	a.Pos, a.RubricPos, a.FindingsPos, a.SupersedesPos = diag.Pos{}, diag.Pos{}, diag.Pos{}, diag.Pos{}
	for _, s := range a.Sources {
		s.Pos = diag.Pos{}
	}
	for _, f := range a.Facts {
		f.Pos = diag.Pos{}
	}
	for _, f := range a.Findings {
		f.Pos, f.LevelPos = diag.Pos{}, diag.Pos{}
		for i := range f.Evidence {
			f.Evidence[i].Pos = diag.Pos{}
		}
	}
}
