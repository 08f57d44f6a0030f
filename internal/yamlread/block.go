// The block reader builds yaml.Node trees for the plain block-style YAML
// that capscore files are written in, far faster than the full YAML
// decoder (the README's speed section has the figures). It declines anything it is not sure of — anchors,
// tags, multi-line plain or quoted text, flow mappings, empty values,
// tabs, document markers — and the caller then decodes the same bytes
// with yaml.v3, which also words every syntax error. So it never reports
// an error of its own, and what it accepts it builds exactly as yaml.v3
// would (kind, style, tag, value, line and column; comments are not
// kept), which a differential fuzz target holds it to (FuzzBlockParse). It is unexported: callers reach it
// through Parse and ParseWith, which fall back to yaml.v3.

package yamlread

import (
	"encoding/binary"
	"strings"
	"unicode/utf8"

	"github.com/capscore/capscore/internal/textrule"
	"go.yaml.in/yaml/v3"
)

// maxDepth bounds the nesting of collections; the block reader declines
// deeper documents, and they go to yaml.v3, whose trees checkDepth refuses
// with a position. So the block reader's trees never need that check.
const maxDepth = 64

// maxKey bounds the keys read: YAML refuses simple keys over 1024
// characters, and no capscore key comes near this.
const maxKey = 256

// lastColumn is a byte offset on a line and the characters before it.
type lastColumn struct{ line, off, col int }

// span is a line's bytes, without its line break, and its indentation.
type span struct{ start, end, indent int }

// A blockDecoder reads one document after another into the same memory, so a
// loader that walks each tree and lets it go allocates next to nothing for
// the trees themselves. The nodes parse returns are valid until its next
// call; the text in them stays valid for good.
type blockDecoder struct {
	lines []span
	slab  []yaml.Node
	kids  []*yaml.Node
	stack []*yaml.Node
}

type parser struct {
	src   string
	lines []span
	ln    int // the first line not yet consumed
	depth int
	ascii bool // src holds no multi-byte characters, so columns are byte offsets
	// lastCol is the last column counted, for column.
	lastCol lastColumn
	slab    []yaml.Node
	kids    []*yaml.Node // the children of sealed collections, in one array
	stack   []*yaml.Node // the children of the collections being read
}

// blockParse returns the root node of data, or false when data uses
// anything outside the subset (or is not valid YAML at all).
func blockParse(data []byte) (*yaml.Node, bool) {
	var d blockDecoder
	return d.parse(data)
}

// parse is blockParse reusing d's memory.
func (d *blockDecoder) parse(data []byte) (*yaml.Node, bool) {
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return nil, false
	}
	ascii, ok := printable(data)
	if !ok {
		return nil, false
	}
	p := &parser{src: string(data), ascii: ascii, lines: d.lines[:0], stack: d.stack[:0]}
	ok = p.split()
	d.lines = p.lines
	if !ok {
		return nil, false
	}
	// capscore files hold about 1.7 nodes a line. The slab and the
	// children's array are kept for the next document; a document that
	// needs more takes new chunks.
	n := len(p.lines)
	if size := n + n*3/4 + 8; cap(d.slab) < size {
		d.slab = make([]yaml.Node, 0, size)
		d.kids = make([]*yaml.Node, 0, size)
	}
	p.slab, p.kids = d.slab[:0], d.kids[:0]
	first := p.next(0)
	if first == len(p.lines) || p.indent(first) != 0 {
		return nil, false
	}
	root := p.block(first, 0, -1)
	d.stack = p.stack
	if root == nil || root.Kind == yaml.ScalarNode || p.next(p.ln) != len(p.lines) {
		return nil, false
	}
	return root, true
}

