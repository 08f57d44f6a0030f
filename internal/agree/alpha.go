// Package agree measures how far several assessors of one country and
// revision agree (Krippendorff's alpha with a bootstrap interval), lists
// where they differ, and builds the consensus assessment of a panel. It is
// pure: no I/O.
package agree

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Metric is the difference function of Krippendorff's alpha.
type Metric string

const (
	Nominal  Metric = "nominal"
	Ordinal  Metric = "ordinal"
	Interval Metric = "interval"
	Ratio    Metric = "ratio"
)

// Metrics lists the metrics in the order help text names them.
var Metrics = []Metric{Nominal, Ordinal, Interval, Ratio}

// ParseMetric reads a metric name.
func ParseMetric(s string) (Metric, error) {
	for _, m := range Metrics {
		if string(m) == s {
			return m, nil
		}
	}
	names := make([]string, len(Metrics))
	for i, m := range Metrics {
		names[i] = string(m)
	}
	return "", fmt.Errorf("metric %q: use one of %s", s, strings.Join(names, ", "))
}

// ErrNoPairs is returned when no unit has two values: alpha is undefined.
var ErrNoPairs = errors.New("no criterion has levels from two assessors or more, so agreement cannot be measured")

// Reliability is Krippendorff's alpha over a set of units.
type Reliability struct {
	Alpha float64 `json:"alpha"`
	// Pairable is n.., the number of values in units with two or more.
	Pairable int `json:"pairable"`
	// Units is the number of units (criteria) with two values or more.
	Units int `json:"criteria"`
	// Observed and Expected are the disagreements D_o and D_e.
	Observed float64 `json:"observed_disagreement"`
	Expected float64 `json:"expected_disagreement"`
	// Uniform is set when every pairable value is the same, so no
	// disagreement is expected; alpha is then taken as 1.
	Uniform bool `json:"uniform"`
}

// Alpha computes Krippendorff's alpha from reliability data: units[u]
// holds the values the observers gave unit u, missing values left out.
// It follows Krippendorff, "Computing Krippendorff's Alpha-Reliability"
// (2011), through the coincidence matrix.
func Alpha(units [][]int, m Metric) (Reliability, error) {
	d := newData(units)
	if len(d.units) == 0 {
		return Reliability{}, ErrNoPairs
	}
	o := d.matrix(nil)
	return d.reliability(o, m), nil
}

// data is reliability data reduced to what alpha needs: the distinct
// values and each pairable unit's contribution to the coincidence matrix.
type data struct {
	values []int // distinct values, ascending
	units  []contribution
}

// contribution is one unit's cells of the coincidence matrix.
type contribution struct {
	cells  []cell
	values int // m_u
}

type cell struct {
	c, k int // indices into values
	w    float64
}

