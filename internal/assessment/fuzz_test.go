package assessment

import (
	"os"
	"testing"

	"github.com/capscore/capscore/internal/rubric"
)

// FuzzParse checks the assessment loader and the validation against the
// bundled rubric on any bytes: no panic, every problem placed in the file.
func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("../../rubrics/iiss-seven-pillars.yaml")
	if err != nil {
		f.Fatal(err)
	}
	r, ds := rubric.Parse("rubric.yaml", data)
	if ds.HasErrors() {
		f.Fatal(ds)
	}
	japan, err := os.ReadFile("../../assessments/japan/2021.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(japan)
	f.Add([]byte("country: X\ncode: XXX\nrubric: iiss-seven-pillars\nrevision: '1'\nas_of: 2021-02-28\nsources: {n1: {title: t, date: 2021}}\nfindings: {national-strategy: {level: 2, evidence: [{claim: c, sources: [n1]}]}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, ds := Parse("a.yaml", data)
		if a == nil {
			if !ds.HasErrors() {
				t.Fatal("no assessment and no error")
			}
			return
		}
		ds = append(ds, Validate(a, r)...)
		for _, d := range ds {
			if d.Pos.File != "a.yaml" {
				t.Fatalf("diagnostic without the file: %s", d)
			}
		}
		if ds.HasErrors() {
			return
		}
		for _, s := range a.Sources {
			if s.Date.After(a.AsOf) {
				t.Fatalf("valid assessment cites source %s dated %s after %s", s.ID, s.Date, a.AsOf)
			}
		}
		for id, f := range a.Findings {
			if f.Level != nil && (*f.Level < r.Scale.Min || *f.Level > r.Scale.Max) {
				t.Fatalf("valid finding %s at level %d", id, *f.Level)
			}
		}
	})
}

// FuzzParseDate checks that an accepted date prints back as written.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021", "2021-02", "2021-02-28", "2021-02-30", "2024-02-29", "0000", "99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) prints as %q", s, d.String())
		}
		if d.After(d) {
			t.Fatalf("%s is after itself", d)
		}
	})
}