// printable reports whether data is UTF-8 text that yaml.v3 reads as it
// is, with no tab, CR or other line break than LF and no bidirectional
// formatting character, and whether it is all ASCII.
func printable(data []byte) (ascii, ok bool) {
	ascii = true
	for i := 0; i < len(data); {
		// Eight bytes at a time while they are printable ASCII, which
		// is nearly all of every file.
		if i+8 <= len(data) && plainWord(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
			continue
		}
		b := data[i]
		if b < utf8.RuneSelf {
			if (b < 0x20 && b != '\n') || b == 0x7f {
				return false, false
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0xa0, r == 0x2028, r == 0x2029,
			r >= 0xd800 && r < 0xe000, r == 0xfeff, r == 0xfffe, r == 0xffff,
			textrule.Bidi(r): // refused by the caller, with its position
			return false, false
		}
		i += size
	}
	return ascii, true
}

// plainWord reports whether each of the eight bytes of w is in 0x20–0x7e
// or is a line feed. Each test is exact per byte: no carry crosses bytes.
func plainWord(w uint64) bool {
	const lo7, highs = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	atLeast20 := w&lo7 + 0x6060606060606060
	nl := w ^ 0x0a0a0a0a0a0a0a0a
	isNL := ^(nl&lo7 + lo7 | nl)
	del := w ^ lo7
	isDel := ^(del&lo7 + lo7 | del)
	return w&highs == 0 && (atLeast20|isNL)&highs == highs && isDel&highs == 0
}

// split records where each line starts and ends. It reports false when a
// line begins with a document marker or a directive, which the subset
// leaves to yaml.v3.
func (p *parser) split() bool {
	for start := 0; start < len(p.src); {
		end := start + strings.IndexByte(p.src[start:], '\n')
		l := p.src[start:end]
		if strings.HasPrefix(l, "---") || strings.HasPrefix(l, "...") || strings.HasPrefix(l, "%") {
			return false
		}
		ind := 0
		for ind < len(l) && l[ind] == ' ' {
			ind++
		}
		p.lines = append(p.lines, span{start, end, ind})
		start = end + 1
	}
	return true
}

func (p *parser) text(ln int) string { return p.src[p.lines[ln].start:p.lines[ln].end] }

func (p *parser) indent(ln int) int { return p.lines[ln].indent }

// blank reports whether a line holds only spaces or a comment.
func (p *parser) blank(ln int) bool {
	l := p.lines[ln]
	return l.start+l.indent == l.end || p.src[l.start+l.indent] == '#'
}

// next returns the first line from ln on that holds content.
func (p *parser) next(ln int) int {
	for ln < len(p.lines) && p.blank(ln) {
		ln++
	}
	return ln
}

// column is the 1-based column of byte offset off in line ln, counted in
// characters as yaml.v3 counts it.
func (p *parser) column(ln, off int) int {
	if p.ascii {
		return off + 1
	}
	// Nodes on a line come left to right: count on from the last one,
	// or a long line of short items would be counted over and over.
	c := &p.lastCol
	if c.line != ln || c.off > off {
		*c = lastColumn{line: ln}
	}
	c.col += utf8.RuneCountInString(p.text(ln)[c.off:off])
	c.off = off
	return c.col + 1
}

func (p *parser) node(kind yaml.Kind, tag string, ln, off int) *yaml.Node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]yaml.Node, 0, 256)
	}
	// Set field by field, clearing what the last document may have left:
	// copying a whole node in would cost a write barrier over all of it
	// while the collector runs. No other field is ever set.
	p.slab = p.slab[:len(p.slab)+1]
	n := &p.slab[len(p.slab)-1]
	n.Kind, n.Tag, n.Line, n.Column = kind, tag, ln+1, p.column(ln, off)
	n.Style, n.Value, n.Content = 0, "", nil
	return n
}

// deeper enters a collection, refusing to go past maxDepth.
func (p *parser) deeper() bool {
	p.depth++
	return p.depth <= maxDepth
}

func (p *parser) shallower() { p.depth-- }

