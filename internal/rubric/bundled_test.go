package rubric

import (
	"os"
	"testing"
)

func TestBundledRubricIsValid(t *testing.T) {
	data, err := os.ReadFile("../../rubrics/iiss-seven-pillars.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, ds := Parse("rubrics/iiss-seven-pillars.yaml", data)
	if len(ds) > 0 {
		t.Fatalf("bundled rubric has problems:\n%v", ds.Error())
	}
	if len(r.Pillars) != 7 {
		t.Fatalf("got %d pillars", len(r.Pillars))
	}
	measured := 0
	for _, p := range r.Pillars {
		if len(p.Criteria) < 4 || len(p.Criteria) > 6 {
			t.Errorf("pillar %s has %d criteria, want 4–6", p.ID, len(p.Criteria))
		}
		for _, c := range p.Criteria {
			if c.Measure != nil {
				measured++
			}
			if c.Question == "" {
				t.Errorf("criterion %s has no question", c.ID)
			}
		}
	}
	if measured < 5 {
		t.Errorf("only %d measured criteria", measured)
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"national-strategy": true, "a": true, "n1": true, "a-1-b": true,
		"": false, "-a": false, "a-": false, "a--b": false, "A": false, "a.b": false, "a_b": false, "é": false, "a b": false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}
