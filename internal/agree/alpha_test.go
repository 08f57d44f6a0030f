package agree

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// krippendorff2011 is the worked example of Krippendorff, "Computing
// Krippendorff's Alpha-Reliability" (2011): four observers, twelve units,
// values 1 to 5, 0 for a missing value.
var krippendorff2011 = [4][12]int{
	{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
	{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
	{0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
	{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
}

// byUnit turns an observers × units matrix (0 missing) into units.
func byUnit(rows [][]int) [][]int {
	if len(rows) == 0 {
		return nil
	}
	units := make([][]int, len(rows[0]))
	for _, row := range rows {
		for u, v := range row {
			if v != 0 {
				units[u] = append(units[u], v)
			}
		}
	}
	return units
}

func example() [][]int {
	rows := make([][]int, len(krippendorff2011))
	for i := range krippendorff2011 {
		rows[i] = krippendorff2011[i][:]
	}
	return byUnit(rows)
}

func TestAlphaWorkedExample(t *testing.T) {
	for _, tt := range []struct {
		metric Metric
		want   string
	}{{Nominal, "0.743"}, {Ordinal, "0.815"}, {Interval, "0.849"}, {Ratio, "0.797"}} {
		t.Run(string(tt.metric), func(t *testing.T) {
			r, err := Alpha(example(), tt.metric)
			if err != nil {
				t.Fatal(err)
			}
			if got := strconv.FormatFloat(r.Alpha, 'f', 3, 64); got != tt.want {
				t.Errorf("alpha = %v (%s), want %s", r.Alpha, got, tt.want)
			}
			// Eleven units are pairable; unit 12 has one value.
			if r.Pairable != 40 || r.Units != 11 {
				t.Errorf("pairable %d in %d units, want 40 in 11", r.Pairable, r.Units)
			}
		})
	}
}

func TestAlphaEdges(t *testing.T) {
	tests := []struct {
		name    string
		units   [][]int
		want    float64
		uniform bool
		err     error
	}{
		{"perfect agreement", [][]int{{1, 1}, {2, 2, 2}, {4, 4}, {0, 0}}, 1, false, nil},
		{"all values the same", [][]int{{3, 3}, {3, 3, 3}}, 1, true, nil},
		{"panel of one", [][]int{{1}, {2}, {3}}, 0, false, ErrNoPairs},
		{"no units", nil, 0, false, ErrNoPairs},
		{"systematic disagreement", [][]int{{1, 2}, {2, 1}}, -0.5, false, nil},
	}
	for _, tt := range tests {
		for _, m := range Metrics {
			t.Run(tt.name+"/"+string(m), func(t *testing.T) {
				r, err := Alpha(tt.units, m)
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				if err != nil {
					return
				}
				if math.Abs(r.Alpha-tt.want) > 1e-12 || r.Uniform != tt.uniform {
					t.Errorf("alpha %v uniform %v, want %v %v", r.Alpha, r.Uniform, tt.want, tt.uniform)
				}
			})
		}
	}
}

// randomUnits draws a panel of observers rating units on 0..4 with some
// values missing.
func randomUnits(rng *rand.Rand) [][]int {
	obs, n := 2+rng.IntN(4), 1+rng.IntN(20)
	rows := make([][]int, obs)
	for i := range rows {
		rows[i] = make([]int, n)
		for u := range rows[i] {
			if rng.IntN(5) > 0 {
				rows[i][u] = 1 + rng.IntN(5) // 1..5, 0 is missing
			}
		}
	}
	return byUnit(rows)
}

func TestAlphaProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for i := 0; i < 2000; i++ {
		units := randomUnits(rng)
		for _, m := range Metrics {
			r, err := Alpha(units, m)
			if errors.Is(err, ErrNoPairs) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(r.Alpha) || math.IsInf(r.Alpha, 0) || r.Alpha > 1+1e-12 {
				t.Fatalf("%s alpha %v on %v", m, r.Alpha, units)
			}
			// Permuting units, and the observers within each unit, changes
			// nothing.
			perm := make([][]int, len(units))
			for j, k := range rng.Perm(len(units)) {
				u := append([]int(nil), units[k]...)
				rng.Shuffle(len(u), func(a, b int) { u[a], u[b] = u[b], u[a] })
				perm[j] = u
			}
			p, err := Alpha(perm, m)
			if err != nil || math.Abs(p.Alpha-r.Alpha) > 1e-9 || p.Pairable != r.Pairable {
				t.Fatalf("%s alpha %v after permuting, %v before (%v)", m, p.Alpha, r.Alpha, err)
			}
		}
	}
}

func TestBootstrap(t *testing.T) {
	ctx := context.Background()
	a, err := EstimateAlpha(ctx, example(), Ordinal, 2000, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := EstimateAlpha(ctx, example(), Ordinal, 2000, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Interval == nil || *a.Interval != *b.Interval {
		t.Fatalf("one seed, two intervals: %+v %+v", a.Interval, b.Interval)
	}
	iv := a.Interval
	if !(iv.Low <= a.Alpha && a.Alpha <= iv.High && iv.High <= 1) || iv.Resamples+iv.Skipped != 2000 {
		t.Errorf("interval %+v around alpha %v", iv, a.Alpha)
	}
	c, err := EstimateAlpha(ctx, example(), Ordinal, 2000, 8, 0)
	if err != nil {
		t.Fatal(err)
	}
	if *c.Interval == *a.Interval {
		t.Errorf("seeds 7 and 8 gave the same interval %+v", c.Interval)
	}
	// Every resample of identical values is degenerate: no interval, no NaN.
	u, err := EstimateAlpha(ctx, [][]int{{2, 2}, {2, 2}}, Interval, 100, 1, 0)
	if err != nil || u.Alpha != 1 || !u.Uniform || u.Interval != nil {
		t.Errorf("uniform data: %+v, %v", u, err)
	}
	// Perfect agreement over several values: resamples that drew one value
	// only are skipped, the rest give 1.
	p, err := EstimateAlpha(ctx, [][]int{{1, 1}, {3, 3}}, Ordinal, 1000, 1, 0)
	if err != nil || p.Interval == nil || p.Interval.Low != 1 || p.Interval.High != 1 || p.Interval.Skipped == 0 {
		t.Errorf("perfect agreement: %+v, %v", p.Interval, err)
	}
}