// seal gives a collection the children pushed since base, carved from
// one shared array, and pops them.
func (p *parser) seal(n *yaml.Node, base int) {
	kids := p.stack[base:]
	p.stack = p.stack[:base]
	if len(kids) == 0 {
		return
	}
	if len(p.kids)+len(kids) > cap(p.kids) {
		p.kids = make([]*yaml.Node, 0, max(len(kids), 256))
	}
	start := len(p.kids)
	p.kids = append(p.kids, kids...)
	n.Content = p.kids[start:len(p.kids):len(p.kids)]
}

// block parses the node whose first token is at byte off of line ln, inside
// a collection indented by parent columns (-1 at the top).
func (p *parser) block(ln, off, parent int) *yaml.Node {
	t := p.text(ln)
	switch {
	case entry(t, off):
		return p.sequence(ln, off)
	case p.isKey(t, off):
		return p.mapping(ln, off)
	}
	return p.inline(ln, off, parent)
}

// entry reports whether a block sequence entry ("- ") starts at off.
func entry(t string, off int) bool {
	return off < len(t) && t[off] == '-' && (off+1 == len(t) || t[off+1] == ' ')
}

// nested parses a value that starts on a line below its key or dash: it
// must be a collection indented past parent.
func (p *parser) nested(from, parent int) *yaml.Node {
	ln := p.next(from)
	if ln == len(p.lines) {
		return nil
	}
	ind := p.indent(ln)
	if ind <= parent {
		return nil
	}
	n := p.block(ln, ind, parent)
	if n == nil || n.Kind == yaml.ScalarNode {
		return nil
	}
	return n
}

func (p *parser) mapping(ln, col int) *yaml.Node {
	if !p.deeper() {
		return nil
	}
	defer p.shallower()
	m := p.node(yaml.MappingNode, "!!map", ln, col)
	base := len(p.stack)
	for {
		k, after := p.key(ln, col)
		if k == nil {
			return nil
		}
		v := p.value(ln, after, col)
		if v == nil {
			return nil
		}
		p.stack = append(p.stack, k, v)
		var more, ok bool
		if ln, more, ok = p.following(col); !ok {
			return nil
		} else if !more {
			break
		}
	}
	p.seal(m, base)
	return m
}

// following finds the next content line after a member of a collection
// indented col columns. more is false when the collection ends before it;
// ok is false when it is indented past col, which YAML would read as more
// of the member (or as an error) and the subset leaves to yaml.v3.
func (p *parser) following(col int) (ln int, more, ok bool) {
	ln = p.next(p.ln)
	switch {
	case ln == len(p.lines) || p.indent(ln) < col:
		return ln, false, true
	case p.indent(ln) > col:
		return ln, false, false
	}
	return ln, true, true
}

// value parses what follows a key's colon at byte off of line ln, for a
// mapping indented col columns.
func (p *parser) value(ln, off, col int) *yaml.Node {
	t := p.text(ln)
	off = skipSpaces(t, off)
	if off < len(t) && t[off] != '#' {
		return p.inline(ln, off, col)
	}
	// The value is on the lines below: a collection, or a sequence at the
	// key's own indentation.
	nl := p.next(ln + 1)
	if nl < len(p.lines) && p.indent(nl) == col && entry(p.text(nl), col) {
		return p.sequence(nl, col)
	}
	return p.nested(ln+1, col)
}

func (p *parser) sequence(ln, col int) *yaml.Node {
	if !p.deeper() {
		return nil
	}
	defer p.shallower()
	s := p.node(yaml.SequenceNode, "!!seq", ln, col)
	base := len(p.stack)
	for {
		t := p.text(ln)
		off := skipSpaces(t, col+1)
		var item *yaml.Node
		switch {
		case off == len(t) || t[off] == '#':
			item = p.nested(ln+1, col)
		case entry(t, off):
			return nil // "- - x": left to yaml.v3
		case p.isKey(t, off):
			item = p.mapping(ln, off)
		default:
			item = p.inline(ln, off, col)
		}
		if item == nil {
			return nil
		}
		p.stack = append(p.stack, item)
		var more, ok bool
		if ln, more, ok = p.following(col); !ok {
			return nil
		} else if !more {
			break
		}
		if !entry(p.text(ln), col) {
			break // the mapping this sequence is a value of goes on
		}
	}
	p.seal(s, base)
	return s
}

