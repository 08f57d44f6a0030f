package weights

import (
	"math"
	"strings"
	"testing"
)

// FuzzParseAssignment checks the --weight and CAPSCORE_WEIGHTS parsers: an
// accepted weight is a finite non-negative number with an id.
func FuzzParseAssignment(f *testing.F) {
	for _, s := range []string{"offence=2", "a=1,b=2", " x = 0.5 ", "=1", "a=", "a=NaN", "a=Inf", "a=1e309", "a=-1", "a=0x1p3", "a==1", ",,"} {
		f.Add(s)
	}
	origin := Origin{Layer: Flag, Source: "fuzz"}
	f.Fuzz(func(t *testing.T, text string) {
		o, err := ParseAssignment(text, origin)
		if err == nil {
			check(t, o)
		} else if err.Error() == "" {
			t.Fatal("empty error")
		}
		list, _ := ParseList(text, origin)
		for _, o := range list {
			check(t, o)
		}
	})
}

func check(t *testing.T, o Override) {
	t.Helper()
	if o.ID == "" || strings.Contains(o.ID, "=") {
		t.Fatalf("accepted id %q", o.ID)
	}
	if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) || o.Value < 0 {
		t.Fatalf("accepted weight %g", o.Value)
	}
}
