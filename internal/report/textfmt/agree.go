package textfmt

import (
	"fmt"
	"strconv"

	"github.com/capscore/capscore/internal/agree"
)

// AgreeLevels names the levels agreement is measured on.
func AgreeLevels(c agree.Options) string {
	if c.Stated {
		return "stated"
	}
	return "credited"
}

// Alpha prints alpha to three decimals, as it is usually reported.
func Alpha(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// AlphaInterval is the bootstrap interval of alpha, "—" when there is none.
func AlphaInterval(e *agree.Estimate) string {
	if e == nil || e.Interval == nil {
		return "—"
	}
	return Alpha(e.Interval.Low) + " to " + Alpha(e.Interval.High)
}

// Rating is one member's finding in a cell: credited level (after the
// stated one when the evidence rule lowered it) and confidence.
func Rating(r agree.Rating) string {
	var s string
	switch {
	case r.Credited == nil && r.Stated == nil:
		return "—"
	case r.Credited == nil:
		s = strconv.Itoa(*r.Stated) + "→none"
	case r.Stated != nil && *r.Stated != *r.Credited:
		s = fmt.Sprintf("%d→%d", *r.Stated, *r.Credited)
	default:
		s = strconv.Itoa(*r.Credited)
	}
	if r.Confidence != "" {
		s += " " + r.Confidence
	}
	return s
}