// inline parses a value that starts at byte off of line ln and ends on it
// (or a block scalar, which runs on below), in a collection indented parent
// columns. What follows must not be indented past parent, which in YAML
// would continue the value.
func (p *parser) inline(ln, off, parent int) *yaml.Node {
	t := p.text(ln)
	var n *yaml.Node
	end := -1
	switch t[off] {
	case '|', '>':
		return p.blockScalar(ln, off, parent)
	case '"', '\'':
		n, end = p.quoted(ln, off)
	case '[':
		n, end = p.flow(ln, off)
	case '{':
		if strings.HasPrefix(t[off:], "{}") {
			n, end = p.node(yaml.MappingNode, "!!map", ln, off), off+2
			n.Style = yaml.FlowStyle
		}
	default:
		if indicator(t[off]) {
			return nil
		}
		v, e := plainLine(t, off)
		if e < 0 {
			return nil
		}
		tag, ok := resolve(v)
		if !ok {
			return nil
		}
		n = p.node(yaml.ScalarNode, tag, ln, off)
		n.Value = v
		end = e
	}
	if n == nil || end < 0 || !restBlank(t, end) {
		return nil
	}
	p.ln = ln + 1
	if nl := p.next(p.ln); nl < len(p.lines) && p.indent(nl) > parent {
		return nil
	}
	return n
}

// quoted reads the double- or single-quoted scalar at byte off of line ln
// and returns it with the offset past its closing quote, or nil and -1.
func (p *parser) quoted(ln, off int) (*yaml.Node, int) {
	t := p.text(ln)
	v, end, style := "", 0, yaml.DoubleQuotedStyle
	if t[off] == '"' {
		v, end = doubleQuoted(t, off)
	} else {
		v, end = singleQuoted(t, off)
		style = yaml.SingleQuotedStyle
	}
	if end < 0 {
		return nil, -1
	}
	n := p.node(yaml.ScalarNode, "!!str", ln, off)
	n.Value, n.Style = v, style
	return n, end
}

// indicator reports whether c cannot start a plain scalar the subset reads.
// '-', '?' and ':' can in YAML when a non-blank follows; such text is rare
// and left to yaml.v3.
func indicator(c byte) bool {
	return strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", c) >= 0
}

// plainLine reads a plain scalar in block context that ends on its line:
// up to a comment, without trailing spaces. It returns end -1 for text
// holding ": " or ending in ":", which YAML reads as a key or an error.
func plainLine(t string, off int) (string, int) {
	end := len(t)
	if i := comment(t[off:]); i >= 0 {
		end = off + i
	}
	for end > off && t[end-1] == ' ' {
		end--
	}
	v := t[off:end]
	if colon(v) >= 0 || strings.HasSuffix(v, ":") {
		return "", -1
	}
	return v, end
}

// colon returns the index of the first ": " in t, or -1; comment that of
// the first " #". Each looks for its rarer byte: a search for " #" that
// starts from the space stops at every word.
func colon(t string) int { return pair(t, ':', ' ', 1) }

func comment(t string) int { return pair(t, '#', ' ', -1) }

// pair finds c with the byte next at offset side (1 after it, -1 before)
// and returns where the two-byte run starts.
func pair(t string, c, next byte, side int) int {
	for i := 0; ; i++ {
		j := strings.IndexByte(t[i:], c)
		if j < 0 {
			return -1
		}
		i += j
		if k := i + side; k >= 0 && k < len(t) && t[k] == next {
			return min(i, k)
		}
	}
}

