// Package textrule holds the rules for text read from input files: which
// characters are refused because they hide or disguise what is written,
// and the one form ids are compared in.
package textrule

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Control reports whether r is a control character refused in text: C0
// controls other than line feed and tab, DEL, C1 controls, and the line
// and paragraph separators, which terminals and YAML treat as line breaks.
func Control(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029
}

// Bidi reports whether r is a bidirectional formatting character (Unicode's
// Bidi_Control): the embeddings and overrides U+202A–U+202E, the isolates
// U+2066–U+2069, and the marks U+200E, U+200F and U+061C. Each can make
// text display in another order than it is stored and read: an override
// reverses what follows it, and a lone mark can move digits and
// punctuation next to it.
func Bidi(r rune) bool {
	switch {
	case r < 0x61c:
		return false
	case r == 0x61c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Refused reports whether r may not appear in text: a control or a
// bidirectional formatting character.
func Refused(r rune) bool { return Control(r) || Bidi(r) }

// Kind names a refused character for messages.
func Kind(r rune) string {
	if Bidi(r) {
		return "bidirectional control character"
	}
	return "control character"
}

// ID returns id in Unicode normalisation form C, the form in which every
// id is compared: "café" typed with one code point for é and with e and a
// combining accent are one id. ASCII text is returned as it is.
func ID(id string) string {
	for i := 0; i < len(id); i++ {
		if id[i] >= utf8.RuneSelf {
			return norm.NFC.String(id)
		}
	}
	return id
}