func newData(units [][]int) *data {
	d := &data{}
	for _, u := range units {
		if len(u) >= 2 {
			d.values = append(d.values, u...)
		}
	}
	slices.Sort(d.values)
	d.values = slices.Compact(d.values)
	for _, u := range units {
		if len(u) < 2 {
			continue
		}
		count := make(map[int]int, len(u))
		for _, v := range u {
			i, _ := slices.BinarySearch(d.values, v)
			count[i]++
		}
		idx := make([]int, 0, len(count))
		for i := range count {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		// Ordered pairs of values from different observers, each pair
		// weighted 1/(m_u - 1).
		mu := float64(len(u) - 1)
		var cu contribution
		cu.values = len(u)
		for _, c := range idx {
			for _, k := range idx {
				var pairs int
				if c == k {
					pairs = count[c] * (count[c] - 1)
				} else {
					pairs = count[c] * count[k]
				}
				if pairs > 0 {
					cu.cells = append(cu.cells, cell{c, k, float64(pairs) / mu})
				}
			}
		}
		d.units = append(d.units, cu)
	}
	return d
}

// matrix sums the coincidences of the units at the given indices, or of
// every unit when pick is nil.
func (d *data) matrix(pick []int) [][]float64 {
	v := len(d.values)
	o := make([][]float64, v)
	for i := range o {
		o[i] = make([]float64, v)
	}
	add := func(u *contribution) {
		for _, c := range u.cells {
			o[c.c][c.k] += c.w
		}
	}
	if pick == nil {
		for i := range d.units {
			add(&d.units[i])
		}
	} else {
		for _, i := range pick {
			add(&d.units[i])
		}
	}
	return o
}

// reliability computes alpha from a coincidence matrix.
func (d *data) reliability(o [][]float64, m Metric) Reliability {
	v := len(d.values)
	marg := make([]float64, v)
	var n float64
	for c := range o {
		for k := range o[c] {
			marg[c] += o[c][k]
		}
		n += marg[c]
	}
	// Cumulative marginals: the ordinal metric sums n_g from c to k.
	cum := make([]float64, v+1)
	for c := range marg {
		cum[c+1] = cum[c] + marg[c]
	}
	delta := func(c, k int) float64 {
		if c == k {
			return 0
		}
		switch m {
		case Nominal:
			return 1
		case Ordinal:
			lo, hi := min(c, k), max(c, k)
			s := cum[hi+1] - cum[lo] - (marg[c]+marg[k])/2
			return s * s
		case Ratio:
			a, b := float64(d.values[c]), float64(d.values[k])
			if a+b == 0 {
				return 0
			}
			r := (a - b) / (a + b)
			return r * r
		default: // interval
			x := float64(d.values[c] - d.values[k])
			return x * x
		}
	}
	var do, de float64
	for c := 0; c < v; c++ {
		for k := 0; k < v; k++ {
			if c == k {
				continue
			}
			dl := delta(c, k)
			do += o[c][k] * dl
			de += marg[c] * marg[k] * dl
		}
	}
	r := Reliability{Pairable: int(math.Round(n)), Units: len(d.units)}
	if n > 0 {
		r.Observed = do / n
	}
	if n > 1 {
		r.Expected = de / (n * (n - 1))
	}
	if de <= 0 {
		// Every value is the same: nothing could have disagreed.
		r.Alpha, r.Uniform = 1, true
		return r
	}
	r.Alpha = 1 - (n-1)*do/de
	return r
}

// Bootstrap is a percentile interval of alpha over units drawn with
// replacement.
type Bootstrap struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	// Resamples counts the draws that gave an alpha; Skipped those in which
	// every value was the same, where alpha says nothing.
	Resamples int `json:"resamples"`
	Skipped   int `json:"skipped"`
}

// Level is the coverage of the bootstrap interval.
const Level = 0.95

// Estimate is alpha with its bootstrap interval.
type Estimate struct {
	Reliability
	// Interval is nil when no draw gave an alpha (or none was asked for).
	Interval *Bootstrap `json:"interval"`
}

// EstimateAlpha computes alpha and a bootstrap interval from samples draws of
// the pairable units with replacement, seeded by seed and stream. The draws
// are made one after another from one generator, so the numbers depend on
// nothing but the data, the seed, the stream and samples.
func EstimateAlpha(ctx context.Context, units [][]int, m Metric, samples int, seed, stream uint64) (Estimate, error) {
	d := newData(units)
	if len(d.units) == 0 {
		return Estimate{}, ErrNoPairs
	}
	e := Estimate{Reliability: d.reliability(d.matrix(nil), m)}
	if samples <= 0 {
		return e, nil
	}
	rng := rand.New(rand.NewPCG(seed, stream))
	pick := make([]int, len(d.units))
	alphas := make([]float64, 0, samples)
	skipped := 0
	for s := 0; s < samples; s++ {
		if s&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return Estimate{}, err
			}
		}
		for i := range pick {
			pick[i] = rng.IntN(len(d.units))
		}
		r := d.reliability(d.matrix(pick), m)
		if r.Uniform {
			skipped++
			continue
		}
		alphas = append(alphas, r.Alpha)
	}
	if len(alphas) > 0 {
		slices.Sort(alphas)
		tail := (1 - Level) / 2
		e.Interval = &Bootstrap{Low: nearestRank(alphas, tail), High: nearestRank(alphas, 1-tail), Resamples: len(alphas), Skipped: skipped}
	}
	return e, nil
}

// nearestRank is the p-quantile of sorted values by the nearest-rank rule.
func nearestRank(sorted []float64, p float64) float64 {
	// The tolerance keeps 0.975×10000 from rounding up to rank 9751.
	i := int(math.Ceil(p*float64(len(sorted))-1e-9)) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
