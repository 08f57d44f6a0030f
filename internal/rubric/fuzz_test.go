package rubric

import (
	"os"
	"sort"
	"testing"
)

// FuzzParse checks the rubric loader on any bytes: no panic, and a rubric
// that loads without errors keeps every promise the engine relies on.
func FuzzParse(f *testing.F) {
	bundled, err := os.ReadFile("../../rubrics/iiss-seven-pillars.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bundled)
	f.Add([]byte("id: x\nversion: 1\ntitle: t\nscale: {min: 0, max: 1}\ntiers: [{id: a, label: b}]\npillars: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ds := Parse("r.yaml", data)
		if r == nil && !ds.HasErrors() {
			t.Fatal("no rubric and no error")
		}
		if ds.HasErrors() {
			return
		}
		checkRubric(t, r)
	})
}

func checkRubric(t *testing.T, r *Rubric) {
	t.Helper()
	canon := Pillars()
	if len(r.Pillars) != len(canon) {
		t.Fatalf("valid rubric with %d pillars", len(r.Pillars))
	}
	s := r.Scale
	if s.Max <= s.Min {
		t.Fatalf("valid rubric with scale %d..%d", s.Min, s.Max)
	}
	if len(r.Tiers) == 0 {
		t.Fatal("valid rubric without tiers")
	}
	for i, p := range r.Pillars {
		if p.ID != canon[i].ID {
			t.Fatalf("pillar %d is %q", i, p.ID)
		}
		if p.Weight < 0 {
			t.Fatalf("pillar %s weight %g", p.ID, p.Weight)
		}
		for _, c := range p.Criteria {
			if ref, ok := r.Lookup(c.ID); !ok || ref.Criterion < 0 {
				t.Fatalf("criterion %s not found by Lookup", c.ID)
			}
			if len(c.Levels) != s.Max-s.Min+1 {
				t.Fatalf("criterion %s has %d descriptors", c.ID, len(c.Levels))
			}
			if c.Measure != nil {
				if len(c.Measure.Thresholds) != s.Max-s.Min || !sort.Float64sAreSorted(c.Measure.Thresholds) {
					t.Fatalf("criterion %s thresholds %v", c.ID, c.Measure.Thresholds)
				}
			}
		}
	}
}
