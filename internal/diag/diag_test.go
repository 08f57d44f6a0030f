package diag

import (
	"fmt"
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	ids := []string{"strategy", "governance", "intelligence", "offence", "national-strategy"}
	for _, tt := range []struct{ in, want string }{
		{"offense", "offence"},
		{"stratgy", "strategy"},
		{"national-stratgy", "national-strategy"},
		{"governence", "governance"},
		{"zzz", ""},
		{"", ""},
		{strings.Repeat("x", 1<<16), ""},
	} {
		if got := Suggest(tt.in, ids); got != tt.want {
			t.Errorf("Suggest(%.20q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestListErrorIsCappedAndCounted(t *testing.T) {
	var l List
	for i := 1; i <= MaxShown+7; i++ {
		l.Errorf(Pos{File: "f.yaml", Line: i, Col: 2}, "problem %d", i)
	}
	l.Warnf(Pos{File: "f.yaml", Line: 1, Col: 1}, "a warning")
	lines := strings.Split(l.Error(), "\n")
	if len(lines) != MaxShown+1 || lines[MaxShown] != fmt.Sprintf("... and %d more problems", 8) {
		t.Errorf("got %d lines ending %q", len(lines), lines[len(lines)-1])
	}
	if !l.HasErrors() || len(l.Errors()) != MaxShown+7 || len(l.Warnings()) != 1 {
		t.Errorf("counts: %d errors, %d warnings", len(l.Errors()), len(l.Warnings()))
	}
	l.Sort()
	if l[0].String() != "f.yaml:1:1: warning: a warning" || l[1].String() != "f.yaml:1:2: problem 1" {
		t.Errorf("sorted by line then column: %q, %q", l[0], l[1])
	}
}

func TestPosString(t *testing.T) {
	for _, tt := range []struct {
		p    Pos
		want string
	}{
		{Pos{"a.yaml", 3, 7}, "a.yaml:3:7"},
		{Pos{"a.yaml", 3, 0}, "a.yaml:3"},
		{Pos{"a.yaml", 0, 0}, "a.yaml"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v: %q, want %q", tt.p, got, tt.want)
		}
	}
}

// A file name is printed with what could drive the terminal or reorder the
// line escaped, and only that.
func TestName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"assessments/japan/2021.yaml", "assessments/japan/2021.yaml"},
		{`C:\data\japan.yaml`, `C:\data\japan.yaml`},
		{"café/ключ 中.yaml", "café/ключ 中.yaml"},
		{"ja\u202elmay.yaml", `ja\u202elmay.yaml`},
		{"a\u2066b\u2069\u200e\u200f\u061c", `a\u2066b\u2069\u200e\u200f\u061c`},
		{"x\x1b[2Jy\a\n\t\u0085\u2028", `x\u001b[2Jy\u0007\u000a\u0009\u0085\u2028`},
		{"zero\u200bwidth\ufeff", `zero\u200bwidth\ufeff`},
		{"bad\x9b\xffbytes", `bad\x9b\xffbytes`},
		{"tag\U000e0041", `tag\U000e0041`},
		{"", ""},
	} {
		got := Name(tt.in)
		if got != tt.want {
			t.Errorf("Name(%+q) = %s, want %s", tt.in, got, tt.want)
		}
		if again := Name(got); again != got {
			t.Errorf("Name(Name(%+q)) = %s, not %s", tt.in, again, got)
		}
	}
	if got := (Pos{"a\u202eb.yaml", 3, 7}).String(); got != `a\u202eb.yaml:3:7` {
		t.Errorf("Pos.String: %s", got)
	}
}
