package textfmt

import (
	"fmt"
	"math"
	"strconv"

	"github.com/capscore/capscore/internal/compare"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
)

// levelOf turns a score back into a level on the scale, for labels.
func levelOf(score float64, min, max int) float64 {
	return float64(min) + score/100*float64(max-min)
}

// floorLevel is the level a mean has reached, tolerant of float noise.
func floorLevel(l float64) int { return int(math.Floor(l + 1e-9)) }

// MeanLevel turns a score back into the mean level on the rubric's scale
// it stands for, and the label of the level that mean has reached.
func MeanLevel(r *rubric.Rubric, score float64) (float64, string) {
	l := levelOf(score, r.Scale.Min, r.Scale.Max)
	return l, r.Scale.Label(floorLevel(l))
}

// LevelText names the mean level a score stands for: "2.5 developing".
func LevelText(r *rubric.Rubric, v *float64) string {
	if v == nil {
		return "unscored"
	}
	l, label := MeanLevel(r, *v)
	return strconv.FormatFloat(l, 'f', 1, 64) + " " + label
}

// CriterionLevel is a criterion's credited level and its label, with
// the level claimed before the evidence rule capped it, or why it has none.
func CriterionLevel(r *rubric.Rubric, c score.Criterion) string {
	switch {
	case c.Level == nil && c.Counted:
		return "missing (0)"
	case c.Level == nil:
		return "missing"
	case c.Capped:
		return fmt.Sprintf("%s→%d %s (capped)", IntOrDash(ClaimedLevel(c.StatedLevel, c.MeasuredLevel)), *c.Level, r.Scale.Label(*c.Level))
	}
	return fmt.Sprintf("%d %s", *c.Level, r.Scale.Label(*c.Level))
}

// ClaimedLevel is the level the evidence rule checks: the measured one for
// a measured criterion (a finding there need not state a level), else the
// stated one; nil when there is neither.
func ClaimedLevel(stated, measured *int) *int {
	if measured != nil {
		return measured
	}
	return stated
}

// LevelPair is a change of level, "2 → 3", with a dash for no level.
func LevelPair(l compare.LevelChange) string {
	return IntOrDash(l.From) + " → " + IntOrDash(l.To)
}

// TierName is "Tier 3", or "no tier".
func TierName(t *score.Tier) string {
	if t == nil {
		return NoTier
	}
	return "Tier " + t.ID
}

// ResultLabel names a result by its country and revision.
func ResultLabel(res *score.Result) string {
	if res.Revision == "" {
		return res.Country
	}
	return res.Country + " " + res.Revision
}

// TierID is a tier's id, or "no tier".
func TierID(t *score.Tier) string {
	if t == nil {
		return "no tier"
	}
	return t.ID
}

// NoTier is how every table, CSV file and page shows an assessment that
// meets no tier (JSON has null).
const NoTier = "no tier"
