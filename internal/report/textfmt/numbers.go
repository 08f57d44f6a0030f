package textfmt

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/diag"
)

// Num1 rounds to one decimal for tables; nil prints as a dash.
func Num1(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}

// Full prints a float at full precision for machine formats.
func Full(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

// Pct prints a share as a percentage to one decimal.
func Pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }

// Exact prints a number in the fewest digits that read back as it.
func Exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Signed prints a change with its sign, one decimal; a change that rounds
// to zero prints without a sign.
func Signed(v *float64) string { return SignedN(v, 1) }

// SignedN is Signed to the given decimals.
func SignedN(v *float64, decimals int) string {
	if v == nil {
		return "—"
	}
	s := strconv.FormatFloat(*v, 'f', decimals, 64)
	if strings.Trim(s, "-+0.") == "" {
		return strings.TrimPrefix(s, "-")
	}
	if *v > 0 {
		return "+" + s
	}
	return s
}

// IntOrDash prints an integer, "—" when there is none.
func IntOrDash(v *int) string {
	if v == nil {
		return "—"
	}
	return strconv.Itoa(*v)
}

// Years prints an age in years to one decimal.
func Years(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// Line is a position without its file, which the heading already names.
func Line(p diag.Pos) string {
	if p.Line == 0 {
		return ""
	}
	return fmt.Sprintf("line %d", p.Line)
}