// restBlank reports whether t from off holds only spaces and a comment.
func restBlank(t string, off int) bool {
	i := skipSpaces(t, off)
	return i == len(t) || (t[i] == '#' && i > off)
}

func skipSpaces(t string, off int) int {
	for off < len(t) && t[off] == ' ' {
		off++
	}
	return off
}

// isKey reports whether a simple key followed by ": " or a final ":"
// starts at off.
func (p *parser) isKey(t string, off int) bool {
	_, after := keyText(t, off)
	return after > 0
}

// keyText reads the key at off: its text, its end, and the offset just
// past its colon (0 when off does not start a key the subset reads).
func keyText(t string, off int) (string, int) {
	if off >= len(t) {
		return "", 0
	}
	var end int
	switch c := t[off]; {
	case c == '"' || c == '\'':
		if c == '"' {
			_, end = doubleQuoted(t, off)
		} else {
			_, end = singleQuoted(t, off)
		}
		if end < 0 {
			return "", 0
		}
		end = skipSpaces(t, end)
		if end == len(t) || t[end] != ':' {
			return "", 0
		}
	case indicator(c):
		return "", 0
	default:
		i := colon(t[off:])
		if i < 0 {
			if !strings.HasSuffix(t, ":") {
				return "", 0
			}
			i = len(t) - 1 - off
		}
		end = off + i
		if comment(t[off:end]) >= 0 {
			return "", 0
		}
	}
	if end-off > maxKey || end+1 < len(t) && t[end+1] != ' ' {
		return "", 0
	}
	return t[off:end], end + 1
}

// key builds the key node at off of line ln and returns the offset past its
// colon.
func (p *parser) key(ln, off int) (*yaml.Node, int) {
	t := p.text(ln)
	raw, after := keyText(t, off)
	if after == 0 {
		return nil, 0
	}
	if t[off] == '"' || t[off] == '\'' {
		n, _ := p.quoted(ln, off)
		return n, after
	}
	v := strings.TrimRight(raw, " ")
	tag, ok := resolve(v)
	if !ok {
		return nil, 0
	}
	n := p.node(yaml.ScalarNode, tag, ln, off)
	n.Value = v
	return n, after
}

// flow reads a flow sequence of scalars that opens and closes on one line.
func (p *parser) flow(ln, off int) (*yaml.Node, int) {
	if !p.deeper() {
		return nil, -1
	}
	defer p.shallower()
	t := p.text(ln)
	s := p.node(yaml.SequenceNode, "!!seq", ln, off)
	s.Style = yaml.FlowStyle
	base := len(p.stack)
	i := skipSpaces(t, off+1)
	if i < len(t) && t[i] == ']' {
		return s, i + 1
	}
	for i < len(t) {
		var item *yaml.Node
		var end int
		switch c := t[i]; {
		case c == '"' || c == '\'':
			item, end = p.quoted(ln, i)
		case indicator(c):
			return nil, -1
		default:
			end = i
			for end < len(t) && t[end] != ',' && t[end] != ']' {
				end++
			}
			if end == len(t) {
				return nil, -1
			}
			v := strings.TrimRight(t[i:end], " ")
			// In a flow, yaml.v3 ends plain text at these too.
			if strings.ContainsAny(v, ":#?[{}") {
				return nil, -1
			}
			tag, ok := resolve(v)
			if !ok {
				return nil, -1
			}
			item = p.node(yaml.ScalarNode, tag, ln, i)
			item.Value = v
		}
		if end < 0 {
			return nil, -1
		}
		p.stack = append(p.stack, item)
		i = skipSpaces(t, end)
		if i == len(t) {
			return nil, -1
		}
		if t[i] == ']' {
			p.seal(s, base)
			return s, i + 1
		}
		if t[i] != ',' {
			return nil, -1
		}
		i = skipSpaces(t, i+1)
		if i < len(t) && t[i] == ']' {
			return nil, -1 // a trailing comma
		}
	}
	return nil, -1
}
