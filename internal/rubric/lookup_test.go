package rubric

import "testing"

// Ids are compared in NFC, so one typed in another form is found.
func TestLookupComparesInNFC(t *testing.T) {
	r := &Rubric{
		Pillars:  []Pillar{{ID: "strategy", Criteria: []Criterion{{ID: "caf\u00e9"}}}},
		Profiles: []Profile{{Name: "caf\u00e9"}},
	}
	if ref, ok := r.Lookup("cafe\u0301"); !ok || ref != (Ref{0, 0}) {
		t.Errorf("Lookup of the decomposed form: %v, %v", ref, ok)
	}
	if _, ok := r.Lookup("cafe"); ok {
		t.Error("Lookup found an id without its accent")
	}
	if _, ok := r.Profile("cafe\u0301"); !ok {
		t.Error("Profile of the decomposed form not found")
	}
}
