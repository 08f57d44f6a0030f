package yamlread

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// doubleQuoted reads a double-quoted scalar that closes on its line and
// returns its value and the offset past the closing quote, or end -1 for
// what the subset leaves to yaml.v3 (an open quote, a rare escape).
func doubleQuoted(t string, off int) (string, int) {
	i := off + 1
	// Most quoted text has no escape: it is the text up to the next quote.
	j := strings.IndexByte(t[i:], '"')
	if j < 0 {
		return "", -1
	}
	if strings.IndexByte(t[i:i+j], '\\') < 0 {
		return t[i : i+j], i + j + 1
	}
	var b strings.Builder
	for i < len(t) {
		c := t[i]
		switch c {
		case '"':
			return b.String(), i + 1
		case '\\':
			if i+1 == len(t) {
				return "", -1
			}
			e := t[i+1]
			i += 2
			if r, ok := simpleEscape(e); ok {
				b.WriteByte(r)
				continue
			}
			width := hexWidth(e)
			if width == 0 || i+width > len(t) {
				return "", -1
			}
			v, err := strconv.ParseUint(t[i:i+width], 16, 32)
			if err != nil || !utf8.ValidRune(rune(v)) {
				return "", -1
			}
			b.WriteRune(rune(v))
			i += width
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", -1
}

// hexWidth is how many hex digits follow \x, \u and \U.
func hexWidth(e byte) int {
	switch e {
	case 'x':
		return 2
	case 'u':
		return 4
	case 'U':
		return 8
	}
	return 0
}

func simpleEscape(e byte) (byte, bool) {
	switch e {
	case '\\', '"':
		return e, true
	case 'n':
		return '\n', true
	case 't':
		return '\t', true
	case 'r':
		return '\r', true
	case '0':
		return 0, true
	case 'a':
		return '\a', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'v':
		return '\v', true
	case 'e':
		return 0x1b, true
	}
	return 0, false
}

// singleQuoted reads a single-quoted scalar that closes on its line.
func singleQuoted(t string, off int) (string, int) {
	var b strings.Builder
	for i := off + 1; i < len(t); {
		j := strings.IndexByte(t[i:], '\'')
		if j < 0 {
			return "", -1
		}
		if i+j+1 < len(t) && t[i+j+1] == '\'' {
			b.WriteString(t[i : i+j+1])
			i += j + 2
			continue
		}
		if b.Len() == 0 {
			return t[i : i+j], i + j + 1
		}
		b.WriteString(t[i : i+j])
		return b.String(), i + j + 1
	}
	return "", -1
}

// blockScalar reads a literal (|) or folded (>) scalar whose header is at
// byte off of line ln, with clip or strip chomping and its indentation
// taken from its first line. Leading blank lines, more-indented lines in
// folded text, trailing spaces and keep chomping are left to yaml.v3.
func (p *parser) blockScalar(ln, off, parent int) *yaml.Node {
	t := p.text(ln)
	folded := t[off] == '>'
	i := off + 1
	strip := i < len(t) && t[i] == '-'
	if strip {
		i++
	}
	if !restBlank(t, i) {
		return nil
	}
	first := ln + 1
	if first == len(p.lines) || p.indent(first) == len(p.text(first)) {
		return nil
	}
	ind := p.indent(first)
	if ind <= parent {
		return nil
	}
	// One allocation: the text is at most the lines it spans.
	end := first
	for end < len(p.lines) && (p.lines[end].indent >= ind || p.lines[end].start+p.lines[end].indent == p.lines[end].end) {
		end++
	}
	var b strings.Builder
	b.Grow(p.lines[end-1].end - p.lines[first].start + 1)
	empties := 0 // blank lines since the last line of text
	last := first
	k := first
	for ; k < len(p.lines); k++ {
		l := p.text(k)
		if len(l) == 0 || p.indent(k) == len(l) {
			if len(l) > ind {
				return nil
			}
			empties++
			continue
		}
		if p.indent(k) < ind {
			break
		}
		line := l[ind:]
		if line[len(line)-1] == ' ' || (folded && line[0] == ' ') {
			return nil
		}
		if k > first {
			switch {
			case !folded:
				b.WriteString(strings.Repeat("\n", empties+1))
			case empties == 0:
				b.WriteByte(' ')
			default:
				b.WriteString(strings.Repeat("\n", empties))
			}
		}
		b.WriteString(line)
		empties = 0
		last = k
	}
	if !strip {
		b.WriteByte('\n')
	}
	n := p.node(yaml.ScalarNode, "!!str", ln, off)
	n.Value = b.String()
	n.Style = yaml.LiteralStyle
	if folded {
		n.Style = yaml.FoldedStyle
	}
	p.ln = last + 1
	return n
}

// resolve gives a plain scalar the tag yaml.v3 would, for the forms the
// subset reads: words, whole numbers without a leading zero, decimals and
// dates. Anything else that could be a number, a date or a special float
// is declined.
func resolve(v string) (string, bool) {
	switch c := v[0]; {
	case c >= '0' && c <= '9':
		return resolveNumber(v)
	case c == '+' || c == '-' || c == '.':
		return "", false
	case strings.IndexByte("yYnNtTfFoO~<", c) >= 0:
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool", true
		case "~", "null", "Null", "NULL":
			return "!!null", true
		case "<<":
			return "!!merge", true
		}
	}
	return "!!str", true
}

func resolveNumber(v string) (string, bool) {
	dots, dashes := 0, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
		case c == '.':
			dots++
		case c == '-':
			dashes++
		default:
			return "", false
		}
	}
	switch {
	case dots == 0 && dashes == 0:
		if len(v) > 18 || (v[0] == '0' && len(v) > 1) {
			return "", false
		}
		return "!!int", true
	case dots > 1 && dashes == 0:
		return "!!str", true // a version number
	case dots == 1 && dashes == 0:
		if len(v) > 300 || v[len(v)-1] == '.' {
			return "", false
		}
		return "!!float", true
	default:
		// yaml.v3 tries a date, then numbers, which a dash inside rules out.
		if len(v) > 4 && v[4] == '-' && digits4(v) {
			if _, err := time.Parse("2006-1-2", v); err == nil {
				return "!!timestamp", true
			}
		}
		return "!!str", true
	}
}

func digits4(v string) bool {
	for i := 0; i < 4; i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}
