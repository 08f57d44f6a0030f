package ahp

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// drinks is the worked example of Saaty, "Decision making with the analytic
// hierarchy process", Int. J. Services Sciences 1:1 (2008), pp. 83–98:
// relative consumption of drinks in the United States, judged pairwise.
var drinks = struct {
	ids    []string
	m      [][]float64
	w      []float64 // the published eigenvector, three decimals
	cr     float64   // the published consistency ratio
	places float64
}{
	ids: []string{"coffee", "wine", "tea", "beer", "sodas", "milk", "water"},
	m: [][]float64{
		{1, 9, 5, 2, 1, 1, 1.0 / 2},
		{1.0 / 9, 1, 1.0 / 3, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9},
		{1.0 / 5, 3, 1, 1.0 / 3, 1.0 / 4, 1.0 / 3, 1.0 / 9},
		{1.0 / 2, 9, 3, 1, 1.0 / 2, 1, 1.0 / 3},
		{1, 9, 4, 2, 1, 2, 1.0 / 2},
		{1, 9, 3, 1, 1.0 / 2, 1, 1.0 / 3},
		{2, 9, 9, 3, 2, 3, 1},
	},
	w:      []float64{0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327},
	cr:     0.022,
	places: 0.0005,
}

func TestSaatyDrinksExample(t *testing.T) {
	res, err := Solve(drinks.m)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range drinks.w {
		if math.Abs(res.Weights[i]-want) > drinks.places {
			t.Errorf("%s: %.4f, published %.3f", drinks.ids[i], res.Weights[i], want)
		}
	}
	if math.Abs(res.CR-drinks.cr) > drinks.places {
		t.Errorf("CR %.4f, published %.3f", res.CR, drinks.cr)
	}
	if res.RI != 1.32 || !res.Consistent() {
		t.Errorf("RI %g, consistent %v", res.RI, res.Consistent())
	}
	// λmax is an eigenvalue: m·w = λmax·w to rounding.
	for i, row := range drinks.m {
		s := 0.0
		for j, a := range row {
			s += a * res.Weights[j]
		}
		if math.Abs(s-res.LambdaMax*res.Weights[i]) > 1e-12 {
			t.Errorf("row %d: m·w = %g, λmax·w = %g", i, s, res.LambdaMax*res.Weights[i])
		}
	}
	if got := res.CI; math.Abs(got-(res.LambdaMax-7)/6) > 1e-15 || math.Abs(res.CR-got/1.32) > 1e-15 {
		t.Errorf("CI %g, CR %g for λmax %g", got, res.CR, res.LambdaMax)
	}
}

// A consistent matrix m[i][j] = w[i]/w[j] gives back w exactly, λmax = n
// and CR = 0, for any size with a random index.
func TestPropertyConsistentMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 500 {
		n := 1 + rng.IntN(MaxItems)
		w := make([]float64, n)
		total := 0.0
		for i := range w {
			w[i] = 0.1 + rng.Float64()*9
			total += w[i]
		}
		m := make([][]float64, n)
		for i := range m {
			m[i] = make([]float64, n)
			for j := range m[i] {
				m[i][j] = w[i] / w[j]
			}
		}
		res, err := Solve(m)
		if err != nil {
			t.Fatal(err)
		}
		for i := range w {
			if math.Abs(res.Weights[i]-w[i]/total) > 1e-12 {
				t.Fatalf("n=%d: weight %d is %g, want %g", n, i, res.Weights[i], w[i]/total)
			}
		}
		if math.Abs(res.LambdaMax-float64(n)) > 1e-9 || res.CR > 1e-9 {
			t.Fatalf("n=%d: λmax %g, CR %g", n, res.LambdaMax, res.CR)
		}
	}
}

// Any reciprocal matrix on Saaty's scale gives positive weights summing to
// 1, and λmax ≥ n.
func TestPropertyRandomReciprocal(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 300 {
		n := 2 + rng.IntN(MaxItems-1)
		m := randomMatrix(rng, n)
		res, err := Solve(m)
		if err != nil {
			t.Fatal(err)
		}
		total := 0.0
		for _, x := range res.Weights {
			if !(x > 0) {
				t.Fatalf("weight %g", x)
			}
			total += x
		}
		if math.Abs(total-1) > 1e-12 || res.LambdaMax < float64(n)-1e-9 || res.CI < 0 {
			t.Fatalf("n=%d: Σw %g, λmax %g, CI %g", n, total, res.LambdaMax, res.CI)
		}
	}
}

