// Package yamlread decodes YAML documents into yaml.Node trees and walks them
// with positions, collecting every problem instead of stopping at the first.
// Rubrics and assessments are read through it; viper is never used for them
// because it lowercases keys and forgets positions.
package yamlread

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/textrule"
	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest input accepted, in bytes.
const MaxFileSize = 8 << 20

// maxVisits bounds how many nodes one document may expand to when aliases
// are followed, so a "billion laughs" document is refused quickly.
const maxVisits = 1_000_000

// maxStructure bounds the bytes that can start or separate YAML nodes
// (, [ { - : ? and line breaks), counted before decoding. The YAML library
// spends about 200 bytes and a microsecond per node, so 8 MiB of "a,a,a"
// would take seconds and most of a gigabyte; this keeps the worst case near
// half a million nodes. The bundled assessment uses about 3,400.
const maxStructure = 1 << 18

// maxProblems bounds the problems recorded for one file: past it the walk
// stops, so a file of a million wrong items costs no more than one of a
// thousand.
const maxProblems = 1000

// Reader walks one document and records problems against its file name.
type Reader struct {
	File   string
	Diags  diag.List
	visits int
	over   bool
	full   bool
	// said holds what was already reported: a node reached through many
	// aliases is reported once.
	said  map[diag.Diagnostic]bool
	empty bool // the file holds nothing but blanks, comments and a null
	// endLine and endCol are where the text ends: the parser places
	// empty values at the end of a file on a line that does not exist.
	endLine, endCol int
	// tree is set when the block reader built the document: it takes no
	// anchors, so no node can be reached twice.
	tree bool
	// src is the text read, and lines where each of its lines starts,
	// found on first need: a refused escape is placed at itself.
	src   []byte
	lines []int
	// cursor is the last character escapeAt counted to: problems come
	// in the order of the text, so a long line is counted once, not once
	// a problem.
	cursor struct{ line, col, off int }
}

// Revisits reports whether a walk may reach a node more than once,
// through aliases; walkers that remember what they have seen need not
// when it cannot.
func (r *Reader) Revisits() bool { return !r.tree }

// Parse checks the raw bytes and decodes them into the document's root node.
// It returns nil when the file cannot be read as YAML at all; the problems
// are in r.Diags.
func Parse(file string, data []byte) (*Reader, *yaml.Node) {
	return ParseWith(nil, file, data)
}

// Buffer is memory that Parse reuses from one document to the next: a
// loader reading file after file gives each worker one, and its trees
// cost next to nothing. The zero value is ready to use; a Buffer must not
// be shared between goroutines.
type Buffer struct{ block blockDecoder }

// ParseWith is Parse reading through buf, whose memory it reuses (nil
// gives a fresh one): the tree is valid only until buf's next document.
func ParseWith(buf *Buffer, file string, data []byte) (*Reader, *yaml.Node) {
	if buf == nil {
		buf = new(Buffer)
	}
	// Positions carry the name as it may be printed: see diag.Name.
	r := &Reader{File: diag.Name(file)}
	if len(data) > MaxFileSize {
		r.Diags.Errorf(diag.Pos{File: r.File}, "file is %d bytes, over the limit of %d (8 MiB); split it or remove what it does not need", len(data), MaxFileSize)
		return r, nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r.src = data
	// The fast path checks the bytes as it reads them, more strictly than
	// checkBytes; what it declines is checked and decoded the slow way.
	if structure(data) <= maxStructure {
		if root, ok := buf.block.parse(data); ok {
			// The block reader declines nesting deeper than checkDepth
			// allows, so its trees need no second walk.
			r.setEnd(data)
			r.tree = true
			return r, root
		}
	}
	if !r.checkBytes(data) {
		return r, nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		r.empty = true
		r.Diags.Errorf(diag.Pos{File: r.File, Line: 1, Col: 1}, "file is empty")
		return r, nil
	}
	// Everything the fast path declines, errors included, is read by
	// yaml.v3, which says what is wrong and where.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		r.empty = true
		r.Diags.Errorf(diag.Pos{File: r.File, Line: 1, Col: 1}, "file holds no YAML content, only comments")
		return r, nil
	} else if err != nil {
		r.syntaxError(data, err)
		return r, nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		r.Diags.Errorf(r.Pos(&extra), "a second YAML document starts here; keep one document per file")
	} else if !errors.Is(err, io.EOF) {
		r.syntaxError(data, err)
		return r, nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			r.empty = true
			r.Diags.Errorf(diag.Pos{File: r.File, Line: 1, Col: 1}, "file holds no YAML content")
			return r, nil
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		r.empty = len(r.Diags) == 0 // no second document either
		if root.Value == "" {
			// A bare "---": the parser places its empty node past the last line.
			r.Diags.Errorf(diag.Pos{File: r.File, Line: 1, Col: 1}, "file holds no YAML content")
		} else if root.Value == "~" {
			r.Errorf(root, "file holds no YAML content, only ~ (null)")
		} else {
			r.Errorf(root, "file holds no YAML content, only %s", root.Value)
		}
		return r, nil
	}
	if !r.checkDepth(root, 0) {
		return r, nil
	}
	return r, root
}

