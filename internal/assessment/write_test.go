package assessment

import (
	"os"
	"reflect"
	"strings"
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

// full sets every field Parse reads, so a field Marshal forgets fails
// TestMarshalEveryField.
const full = `country: Ruritania
code: RUR
rubric: iiss-seven-pillars
rubric_version: "2.0.0"
revision: "2025"
as_of: 2025-06-30
supersedes: "2024"
assessors: [Amara Adler, Boris Brandt]
summary: "A test of every field."
sources:
  r1:
    title: "Defence White Paper"
    author: "Ministry of Defence"
    publisher: "Government of Ruritania"
    date: 2025-01-15
    url: "https://example.org/white-paper"
facts:
  military-cyber-personnel:
    value: 450.5
    as_of: 2025-03
    basis: "personnel of the dedicated cyber units"
    sources: [r1]
    note: "Rounded."
findings:
  military-doctrine:
    level: 2
    confidence: low
    rationale: "Judged developing."
    change: "Was 1."
    evidence:
      - claim: "Cyberspace is a domain of warfare."
        sources: [r1]
`

// TestMarshalEveryField round-trips an assessment that sets every field
// Parse reads, and fails when a field of the model is left unset here:
// a new field must be added to full, and so to what Marshal writes.
func TestMarshalEveryField(t *testing.T) {
	a, ds := Parse("full.yaml", []byte(full))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	out, err := Marshal(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, ds := Parse("full.yaml", out)
	if len(ds) > 0 {
		t.Fatalf("written back: %v\n%s", ds, out)
	}
	strip(a)
	strip(b)
	unset(t, reflect.ValueOf(a).Elem(), "assessment")
	if !reflect.DeepEqual(a, b) {
		t.Errorf("changed on the way through Marshal:\n%s", out)
	}
}

// unset reports the exported fields of v, other than positions and the
// file name, that are zero.
func unset(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		unset(t, v.Elem(), path)
	case reflect.Map:
		for _, k := range v.MapKeys() {
			unset(t, v.MapIndex(k), path+"["+k.String()+"]")
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			unset(t, v.Index(i), path)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Date{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Name == "File" || strings.HasSuffix(f.Name, "Pos") {
				continue
			}
			if v.Field(i).IsZero() {
				t.Errorf("%s.%s is not set by the test input: add it there (and to Marshal)", path, f.Name)
				continue
			}
			unset(t, v.Field(i), path+"."+f.Name)
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
