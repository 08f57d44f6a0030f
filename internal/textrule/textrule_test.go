package textrule

import (
	"testing"
	"unicode"
)

func TestBidi(t *testing.T) {
	want := map[rune]bool{0x061c: true, 0x200e: true, 0x200f: true, 0x202a: true, 0x202b: true, 0x202c: true,
		0x202d: true, 0x202e: true, 0x2066: true, 0x2067: true, 0x2068: true, 0x2069: true}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if Bidi(r) != want[r] {
			t.Errorf("Bidi(%U) = %v", r, Bidi(r))
		}
		// They are exactly Unicode's Bidi_Control property.
		if want[r] != unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("%U: Bidi_Control is %v", r, !want[r])
		}
	}
	if Kind(0x202e) != "bidirectional control character" || Kind(7) != "control character" {
		t.Error("Kind names the wrong kind")
	}
}

func TestID(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"n1", "n1"},
		{"caf\u00e9", "caf\u00e9"},
		{"cafe\u0301", "caf\u00e9"},
		{"\u212a", "K"}, // Kelvin sign: a canonical singleton
		{"", ""},
	} {
		if got := ID(tt.in); got != tt.want {
			t.Errorf("ID(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}
