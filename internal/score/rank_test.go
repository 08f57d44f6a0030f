package score

import "testing"

// Ties keep the order given, as the page and sensitivity rank them; the
// unscored come last.
func TestRankedTiesKeepInputOrder(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	in := []*Result{{File: "z.yaml", Overall: v(40)}, {File: "none.yaml"}, {File: "a.yaml", Overall: v(40)}, {File: "m.yaml", Overall: v(60)}}
	var got []string
	for _, r := range Ranked(in) {
		got = append(got, r.File)
	}
	want := []string{"m.yaml", "z.yaml", "a.yaml", "none.yaml"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Ranked = %v, want %v", got, want)
		}
	}
}
