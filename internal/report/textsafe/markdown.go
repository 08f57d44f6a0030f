package textsafe

import (
	"fmt"
	"net/url"
	"strings"
)

// Markdown output must stay text wherever text comes from input: no raw
// HTML, no link, image, emphasis, heading, list, quote, code or table row
// may come out of a title, a claim or a file name. Every such text goes
// through markdownEscape, which
//
//   - cleans it as for the terminal (Clean),
//   - turns every line break and tab into a space and trims the ends, so
//     that text never starts a line of its own (a table cell stays one
//     line too: breaks become spaces there as everywhere),
//   - backslash-escapes, wherever they stand, the characters CommonMark
//     and GitHub's extensions act on anywhere in a line: \ ` * ~ < |,
//   - and those that act only in context: _ unless inside a word, ]
//     before ( [ or : (a link), & before what could be an entity, a
//     closing run of #, a colon that follows a letter and precedes
//     anything but a space or digit (https:, javascript:, mailto:), the
//     dot of www. and @ (GitHub's bare links),
//   - and, for text that may open a line (paragraphs, list items,
//     headings), what would open a block there: # - + > [ = and the . or )
//     of a list number.
//
// Full stops, hyphens, parentheses and brackets in ordinary prose stay as
// they are, so the Markdown source reads as well as what it renders.

// MarkdownText escapes text from input for a paragraph, heading or list item.
func MarkdownText(s string) string { return markdownEscape(s, true) }

// MarkdownCell escapes text for a table cell, where no block can start.
func MarkdownCell(s string) string { return markdownEscape(s, false) }

// For is the function that makes input text safe for the format:
// Clean for the terminal, MarkdownText for Markdown.
func For(md bool) func(string) string {
	if md {
		return MarkdownText
	}
	return Clean
}

// OneLine cleans s and makes it one line without spaces at its ends.
func OneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, Clean(s)))
}

func markdownEscape(s string, block bool) string {
	s = OneLine(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lead := 0
	if block {
		lead = blockOpener(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		var esc bool
		switch c {
		case '\\', '`', '*', '~', '<', '|', '@':
			esc = true
		case '_':
			esc = i == 0 || i+1 == len(s) || !isAlnum(s[i-1]) || !isAlnum(s[i+1])
		case ']':
			esc = i+1 < len(s) && strings.IndexByte("([:", s[i+1]) >= 0
		case '&':
			// &amp; and &#60; would decode; a lone & cannot.
			esc = i+1 < len(s) && (isAlnum(s[i+1]) || s[i+1] == '#')
		case '#':
			// The closing sequence of a heading.
			esc = (i == 0 || s[i-1] == ' ') && strings.Trim(s[i:], "#") == ""
		case ':':
			esc = i > 0 && isAlpha(s[i-1]) && i+1 < len(s) && s[i+1] != ' ' && !isDigit(s[i+1])
		case '.':
			esc = i >= 3 && strings.EqualFold(s[i-3:i], "www") && (i == 3 || !isAlnum(s[i-4]))
		}
		if esc || i == lead-1 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// blockOpener returns 1 + the index of the character that makes s open a
// block when it starts a line, or 0: a heading (# to ######), a list item
// (-, + or a number and . or ), each followed by a space or the end), a
// quote (>), a thematic break or setext underline (a line of - or =), or
// a link reference definition or task box ([).
func blockOpener(s string) int {
	if s == "" {
		return 0
	}
	spaceAfter := func(i int) bool { return i == len(s) || s[i] == ' ' }
	switch c := s[0]; c {
	case '>', '[':
		return 1
	case '#':
		n := len(s) - len(strings.TrimLeft(s, "#"))
		if n <= 6 && spaceAfter(n) {
			return 1
		}
	case '-', '+', '=':
		if (c != '=' && spaceAfter(1)) || strings.Trim(s, string(c)+" ") == "" {
			return 1
		}
	default:
		n := 0
		for n < len(s) && isDigit(s[n]) {
			n++
		}
		if n > 0 && n <= 9 && n < len(s) && (s[n] == '.' || s[n] == ')') && spaceAfter(n+1) {
			return n + 1
		}
	}
	return 0
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

// MarkdownCode puts text from input in a code span, whose content Markdown
// never reads as markup: the fence is one backtick longer than the
// longest run of backticks inside, and a space pads content that starts
// or ends with one.
func MarkdownCode(s string) string {
	s = OneLine(s)
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s[0] == '`' || s[len(s)-1] == '`' {
		s = " " + s + " "
	}
	return fence + s + fence
}

// MarkdownLink writes a web address as an autolink, <https://...>, after
// checking that it is one (IsWebAddress); any other address is text.
// Inside an autolink backslashes do not escape, so every byte that could
// end it or is not plainly part of an address is percent-encoded.
func MarkdownLink(url string) string {
	u := strings.TrimSpace(url)
	if !IsWebAddress(u) {
		return MarkdownText(url)
	}
	var b strings.Builder
	b.WriteByte('<')
	for i := 0; i < len(u); i++ {
		c := u[i]
		if isAlnum(c) || strings.IndexByte("-._~:/?#@!$&'()*+,;=%", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	b.WriteByte('>')
	return b.String()
}

// IsWebAddress reports whether an address may become a link: only
// absolute http and https addresses do; anything else (javascript:, data:,
// relative paths) is shown as text.
func IsWebAddress(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}