func randomMatrix(rng *rand.Rand, n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		m[i][i] = 1
	}
	for i := range m {
		for j := i + 1; j < n; j++ {
			x := float64(1 + rng.IntN(9))
			if rng.IntN(2) == 0 {
				x = 1 / x
			}
			m[i][j], m[j][i] = x, 1/x
		}
	}
	return m
}

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		m    [][]float64
		want string
	}{
		{nil, "no items"},
		{[][]float64{{1, 2}, {0.5}}, "row 2 has 1 entries"},
		{[][]float64{{1, 2}, {0.5, 2}}, "entry (2,2) is 2; an item compared with itself is 1"},
		{[][]float64{{1, 2}, {0.25, 1}}, "entries (1,2) = 2 and (2,1) = 0.25 are not reciprocal"},
		{[][]float64{{1, -1}, {-1, 1}}, "entry (1,2) is -1; judgements are positive"},
		{[][]float64{{1, math.NaN()}, {1, 1}}, "entry (1,2) is NaN"},
	} {
		if err := Check(tt.m); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want %s", tt.m, err, tt.want)
		}
		if _, err := Solve(tt.m); err == nil {
			t.Errorf("%v: solved", tt.m)
		}
	}
	big := make([][]float64, MaxItems+1)
	for i := range big {
		big[i] = make([]float64, len(big))
		for j := range big[i] {
			big[i][j] = 1
		}
	}
	if _, err := Solve(big); err == nil || !strings.Contains(err.Error(), "published for 1 to 15") {
		t.Errorf("16 items: %v", err)
	}
}

func TestRandomIndex(t *testing.T) {
	for n, want := range map[int]float64{1: 0, 2: 0, 3: 0.58, 4: 0.90, 7: 1.32, 10: 1.49, 15: 1.59} {
		if got, err := RandomIndex(n); err != nil || got != want {
			t.Errorf("RI(%d) = %g, %v; want %g", n, got, err, want)
		}
	}
	for _, n := range []int{0, 16} {
		if _, err := RandomIndex(n); err == nil {
			t.Errorf("RI(%d) accepted", n)
		}
	}
}

// Two items are always consistent; CR is 0 by definition.
func TestTwoItems(t *testing.T) {
	res, err := Solve([][]float64{{1, 3}, {1.0 / 3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.Weights[0]-0.75) > 1e-15 || res.CR != 0 || res.RI != 0 {
		t.Errorf("%+v", res)
	}
}

func TestDiscords(t *testing.T) {
	// a>b 5, b>c 5, c>a 5: a cycle, every judgement equally far off.
	m := [][]float64{{1, 5, 1.0 / 5}, {1.0 / 5, 1, 5}, {5, 1.0 / 5, 1}}
	res, err := Solve(m)
	if err != nil {
		t.Fatal(err)
	}
	if res.Consistent() {
		t.Errorf("a cycle is consistent: CR %g", res.CR)
	}
	ds := Discords(m, res.Weights)
	if len(ds) != 3 {
		t.Fatalf("%d discords", len(ds))
	}
	for _, d := range ds {
		if math.Abs(d.Factor-5) > 1e-9 || math.Abs(d.Implied-1) > 1e-9 {
			t.Errorf("%+v", d)
		}
	}
	// One judgement off in an otherwise consistent matrix is named first.
	w := []float64{4, 2, 1, 1}
	m = make([][]float64, 4)
	for i := range m {
		m[i] = make([]float64, 4)
		for j := range m[i] {
			m[i][j] = w[i] / w[j]
		}
	}
	m[0][3], m[3][0] = 1.0/2, 2
	res, err = Solve(m)
	if err != nil {
		t.Fatal(err)
	}
	if d := Discords(m, res.Weights)[0]; d.I != 0 || d.J != 3 {
		t.Errorf("worst discord %+v, want the (0,3) judgement", d)
	}
}

func TestFormat(t *testing.T) {
	for x, want := range map[float64]string{1: "1", 3: "3", 1.0 / 3: "1/3", 2.3456: "2.35", 1 / 2.3456: "1/2.35", 0.9999999999: "1"} {
		if got := Format(x); got != want {
			t.Errorf("Format(%g) = %s, want %s", x, got, want)
		}
	}
}

func BenchmarkSolve(b *testing.B) {
	for _, n := range []int{7, 15} {
		m := randomMatrix(rand.New(rand.NewPCG(1, uint64(n))), n)
		b.Run(map[int]string{7: "pillars-7", 15: "max-15"}[n], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Solve(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