// Empty reports whether Parse found no content: the file is empty or holds
// only blanks, comments, a document marker or a null.
func (r *Reader) Empty() bool { return r.empty }

// Check applies Parse's guards and syntax check to a file that another
// decoder reads (the config file, which viper decodes), so that decoder
// never sees an oversized, hostile or malformed file. A file without
// content (see Empty) passes.
func Check(file string, data []byte) diag.List {
	r, root := Parse(file, data)
	if r.empty {
		return nil
	}
	if root != nil {
		r.expand(root, 0)
	}
	return r.Diags.Errors()
}

// expand visits every node as a decoder following aliases would, so the
// alias budget and the depth limit hold for what the other decoder builds.
func (r *Reader) expand(n *yaml.Node, depth int) {
	if r.over {
		return
	}
	if depth > maxDepth {
		r.over = true
		r.Errorf(n, "nesting through aliases deeper than %d levels; remove the anchors and aliases", maxDepth)
		return
	}
	for _, c := range r.resolve(n).Content {
		r.expand(c, depth+1)
	}
}

// checkBytes refuses non-UTF-8 text and control characters, naming where,
// and files with more structure than any capscore file needs.
func (r *Reader) checkBytes(data []byte) bool {
	if clean(data) && structure(data) <= maxStructure {
		r.setEnd(data)
		return true
	}
	return r.checkBytesSlowly(data)
}

// setEnd records where text with LF line breaks ends.
func (r *Reader) setEnd(data []byte) {
	r.endLine = 1 + bytes.Count(data, []byte{'\n'})
	r.endCol = 1 + utf8.RuneCount(data[bytes.LastIndexByte(data, '\n')+1:])
}

