package ahp

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
)

func bundled(t testing.TB) *rubric.Rubric {
	t.Helper()
	in := load.BundledRubric()
	r, diags := rubric.Parse(in.Name, in.Data)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return r
}

var pillarIDs7 = []string{"strategy", "governance", "intelligence", "empowerment", "resilience", "leadership", "offence"}

// comparisonsFor writes every pair of ids with value(i, j), in the order
// pairs are listed, written as the judgement ≥ 1.
func comparisonsFor(over string, ids []string, value func(i, j int) float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "over: %s\ncomparisons:\n", over)
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			x := value(i, j)
			if x >= 1 {
				fmt.Fprintf(&b, "  %s>%s: %s\n", ids[i], ids[j], Format(x))
			} else {
				fmt.Fprintf(&b, "  %s>%s: %s\n", ids[j], ids[i], Format(1/x))
			}
		}
	}
	return b.String()
}

func TestParseComparisons(t *testing.T) {
	r := bundled(t)
	w := []float64{2, 1, 4, 1, 8, 1, 2}
	data := comparisonsFor("pillars", pillarIDs7, func(i, j int) float64 { return w[i] / w[j] })
	j, diags := Parse("p.yaml", []byte(data), r)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if j.Over != "pillars" || j.Pillar != -1 || strings.Join(j.IDs, ",") != strings.Join(pillarIDs7, ",") {
		t.Fatalf("%+v", j)
	}
	res, err := Solve(j.Matrix)
	if err != nil {
		t.Fatal(err)
	}
	for i := range w {
		if math.Abs(res.Weights[i]-w[i]/19) > 1e-12 {
			t.Errorf("%s: %g, want %g", j.IDs[i], res.Weights[i], w[i]/19)
		}
	}
	// strategy>governance: 2 is the first pair, at line 3.
	if got := j.Pos[0][1].String(); got != "p.yaml:3:3" {
		t.Errorf("position %s", got)
	}
	if f, s := j.Written(1, 0); f != 0 || s != 1 {
		t.Errorf("strategy>governance read as %d>%d", f, s)
	}
	// governance is lighter than intelligence, so it was written intelligence>governance.
	if f, s := j.Written(1, 2); f != 2 || s != 1 {
		t.Errorf("intelligence>governance read as %d>%d", f, s)
	}
}

func TestParseCriteriaMatrix(t *testing.T) {
	r := bundled(t)
	offence := r.Pillars[6]
	// Rows in reverse rubric order, to check the reordering.
	ids := make([]string, len(offence.Criteria))
	for i, c := range offence.Criteria {
		ids[len(ids)-1-i] = c.ID
	}
	w := []float64{1, 2, 4, 1, 8} // by row of the file
	var b strings.Builder
	fmt.Fprintf(&b, "over: offence\nids: [%s]\nmatrix:\n", strings.Join(ids, ", "))
	for i := range w {
		cells := make([]string, len(w))
		for k := range w {
			cells[k] = Format(w[i] / w[k])
		}
		fmt.Fprintf(&b, "  - [%s]\n", strings.Join(cells, ", "))
	}
	j, diags := Parse("m.yaml", []byte(b.String()), r)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if j.Pillar != 6 || j.IDs[0] != offence.Criteria[0].ID {
		t.Fatalf("%+v", j)
	}
	res, err := Solve(j.Matrix)
	if err != nil {
		t.Fatal(err)
	}
	for k, id := range ids {
		i := -1
		for x, y := range j.IDs {
			if y == id {
				i = x
			}
		}
		if math.Abs(res.Weights[i]-w[k]/16) > 1e-12 {
			t.Errorf("%s: %g, want %g", id, res.Weights[i], w[k]/16)
		}
	}
}

