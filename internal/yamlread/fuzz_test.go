package yamlread

import (
	"bytes"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzParse checks that any bytes give either a tree or an error, never a
// panic, and that every problem names the file and a line inside it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"a: 1\n", "a: [1, 2, {b: c}]\n", "- x\n- y\n", "a: &x [1]\nb: *x\n",
		"a: 1\na: 2\n", "\xef\xbb\xbfa: 1\r\nb: 2\r\n", "a: \"\\e[31m\"\n",
		"a: [\n", "---\na: 1\n---\nb: 2\n", "a: &a [*a]\n", "",
		"- - [{a: 'x''y', b: \"\\\"\"}]\n", "t: |\n  - x\nd:\n- [\n [\r\n",
		"a: [\"\u00e9\\x41\\u202e\"]\n", "\"k\\U0001F600\\e\": [x]\n", "a: [\"x\\\n  \\e\"]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, root := Parse("f.yaml", data)
		if root == nil && !r.Diags.HasErrors() {
			t.Fatal("no tree and no error")
		}
		if root != nil {
			walk(r, root, 0)
		}
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
		for _, d := range r.Diags {
			if d.Pos.File != "f.yaml" || d.Msg == "" {
				t.Fatalf("diagnostic without file or message: %#v", d)
			}
			if d.Pos.Line > lines {
				t.Fatalf("line %d past the end (%d lines): %s", d.Pos.Line, lines, d)
			}
		}
		// The text walk that places the library's depth error takes any
		// bytes and names only lines that exist.
		if pos, ok := (&Reader{File: "f.yaml"}).deepAt(data); ok && (pos.Line < 1 || pos.Line > lines || pos.Col < 1) {
			t.Fatalf("deepAt: %v is not in the file (%d lines)", pos, lines)
		}
		if len(r.Diags) > maxProblems+2 {
			t.Fatalf("%d problems recorded, over the cap", len(r.Diags))
		}
	})
}

// walk visits every node through the Reader, as the loaders do, with a
// depth cap because aliases can form cycles.
func walk(r *Reader, n *yaml.Node, depth int) {
	if depth > 2*maxDepth || r.Exhausted() {
		return
	}
	switch r.resolve(n).Kind {
	case yaml.MappingNode:
		r.Entries(n, "m", func(_ string, _, v *yaml.Node) { walk(r, v, depth+1) })
	case yaml.SequenceNode:
		r.Seq(n, "s", func(_ int, item *yaml.Node) { walk(r, item, depth+1) })
	default:
		r.String(n, "v")
		r.Float(n, "v")
		r.Int(n, "v")
	}
}

// FuzzCleanFastPath checks the fast byte checks never accept what the
// rune-by-rune walk would refuse, and end at the same place: clean, and
// the block reader, which Parse trusts to check the bytes it reads.
func FuzzCleanFastPath(f *testing.F) {
	for _, s := range []string{
		"a: 1\n", "a: \u0085\n", "a: \u2028\n", "a: \x7f\n", "a: \xc2\xa0b\n", "é: ü\n\tx", "a\rb", "\xc2", "",
		"a: \ufeff\n", "a: [b, \"\u00e9\"]\n", "a: x\u202ey\n", "# \u2066\na: 1\n", "a: \u061c\u200e\u200f\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		slow := &Reader{File: "f"}
		slowOK := slow.checkBytesSlowly(data)
		if _, ok := blockParse(data); ok {
			fast := &Reader{File: "f"}
			fast.setEnd(data)
			if !slowOK {
				t.Fatalf("the block reader accepted what the slow walk refuses: %v", slow.Diags)
			}
			if fast.endLine != slow.endLine || fast.endCol != slow.endCol {
				t.Fatalf("block reader: end at %d:%d, slow walk says %d:%d", fast.endLine, fast.endCol, slow.endLine, slow.endCol)
			}
		}
		if !clean(data) || structure(data) > maxStructure {
			return
		}
		fast := &Reader{File: "f"}
		if !fast.checkBytes(data) || !slowOK {
			t.Fatalf("fast path accepted what the slow walk refuses: %v", slow.Diags)
		}
		if fast.endLine != slow.endLine || fast.endCol != slow.endCol {
			t.Fatalf("end at %d:%d, slow walk says %d:%d", fast.endLine, fast.endCol, slow.endLine, slow.endCol)
		}
	})
}
