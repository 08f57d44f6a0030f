package yamlread

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/capscore/capscore/internal/diag"
)

// deepAt finds where nesting first passes maxDepth in a document the YAML
// library refused as deeper than its own limit (10,000 levels), which it
// reports at the end of the nesting or with no line at all. It follows the
// text as checkDepth follows the tree: block collections by indentation and
// "- " indicators, flow collections by their brackets, outside quotes,
// comments and block scalars; the node that would be the first past the
// limit is where the message points. ok is false when the text holds no
// such node after all.
func (r *Reader) deepAt(data []byte) (pos diag.Pos, ok bool) {
	type block struct {
		col int // 0-based column of the collection's first key or "-"
		seq bool
	}
	var (
		stack     []block // open block collections; the root is stack[0]
		flow      int     // open flow collections
		base      int     // depth of the outermost flow collection
		quote     byte    // the quote of a quoted scalar that goes on to the next line
		blockText = -1    // indentation a block scalar's lines must exceed, -1 outside one
		line      int
	)
	at := func(l string, i int) diag.Pos {
		return diag.Pos{File: r.File, Line: line, Col: 1 + utf8.RuneCountInString(l[:i])}
	}
	// skipQuote returns the offset after the quoted text that starts (or,
	// for q already open, goes on) at i, or len(l) when it goes on past l.
	skipQuote := func(l string, i int, q byte) (int, byte) {
		for ; i < len(l); i++ {
			switch {
			case q == '"' && l[i] == '\\':
				i++
			case l[i] == q && q == '\'' && i+1 < len(l) && l[i+1] == '\'':
				i++
			case l[i] == q:
				return i + 1, 0
			}
		}
		return len(l), q
	}
	// flowScan follows flow collections from offset i; it returns false
	// with pos set when a node there is past the limit.
	flowScan := func(l string, i int) bool {
		for i < len(l) && flow > 0 {
			c := l[i]
			switch {
			case c == ' ' || c == '\t' || c == ',' || c == ':' || c == '?':
				i++
			case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
				return true
			case c == ']' || c == '}':
				flow--
				i++
			case c == '[' || c == '{':
				if base+flow > maxDepth {
					pos = at(l, i)
					return false
				}
				flow++
				i++
			case c == '"' || c == '\'':
				if base+flow > maxDepth {
					pos = at(l, i)
					return false
				}
				i, quote = skipQuote(l, i+1, c)
			default:
				if base+flow > maxDepth {
					pos = at(l, i)
					return false
				}
				for i < len(l) && !strings.ContainsRune(",[]{}", rune(l[i])) && !strings.HasPrefix(l[i:], ": ") && !strings.HasPrefix(l[i:], " #") {
					i++
				}
			}
		}
		return true
	}
	for len(data) > 0 {
		line++
		var l string
		if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
			l = string(data[:i])
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			data = data[i+1:]
		} else {
			l, data = string(data), nil
		}
		i := 0
		if quote != 0 {
			if i, quote = skipQuote(l, 0, quote); quote != 0 {
				continue
			}
		}
		if flow > 0 {
			if !flowScan(l, i) {
				return pos, true
			}
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		rest := l[indent:]
		if blockText >= 0 {
			if strings.TrimSpace(rest) == "" || indent > blockText {
				continue
			}
			blockText = -1
		}
		if rest == "" || rest[0] == '#' || strings.HasPrefix(l, "---") || strings.HasPrefix(l, "...") || rest[0] == '%' {
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].col > indent {
			stack = stack[:len(stack)-1]
		}
		lineIndent := indent
		// enter makes the content at column c an entry of a block
		// collection, opening one where none is open at c; it returns
		// false with pos set when that collection is past the limit.
		enter := func(c int, seq bool) bool {
			top := len(stack) - 1
			if top >= 0 && stack[top].col == c && stack[top].seq != seq {
				// A list may sit under a key at the key's own column.
				if seq {
					top = -1
				} else if top > 0 && stack[top-1].col == c {
					stack = stack[:top]
					top--
				}
			}
			if top < 0 || stack[top].col != c {
				if len(stack) > maxDepth {
					pos = at(l, c)
					return false
				}
				stack = append(stack, block{col: c, seq: seq})
			}
			return true
		}
		i = indent
		for i < len(l) {
			rest = l[i:]
			switch {
			case rest[0] == '#':
				i = len(l)
			case rest == "-" || rest == "?" || strings.HasPrefix(rest, "- ") || strings.HasPrefix(rest, "? "):
				if !enter(i, rest[0] == '-') {
					return pos, true
				}
				i++
				for i < len(l) && l[i] == ' ' {
					i++
				}
			case rest[0] == '&' || rest[0] == '!':
				// An anchor or a tag comes before the node it names.
				for i < len(l) && l[i] != ' ' {
					i++
				}
				for i < len(l) && l[i] == ' ' {
					i++
				}
			case rest[0] == '[' || rest[0] == '{':
				base = len(stack)
				flow = 0
				if base > maxDepth {
					return at(l, i), true
				}
				flow = 1
				if !flowScan(l, i+1) {
					return pos, true
				}
				i = len(l)
			case rest[0] == '|' || rest[0] == '>':
				blockText = lineIndent
				i = len(l)
			default:
				end, key := i, false
				if rest[0] == '"' || rest[0] == '\'' {
					if end, quote = skipQuote(l, i+1, rest[0]); quote != 0 {
						// Quoted text that goes on: a scalar here.
						if len(stack) > maxDepth {
							return at(l, i), true
						}
						i = len(l)
						continue
					}
					key = strings.HasPrefix(strings.TrimLeft(l[end:], " "), ":")
					if key {
						end += strings.Index(l[end:], ":")
					}
				} else if k := strings.Index(rest, ": "); k >= 0 && !strings.Contains(rest[:k], " #") {
					end, key = i+k, true
				} else if strings.HasSuffix(rest, ":") && !strings.Contains(rest, " #") {
					end, key = len(l)-1, true
				}
				if !key {
					if len(stack) > maxDepth {
						return at(l, i), true
					}
					i = len(l)
					continue
				}
				if !enter(i, false) {
					return pos, true
				}
				if len(stack) > maxDepth {
					// The key itself is a node one level down.
					return at(l, i), true
				}
				lineIndent = i
				i = end + 1
				for i < len(l) && l[i] == ' ' {
					i++
				}
			}
		}
	}
	return diag.Pos{}, false
}
