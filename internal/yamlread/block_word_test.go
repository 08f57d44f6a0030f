package yamlread

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// plainWord must agree with a byte-by-byte check on every word, above all
// on words mixing the bytes either side of each boundary.
func TestPlainWord(t *testing.T) {
	plain := func(b byte) bool { return b == '\n' || b >= 0x20 && b < 0x7f }
	check := func(w uint64) {
		want := true
		for i := 0; i < 8; i++ {
			want = want && plain(byte(w>>(8*i)))
		}
		if got := plainWord(w); got != want {
			t.Fatalf("plainWord(%#016x) = %v, want %v", w, got, want)
		}
	}
	for b := 0; b < 256; b++ {
		for pos := 0; pos < 8; pos++ {
			check(0x6161616161616161&^(0xff<<(8*pos)) | uint64(b)<<(8*pos))
		}
	}
	edges := []byte{0, 0x09, 0x0a, 0x0b, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0x8a, 0xa0, 0xff, 'a'}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1_000_000; i++ {
		check(rng.Uint64())
		var w uint64
		for j := 0; j < 8; j++ {
			w |= uint64(edges[rng.IntN(len(edges))]) << (8 * j)
		}
		check(w)
	}
}

// colon and comment find what strings.Index finds, on strings dense with
// the bytes they look for.
func TestColonAndComment(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = ": #a"
	for i := 0; i < 200_000; i++ {
		b := make([]byte, rng.IntN(12))
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(b)
		if got, want := colon(s), strings.Index(s, ": "); got != want {
			t.Fatalf("colon(%q) = %d, want %d", s, got, want)
		}
		if got, want := comment(s), strings.Index(s, " #"); got != want {
			t.Fatalf("comment(%q) = %d, want %d", s, got, want)
		}
	}
}