// checkBytesSlowly walks rune by rune to say where the first problem is.
func (r *Reader) checkBytesSlowly(data []byte) bool {
	line, col := 1, 1
	structure := 0
	for i := 0; i < len(data); {
		b := data[i]
		c, size := rune(b), 1
		if b >= utf8.RuneSelf {
			c, size = utf8.DecodeRune(data[i:])
			if c == utf8.RuneError && size <= 1 {
				r.Diags.Errorf(diag.Pos{File: r.File, Line: line, Col: col}, "not UTF-8 text (byte 0x%02x); save the file as UTF-8", data[i])
				return false
			}
		}
		if (c < 0x20 || c >= 0x7f) && textrule.Refused(c) && c != '\r' {
			r.Diags.Errorf(diag.Pos{File: r.File, Line: line, Col: col}, "%s %U is not allowed%s; remove it", textrule.Kind(c), c, why(c))
			return false
		}
		switch c {
		case ',', '[', '{', '-', ':', '?', '\n':
			structure++
			if structure > maxStructure {
				r.Diags.Errorf(diag.Pos{File: r.File, Line: line, Col: col}, "file holds over %d list items, keys or lines by here; no capscore file needs this many, so it is refused unread", maxStructure)
				return false
			}
		}
		// A lone CR ends a line for the YAML parser too, so positions agree.
		if c == '\n' || c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	r.endLine, r.endCol = line, col
	return true
}

// clean is checkBytes' fast path for the common case: valid UTF-8, no
// control or bidirectional formatting characters, no CR.
func clean(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	for i, b := range data {
		switch {
		case b < 0x20:
			if b != '\n' && b != '\t' {
				return false
			}
		case b == 0x7f:
			return false
		case b == 0xc2:
			if data[i+1] < 0xa0 {
				return false
			}
		case b == 0xd8:
			if data[i+1] == 0x9c { // U+061C
				return false
			}
		case b == 0xe2:
			// U+200E, U+200F, U+2028 to U+202E and U+2066 to U+2069.
			if data[i+1] == 0x80 && (data[i+2] == 0x8e || data[i+2] == 0x8f || data[i+2] >= 0xa8 && data[i+2] <= 0xae) ||
				data[i+1] == 0x81 && data[i+2] >= 0xa6 && data[i+2] <= 0xa9 {
				return false
			}
		}
	}
	return true
}

// structure counts the bytes that can start or separate YAML nodes.
func structure(data []byte) int {
	n := 0
	for _, c := range []byte{',', '[', '{', '-', ':', '?', '\n'} {
		n += bytes.Count(data, []byte{c})
	}
	return n
}

// why says what a bidirectional formatting character would do, for
// messages refusing one: unlike a control character it is invisible.
func why(c rune) string {
	if textrule.Bidi(c) {
		return ": it can make text display in another order than it is read"
	}
	return ""
}

func (r *Reader) syntaxError(data []byte, err error) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	pos := diag.Pos{File: r.File}
	if m := regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`).FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			pos.Line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	if strings.HasPrefix(msg, "exceeded max depth") {
		// The library's limit is far past ours and it may not say where.
		if at, ok := r.deepAt(data); ok {
			pos = at
		}
		r.Diags.Errorf(pos, "nesting deeper than %d levels; no capscore file needs this", maxDepth)
		return
	}
	if m := regexp.MustCompile(`^unknown anchor '(.*)' referenced$`).FindStringSubmatch(msg); m != nil && pos.Line == 0 {
		// The library names the anchor but not where it is used.
		pos = r.find(data, "*"+m[1])
		msg = fmt.Sprintf("alias *%s names no anchor defined before it; define &%s first or remove the alias", m[1], m[1])
	}
	if pos.Line == 0 {
		// yaml.v3 leaves the line out of a message about the first line.
		pos.Line = 1
	}
	r.Diags.Errorf(pos, "YAML syntax: %s", msg)
}

// find returns the position of the first occurrence of s in data, or the
// file alone when it does not occur.
func (r *Reader) find(data []byte, s string) diag.Pos {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return diag.Pos{File: r.File}
	}
	line := 1 + bytes.Count(data[:i], []byte("\n"))
	col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:i], '\n')+1:i])
	return diag.Pos{File: r.File, Line: line, Col: col}
}

func (r *Reader) checkDepth(n *yaml.Node, depth int) bool {
	if depth > maxDepth {
		r.Diags.Errorf(r.Pos(n), "nesting deeper than %d levels; no capscore file needs this", maxDepth)
		return false
	}
	for _, c := range n.Content {
		if !r.checkDepth(c, depth+1) {
			return false
		}
	}
	return true
}

// Pos returns the position of n in the file.
func (r *Reader) Pos(n *yaml.Node) diag.Pos {
	if n == nil {
		return diag.Pos{File: r.File}
	}
	if r.endLine > 0 && n.Line > r.endLine {
		return diag.Pos{File: r.File, Line: r.endLine, Col: r.endCol}
	}
	return diag.Pos{File: r.File, Line: n.Line, Col: n.Column}
}

// Errorf records an error at n.
func (r *Reader) Errorf(n *yaml.Node, format string, args ...any) {
	r.ErrorAt(r.Pos(n), format, args...)
}

// Warnf records a warning at n.
func (r *Reader) Warnf(n *yaml.Node, format string, args ...any) {
	r.WarnAt(r.Pos(n), format, args...)
}

// ErrorAt records an error at pos; past maxProblems it ends the walk.
func (r *Reader) ErrorAt(pos diag.Pos, format string, args ...any) {
	r.add(diag.Diagnostic{Pos: pos, Severity: diag.Error, Msg: fmt.Sprintf(format, args...)})
}

// WarnAt records a warning at pos; past maxProblems it ends the walk.
func (r *Reader) WarnAt(pos diag.Pos, format string, args ...any) {
	r.add(diag.Diagnostic{Pos: pos, Severity: diag.Warning, Msg: fmt.Sprintf(format, args...)})
}

func (r *Reader) add(d diag.Diagnostic) {
	if r.said[d] || !r.room(d.Pos) {
		return
	}
	if r.said == nil {
		r.said = map[diag.Diagnostic]bool{}
	}
	r.said[d] = true
	r.Diags = append(r.Diags, d)
}

func (r *Reader) room(pos diag.Pos) bool {
	if r.full {
		return false
	}
	if len(r.Diags) < maxProblems {
		return true
	}
	r.full, r.over = true, true
	r.Diags.Errorf(pos, "over %d problems in this file; stopped reading here, fix these first", maxProblems)
	return false
}

// resolve follows aliases and counts every node visited against the budget.
func (r *Reader) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	r.visits++
	if r.visits > maxVisits && !r.over {
		r.over = true
		r.Diags.Errorf(r.Pos(n), "document expands to over %d nodes through aliases; remove the anchors and aliases", maxVisits)
	}
	return n
}

// Exhausted reports whether the alias budget or the problem budget ran
// out; walkers stop then.
func (r *Reader) Exhausted() bool { return r.over }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing (null)"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// Field describes one key of a fixed mapping.
type Field struct {
	Key      string
	Required bool
	Decode   func(v *yaml.Node)
}

// Object walks a mapping with a fixed set of keys: unknown keys (with a
// suggestion), duplicate keys and missing required keys are errors.
// It reports whether n was a mapping.
func (r *Reader) Object(n *yaml.Node, what string, fields ...Field) bool {
	n = r.resolve(n)
	if r.over {
		return false
	}
	if n.Kind != yaml.MappingNode {
		r.Errorf(n, "%s: expected a mapping of keys, got %s", what, kindName(n))
		return false
	}
	seen := make([]bool, len(fields))
	r.Entries(n, what, func(key string, k, v *yaml.Node) {
		for i, f := range fields {
			if f.Key == key {
				seen[i] = true
				f.Decode(v)
				return
			}
		}
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.Key
		}
		r.Errorf(k, "%s: unknown key %q%s", what, key, diag.DidYouMean(key, names))
	})
	for i, f := range fields {
		if f.Required && !seen[i] {
			r.Errorf(n, "%s: missing required key %q", what, f.Key)
		}
	}
	return true
}

// Entries walks a mapping with free keys (ids), refusing duplicates and
// non-text keys. Keys are ids, compared in NFC (see textrule.ID): fn gets
// a key in that form, and two keys that differ only in form are reported
// as one id given twice, with both places. It reports whether n was a
// mapping.
func (r *Reader) Entries(n *yaml.Node, what string, fn func(key string, k, v *yaml.Node)) bool {
	n = r.resolve(n)
	if r.over {
		return false
	}
	if n.Kind != yaml.MappingNode {
		r.Errorf(n, "%s: expected a mapping, got %s", what, kindName(n))
		return false
	}
	// Small mappings look back for duplicates; a map pays only for large
	// ones. Each holds the keys in NFC, found at which index of Content.
	const small = 16
	var seen [small]string
	var seenAt [small]int
	var first map[string]int
	if len(n.Content) > 2*small {
		first = make(map[string]int, len(n.Content)/2)
	}
	kept := 0
	for i := 0; i+1 < len(n.Content) && !r.over; i += 2 {
		k := r.resolve(n.Content[i])
		v := n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			r.Errorf(k, "%s: keys must be plain text", what)
			continue
		}
		if i := controlIn(k); i >= 0 {
			// Keys become ids that printers show as they are.
			c := []rune(k.Value[i:])[0]
			r.ErrorAt(r.escapeAt(k, i), "%s: %s %U in key %q%s; remove it", what, textrule.Kind(c), c, k.Value, why(c))
			continue
		}
		if k.Value == "<<" {
			r.Errorf(k, "%s: merge keys (<<) are not supported; write the keys out", what)
			continue
		}
		key := textrule.ID(k.Value)
		at, dup := 0, false
		if first != nil {
			if at, dup = first[key]; !dup {
				first[key] = i
			}
		} else {
			for j := 0; j < kept && !dup; j++ {
				if seen[j] == key {
					at, dup = seenAt[j], true
				}
			}
			if !dup {
				seen[kept], seenAt[kept] = key, i
				kept++
			}
		}
		if dup {
			p := r.resolve(n.Content[at])
			if p.Value == k.Value {
				r.Errorf(k, "%s: duplicate key %q (first at line %d); keep one", what, k.Value, p.Line)
			} else {
				r.Errorf(k, "%s: key %+q and key %+q at %d:%d are one id written in two Unicode forms (ids are compared in NFC); keep one",
					what, k.Value, p.Value, p.Line, p.Column)
			}
			continue
		}
		fn(key, k, v)
	}
	return true
}

// controlIn returns where the first refused character (a control or a
// bidirectional formatting character) in a scalar's value is, or -1. Only
// escapes in double-quoted text can make one: the raw text was checked
// before decoding.
func controlIn(n *yaml.Node) int {
	if n.Style&yaml.DoubleQuotedStyle == 0 {
		return -1
	}
	return strings.IndexFunc(n.Value, textrule.Refused)
}

// escapeAt returns where the escape that gives byte i of the value of the
// double-quoted scalar n is written. Text quoted over several lines is
// folded, which this does not follow: it is placed at n.
func (r *Reader) escapeAt(n *yaml.Node, i int) diag.Pos {
	pos := r.Pos(n)
	if pos.Line != n.Line || n.Line < 1 || n.Column < 1 {
		return pos
	}
	if r.lines == nil {
		r.lines = lineStarts(r.src)
	}
	if n.Line > len(r.lines) {
		return pos
	}
	// The text from the line on; a line break ends the search.
	line := r.src[r.lines[n.Line-1]:]
	// The opening quote, n.Column characters in.
	j, col := 0, 1
	if c := r.cursor; c.line == n.Line && c.col <= n.Column {
		j, col = c.off, c.col
	}
	for ; col < n.Column && j < len(line) && line[j] != '\n' && line[j] != '\r'; col++ {
		_, size := utf8.DecodeRune(line[j:])
		j += size
	}
	r.cursor.line, r.cursor.col, r.cursor.off = n.Line, col, j
	if j >= len(line) || line[j] != '"' {
		return pos
	}
	for j, made := j+1, 0; j < len(line) && line[j] != '"' && line[j] != '\n' && line[j] != '\r'; {
		start, size := j, 0
		if line[j] == '\\' && j+1 < len(line) {
			size, j = escapeSize(line[j+1:]), j+2
			switch line[start+1] {
			case 'x':
				j += 2
			case 'u':
				j += 4
			case 'U':
				j += 8
			}
		} else {
			_, size = utf8.DecodeRune(line[j:])
			j += size
		}
		if size <= 0 || j > len(line) {
			break
		}
		if i < made+size {
			pos.Col = n.Column + utf8.RuneCount(line[r.cursor.off:start])
			return pos
		}
		made += size
	}
	return pos
}

// escapeSize is how many bytes of value the escape after a backslash
// gives in YAML, 0 for one the text cannot hold.
func escapeSize(e []byte) int {
	hex := 0
	switch e[0] {
	case '0', 'a', 'b', 't', '\t', 'n', 'v', 'f', 'r', 'e', ' ', '"', '/', '\\':
		return 1
	case 'N', '_':
		return 2
	case 'L', 'P':
		return 3
	case 'x':
		hex = 2
	case 'u':
		hex = 4
	case 'U':
		hex = 8
	default:
		return 0
	}
	if len(e) < 1+hex {
		return 0
	}
	v, err := strconv.ParseUint(string(e[1:1+hex]), 16, 32)
	if err != nil {
		return 0
	}
	return utf8.RuneLen(rune(v))
}

// lineStarts returns the offset at which each line of src starts; CR LF,
// LF and a lone CR each end a line, as for the YAML parser.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\n', src[i] == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			starts = append(starts, i+1)
		}
	}
	return starts
}

// Seq walks a list. It reports whether n was a list.
func (r *Reader) Seq(n *yaml.Node, what string, fn func(i int, item *yaml.Node)) bool {
	n = r.resolve(n)
	if r.over {
		return false
	}
	if n.Kind != yaml.SequenceNode {
		r.Errorf(n, "%s: expected a list, got %s", what, kindName(n))
		return false
	}
	for i, item := range n.Content {
		if r.over {
			break
		}
		fn(i, item)
	}
	return true
}

// IsNull reports whether n is an explicit null (or ~, or empty).
func (r *Reader) IsNull(n *yaml.Node) bool {
	n = r.resolve(n)
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// String reads a text scalar. Numbers and dates are taken as written, so
// `revision: 2021` reads as "2021". Control characters that escapes in
// quoted strings could produce are refused.
func (r *Reader) String(n *yaml.Node, what string) (string, bool) {
	return r.Text(n, what, "")
}

// Text is String for a field of what, named what+field in a message. The
// two are joined only when a message is written, which saves thousands of
// small strings a file.
func (r *Reader) Text(n *yaml.Node, what, field string) (string, bool) {
	n = r.resolve(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.Errorf(n, "%s%s: expected text, got %s", what, field, kindName(n))
		return "", false
	}
	if i := controlIn(n); i >= 0 {
		c := []rune(n.Value[i:])[0]
		r.ErrorAt(r.escapeAt(n, i), "%s%s: %s %U in text%s; remove it", what, field, textrule.Kind(c), c, why(c))
		return "", false
	}
	return n.Value, true
}

// Float reads a finite number.
func (r *Reader) Float(n *yaml.Node, what string) (float64, bool) {
	n = r.resolve(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Style == 0 {
		// The YAML library types a plain 1e309 as text, being out of
		// range: say so rather than that it is not a number.
		if _, err := strconv.ParseFloat(n.Value, 64); errors.Is(err, strconv.ErrRange) {
			r.Errorf(n, "%s: %q is not a finite number (out of range)", what, n.Value)
			return 0, false
		}
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		r.Errorf(n, "%s: expected a number, got %s", what, kindName(n))
		return 0, false
	}
	var v float64
	var err error
	if n.Tag == "!!int" {
		var i int64
		i, err = strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		v = float64(i)
	} else {
		v, err = strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	}
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		r.Errorf(n, "%s: %q is not a finite number", what, n.Value)
		return 0, false
	}
	return v, true
}

// Int reads a whole number.
func (r *Reader) Int(n *yaml.Node, what string) (int, bool) {
	n = r.resolve(n)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		r.Errorf(n, "%s: expected a whole number, got %s", what, kindName(n))
		return 0, false
	}
	i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 32)
	if err != nil {
		r.Errorf(n, "%s: %q is out of range", what, n.Value)
		return 0, false
	}
	return int(i), true
}

// Strings reads a list of text scalars.
func (r *Reader) Strings(n *yaml.Node, what string) []string {
	var out []string
	if n.Kind == yaml.SequenceNode {
		out = make([]string, 0, len(n.Content))
	}
	r.Seq(n, what, func(_ int, item *yaml.Node) {
		if s, ok := r.String(item, what); ok {
			out = append(out, s)
		}
	})
	return out
}
