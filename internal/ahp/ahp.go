// Package ahp derives weights from an analyst's pairwise comparisons by the
// analytic hierarchy process: the principal eigenvector of the reciprocal
// comparison matrix, with Saaty's consistency index and ratio. It is pure:
// no files, no terminal.
package ahp

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// MaxCR is the largest consistency ratio accepted without --force, Saaty's
// rule of thumb.
const MaxCR = 0.10

// randomIndex is Saaty's random consistency index RI for n = 1..15: the mean
// consistency index of random reciprocal matrices on the 1–9 scale.
var randomIndex = [...]float64{0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59}

// MaxItems is the largest matrix with a published random index.
const MaxItems = len(randomIndex)

// RandomIndex returns Saaty's RI for n items (0 for n ≤ 2, where every
// matrix is consistent).
func RandomIndex(n int) (float64, error) {
	if n < 1 || n > MaxItems {
		return 0, fmt.Errorf("%d items: the random index is published for 1 to %d", n, MaxItems)
	}
	return randomIndex[n-1], nil
}

// Result is what the comparisons imply.
type Result struct {
	// Weights is the principal eigenvector, summing to 1.
	Weights   []float64
	LambdaMax float64
	// CI = (λmax − n)/(n − 1); RI is Saaty's random index; CR = CI/RI
	// (0 for n ≤ 2).
	CI, RI, CR float64
	Iterations int
}

// Consistent reports whether CR is within MaxCR.
func (r *Result) Consistent() bool { return r.CR <= MaxCR }

const (
	tolerance     = 1e-14
	maxIterations = 100_000
)

// Solve finds the principal eigenvector of a positive reciprocal matrix by
// power iteration. By Perron–Frobenius the dominant eigenvalue of a positive
// matrix is simple and its eigenvector positive, so the iteration converges
// from the uniform start; a consistent matrix converges in one step.
func Solve(m [][]float64) (*Result, error) {
	if err := Check(m); err != nil {
		return nil, err
	}
	n := len(m)
	ri, err := RandomIndex(n)
	if err != nil {
		return nil, err
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	v := make([]float64, n)
	res := &Result{RI: ri}
	for res.Iterations = 1; ; res.Iterations++ {
		// v = m·w; with Σw = 1, Σv converges to λmax.
		lambda := 0.0
		for i, row := range m {
			s := 0.0
			for j, a := range row {
				s += a * w[j]
			}
			v[i] = s
			lambda += s
		}
		delta := 0.0
		for i := range v {
			x := v[i] / lambda
			delta = math.Max(delta, math.Abs(x-w[i]))
			w[i] = x
		}
		res.LambdaMax = lambda
		if delta <= tolerance {
			break
		}
		if res.Iterations == maxIterations {
			return nil, errors.New("the eigenvector did not converge; check the matrix")
		}
	}
	res.Weights = w
	if n > 1 {
		// λmax ≥ n for every positive reciprocal matrix; below it is rounding.
		res.CI = math.Max(0, (res.LambdaMax-float64(n))/float64(n-1))
	}
	if ri > 0 {
		res.CR = res.CI / ri
	}
	return res, nil
}

// Check refuses a matrix that is not square, positive and reciprocal with
// ones on the diagonal.
func Check(m [][]float64) error {
	n := len(m)
	if n == 0 {
		return errors.New("no items to compare")
	}
	for i, row := range m {
		if len(row) != n {
			return fmt.Errorf("row %d has %d entries; a matrix of %d items needs %d", i+1, len(row), n, n)
		}
		for j, a := range row {
			switch {
			case math.IsNaN(a) || math.IsInf(a, 0) || a <= 0:
				return fmt.Errorf("entry (%d,%d) is %g; judgements are positive", i+1, j+1, a)
			case i == j && a != 1:
				return fmt.Errorf("entry (%d,%d) is %g; an item compared with itself is 1", i+1, j+1, a)
			}
		}
	}
	for i := range m {
		for j := i + 1; j < n; j++ {
			if math.Abs(m[i][j]*m[j][i]-1) > 1e-9 {
				return fmt.Errorf("entries (%d,%d) = %g and (%d,%d) = %g are not reciprocal", i+1, j+1, m[i][j], j+1, i+1, m[j][i])
			}
		}
	}
	return nil
}

// Discord is one judgement set against what the weights imply.
type Discord struct {
	I, J int
	// Judged is m[i][j]; Implied is w[i]/w[j].
	Judged, Implied float64
	// Factor is max(Judged/Implied, Implied/Judged) ≥ 1: how far off the
	// judgement is, either way.
	Factor float64
}

// Discords lists the judgements above the diagonal, most inconsistent
// first, so an analyst knows which to revisit.
func Discords(m [][]float64, w []float64) []Discord {
	var out []Discord
	for i := range m {
		for j := i + 1; j < len(m); j++ {
			implied := w[i] / w[j]
			f := m[i][j] / implied
			out = append(out, Discord{I: i, J: j, Judged: m[i][j], Implied: implied, Factor: math.Max(f, 1/f)})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Factor > out[b].Factor })
	return out
}
