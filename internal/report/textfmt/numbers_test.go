package textfmt

import (
	"testing"

	"github.com/capscore/capscore/internal/score"
)

func TestNumbers(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct{ got, want string }{
		{Num1(nil), "—"},
		{Num1(f(66.66)), "66.7"},
		{Full(nil), ""},
		{Full(f(1.0 / 3)), "0.3333333333333333"},
		{Pct(0.125), "12.5%"},
		{Exact(1e21), "1e+21"},
		{Signed(nil), "—"},
		{Signed(f(2.25)), "+2.2"},
		{Signed(f(-0.04)), "0.0"},
		{Signed(f(-1.26)), "-1.3"},
		{SignedN(f(0.004), 2), "0.00"},
		{IntOrDash(nil), "—"},
		{TierID(nil), NoTier},
		{TierID(&score.Tier{ID: "3"}), "3"},
		{TierName(nil), NoTier},
		{TierName(&score.Tier{ID: "3"}), "Tier 3"},
		{ResultLabel(&score.Result{Country: "Japan"}), "Japan"},
		{ResultLabel(&score.Result{Country: "Japan", Revision: "2024"}), "Japan 2024"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