func TestParseErrors(t *testing.T) {
	r := bundled(t)
	full := comparisonsFor("pillars", pillarIDs7, func(i, j int) float64 { return 1 })
	for _, tt := range []struct {
		name, data, want string
	}{
		{"no over", "comparisons: {}\n", `f.yaml:1:1: comparisons file: missing required key "over"`},
		{"unknown over", "over: offense\ncomparisons: {}\n", `f.yaml:1:7: over: "offense" is not "pillars" or a pillar of rubric iiss-seven-pillars (did you mean "offence"?)`},
		{"criterion over", "over: national-strategy\ncomparisons: {}\n", `f.yaml:1:7: over: "national-strategy" is a criterion; compare the pillars (over: pillars) or one pillar's criteria (over: strategy)`},
		{"neither", "over: pillars\n", `f.yaml:1:1: comparisons file: give comparisons (a>b: 3 for every pair) or a matrix`},
		{"both", "over: pillars\ncomparisons: {}\nmatrix: []\n", `f.yaml:3:9: give comparisons or a matrix, not both`},
		{"unknown key", "over: pillars\ncomparison: {}\n", `f.yaml:2:1: comparisons file: unknown key "comparison" (did you mean "comparisons"?)`},
		{"bad key", "over: pillars\ncomparisons:\n  strategy-governance: 3\n", `f.yaml:3:3: comparisons: key "strategy-governance": write first>second`},
		{"typo id", "over: pillars\ncomparisons:\n  strategy>offense: 3\n", `f.yaml:3:3: comparisons.strategy>offense: "offense" is not one of the pillars (did you mean "offence"?)`},
		{"wrong level", "over: pillars\ncomparisons:\n  strategy>national-strategy: 3\n", `f.yaml:3:3: comparisons.strategy>national-strategy: "national-strategy" is a criterion of pillar strategy; this file compares the pillars (over: pillars)`},
		{"self", "over: pillars\ncomparisons:\n  strategy>strategy: 1\n", `f.yaml:3:3: comparisons.strategy>strategy: an item compared with itself is always 1`},
		{"twice", "over: pillars\ncomparisons:\n  strategy>offence: 3\n  offence>strategy: 1/3\n", `f.yaml:4:3: comparisons.offence>strategy: offence and strategy are already compared at line 3; keep one`},
		{"off scale", "over: pillars\ncomparisons:\n  strategy>offence: 10\n", `f.yaml:3:21: comparisons.strategy>offence: "10" is not on Saaty's scale`},
		{"fraction", "over: pillars\ncomparisons:\n  strategy>offence: 2.5\n", `f.yaml:3:21: comparisons.strategy>offence: "2.5" is not on Saaty's scale`},
		{"bad reciprocal", "over: pillars\ncomparisons:\n  strategy>offence: 2/3\n", `f.yaml:3:21: comparisons.strategy>offence: "2/3" is not on Saaty's scale`},
		{"zero", "over: pillars\ncomparisons:\n  strategy>offence: 0\n", `f.yaml:3:21: comparisons.strategy>offence: "0" is not on Saaty's scale`},
		{"missing pairs", strings.Join(strings.Split(full, "\n")[:5], "\n") + "\n", `f.yaml:3:3: comparisons: 18 of 21 pairs have no judgement: strategy>resilience, strategy>leadership, strategy>offence, governance>intelligence, governance>empowerment, governance>resilience and 12 more; compare every pair`},
		{"one criterion", "over: pillars\nids: [strategy]\nmatrix: [[1]]\n", `f.yaml:2:6: ids: governance, intelligence, empowerment, resilience, leadership, offence missing; list all 7 of pillars`},
		{"ids with comparisons", "over: pillars\nids: [strategy]\ncomparisons: {}\n", `f.yaml:2:6: ids: only for a matrix`},
		{"short row", "over: offence\nmatrix:\n  - [1, 2]\n", `f.yaml:3:5: matrix row 1 has 2 entries; offence needs 5`},
		{"few rows", "over: offence\nmatrix:\n  - [1, 1, 1, 1, 1]\n", `f.yaml:3:3: matrix: 1 rows; offence needs 5`},
		{"diagonal", "over: offence\nmatrix:\n  - [2, 1, 1, 1, 1]\n", `f.yaml:3:6: matrix row 1, column 1: offensive-legal-room compared with itself is 1`},
		{"not reciprocal", "over: offence\nmatrix:\n" + strings.Repeat("  - [1, 3, 1, 1, 1]\n", 1) + strings.Repeat("  - [1, 1, 1, 1, 1]\n", 4),
			`f.yaml:4:6: matrix row 2, column 1 is 1 but row 1, column 2 is 3; write 1/3, the reciprocal`},
		{"not yaml", "over: [\n", `f.yaml`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j, diags := Parse("f.yaml", []byte(tt.data), r)
			if !diags.HasErrors() || j != nil {
				t.Fatalf("accepted: %+v", j)
			}
			if got := diags.Errors()[0].String(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	r := bundled(f)
	f.Add(comparisonsFor("pillars", pillarIDs7, func(i, j int) float64 { return float64(1+i) / float64(1+j) }))
	f.Add("over: offence\nmatrix:\n  - [1, 2, 1, 1, 1, 1]\n  - [1/2, 1, 1, 1, 1, 1]\n")
	f.Add("over: pillars\ncomparisons: {a>b: 1/9}\n")
	f.Fuzz(func(t *testing.T, data string) {
		j, diags := Parse("f.yaml", []byte(data), r)
		if diags.HasErrors() {
			if j != nil {
				t.Fatal("judgements returned with errors")
			}
			return
		}
		if err := Check(j.Matrix); err != nil {
			t.Fatalf("accepted a matrix Solve refuses: %v", err)
		}
		if _, err := Solve(j.Matrix); err != nil {
			t.Fatal(err)
		}
	})
}
