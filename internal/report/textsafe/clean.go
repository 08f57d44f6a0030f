// Package textsafe makes text that came from input files inert in each
// output: the terminal (Clean), Markdown (Markdown, MarkdownCell,
// MarkdownCode, MarkdownLink), CSV files and spreadsheets (SafeCell), and
// links (IsWebAddress). Every printer and page passes input text through
// it.
package textsafe

import "strings"

// Clean removes ANSI escape sequences and control characters from text that
// came from input files, so it cannot rewrite the user's terminal.
func Clean(s string) string {
	// Bytes that are not UTF-8 (from file names) become U+FFFD, so a lone
	// 0x9b cannot reach a terminal that reads it as CSI.
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0x1b {
			i = skipEscape(s, i)
			continue
		}
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			continue
		}
		b.WriteByte(c)
	}
	return strings.Map(func(r rune) rune {
		if r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, b.String())
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0
}

// skipEscape returns the index of the last byte of the escape at s[i].
func skipEscape(s string, i int) int {
	if i+1 >= len(s) {
		return i
	}
	switch s[i+1] {
	case '[': // CSI: parameters, then one final byte
		j := i + 2
		for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
			j++
		}
		return j
	case ']', 'P', '_', '^': // OSC, DCS, APC, PM: a string up to BEL or ESC \
		for j := i + 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 1
			}
		}
		return len(s) - 1
	}
	return i + 1
}
