package yamlread

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// walkList reads key "a" of a one-key document as a list of text.
func walkList(data string) *Reader {
	r, root := Parse("f.yaml", []byte(data))
	if root != nil {
		r.Object(root, "doc", Field{Key: "a", Decode: func(n *yaml.Node) { r.Strings(n, "a") }})
	}
	return r
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // every diagnostic, in order
	}{
		{"bare document marker", "---", []string{"f.yaml:1:1: file holds no YAML content"}},
		{"comments only", "# nothing\n", []string{"f.yaml:1:1: file holds no YAML content, only comments"}},
		{"a null", "~\n# nothing\n", []string{"f.yaml:1:1: file holds no YAML content, only ~ (null)"}},
		{"a null after a document marker", "--- null\n", []string{"f.yaml:1:5: file holds no YAML content, only null"}},
		{"a null, then a document", "~\n---\na: 1\n", []string{"f.yaml:2:1: a second YAML document starts here; keep one document per file", "f.yaml:1:1: file holds no YAML content, only ~ (null)"}},
		{"empty value at the end is placed in the file", "a:", []string{"f.yaml:1:3: a: expected a list, got nothing (null)"}},
		{"lone CR ends a line", "b: 1\ra: x", []string{`f.yaml:1:1: doc: unknown key "b" (did you mean "a"?)`, `f.yaml:2:4: a: expected a list, got "x"`}},
		{"alias before its anchor", "a: [*x]\nb: &x 1\n", []string{"f.yaml:1:5: YAML syntax: alias *x names no anchor defined before it; define &x first or remove the alias"}},
		{"control character in a key", "\"a\\e\": 1\n", []string{`f.yaml:1:3: doc: control character U+001B in key "a\x1b"; remove it`}},
		{"escape in text", "a: [\"x\\e[2Jy\"]\n", []string{"f.yaml:1:7: a: control character U+001B in text; remove it"}},
		{"escape placed after other escapes and wide characters", "a: [ok, \"é\\t\\x41\\u00e9\\\\\\\" 中\\b\"]\n",
			[]string{"f.yaml:1:29: a: control character U+0008 in text; remove it"}},
		{"escape in text over two lines placed at the text", "a: [ok, \"x\n  \\u202e\"]\n",
			[]string{"f.yaml:1:9: a: bidirectional control character U+202E in text: it can make text display in another order than it is read; remove it"}},
		{"a list shared by aliases is reported once", "a: &l [[1], *l, *l]\n", []string{
			"f.yaml:1:8: a: expected text, got a list", "f.yaml:1:4: a: expected text, got a list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range walkList(tt.data).Diags {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLimits(t *testing.T) {
	t.Run("structure", func(t *testing.T) {
		r := walkList("a: [" + strings.Repeat("x,", maxStructure) + "]\n")
		if len(r.Diags) != 1 || !strings.Contains(r.Diags[0].Msg, "refused unread") || r.Diags[0].Pos.Col == 0 {
			t.Fatalf("got %v", r.Diags)
		}
	})
	t.Run("problems", func(t *testing.T) {
		r := walkList("a: [" + strings.Repeat("[],", 5000) + "]\n")
		if len(r.Diags) != maxProblems+1 {
			t.Fatalf("%d problems recorded, want %d", len(r.Diags), maxProblems+1)
		}
		if last := r.Diags[len(r.Diags)-1].Msg; !strings.Contains(last, "over 1000 problems") {
			t.Fatalf("last problem %q", last)
		}
	})
	t.Run("alias expansion", func(t *testing.T) {
		// Each level multiplies by 10; the walk must stop at the budget.
		doc := "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
		for i := 1; i < 7; i++ {
			doc += strings.ReplaceAll("lN: &lN [*lP, *lP, *lP, *lP, *lP, *lP, *lP, *lP, *lP, *lP]\n", "N", string(rune('0'+i)))
			doc = strings.ReplaceAll(doc, "P", string(rune('0'+i-1)))
		}
		r, root := Parse("f.yaml", []byte(doc))
		walk(r, root, 0)
		if !r.Exhausted() || !strings.Contains(r.Diags.Error(), "expands to over") {
			t.Fatalf("budget not reached: %v", r.Diags)
		}
	})
	t.Run("size", func(t *testing.T) {
		r, root := Parse("f.yaml", make([]byte, MaxFileSize+1))
		if root != nil || !strings.Contains(r.Diags.Error(), "over the limit") {
			t.Fatalf("got %v", r.Diags)
		}
	})
}

func TestFloat(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1e309", `f.yaml:1:4: a: "1e309" is not a finite number (out of range)`},
		{".nan", `f.yaml:1:4: a: ".nan" is not a finite number`},
		{"-.inf", `f.yaml:1:4: a: "-.inf" is not a finite number`},
		{"'2'", `f.yaml:1:4: a: expected a number, got "2"`},
		{"2.5", ""},
	} {
		r, root := Parse("f.yaml", []byte("a: "+tt.in+"\n"))
		r.Object(root, "doc", Field{Key: "a", Decode: func(n *yaml.Node) { r.Float(n, "a") }})
		if got := r.Diags.Error(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'g'; i++ {
		laughs += fmt.Sprintf("%c: &%c [%s]\n", i, i, strings.Repeat(fmt.Sprintf("*%c, ", i-1), 9)+fmt.Sprintf("*%c", i-1))
	}
	for _, tt := range []struct {
		in   string
		want string
	}{
		{"", ""},
		{"# only a comment\n", ""},
		{"~\n", ""},
		{"~\n---\na: 1\n", "second YAML document"},
		{"a: 1\n", ""},
		{"a: [\n", "YAML syntax"},
		{"a: \x01\n", "control character"},
		{"a: &a [*a]\n", "nesting through aliases deeper than 64"},
		{laughs, "expands to over 1000000 nodes"},
	} {
		got := Check("c.yaml", []byte(tt.in))
		if (tt.want == "") != (len(got) == 0) || !strings.Contains(got.Error(), tt.want) {
			t.Errorf("Check(%.40q) = %v, want %q", tt.in, got, tt.want)
		}
	}
}

// The block reader's depth limit and checkDepth's agree: at the limit the
// fast path reads the file and nothing is wrong; one level more is declined
// and refused with a position.
func TestDepthLimitOnBothPaths(t *testing.T) {
	// maps block mappings, then a last value: a scalar or a flow list.
	nested := func(maps int, last string) []byte {
		var b strings.Builder
		for i := 0; i < maps-1; i++ {
			fmt.Fprintf(&b, "%sk:\n", strings.Repeat(" ", i))
		}
		fmt.Fprintf(&b, "%sk: %s\n", strings.Repeat(" ", maps-1), last)
		return []byte(b.String())
	}
	for _, c := range []struct {
		name      string
		atLimit   []byte
		overLimit []byte
	}{
		{"mappings", nested(maxDepth, "v"), nested(maxDepth+1, "v")},
		{"a flow list last", nested(maxDepth-1, "[x]"), nested(maxDepth, "[x]")},
	} {
		if _, ok := blockParse(c.atLimit); !ok {
			t.Fatalf("%s: the block reader declined a document at the depth limit", c.name)
		}
		if r, root := Parse("f", c.atLimit); root == nil || len(r.Diags) > 0 {
			t.Fatalf("%s at the limit: %v", c.name, r.Diags)
		}
		if _, ok := blockParse(c.overLimit); ok {
			t.Fatalf("%s: the block reader read a document past the depth limit", c.name)
		}
		r, root := Parse("f", c.overLimit)
		if root != nil || len(r.Diags) != 1 || !strings.Contains(r.Diags[0].Msg, "nesting deeper than 64") {
			t.Fatalf("%s past the limit: %v", c.name, r.Diags)
		}
	}
}

// Past the YAML library's own depth limit there is no tree to walk, so the
// text is followed instead: for every shape, the place it names is the one
// checkDepth names in the tree of the same document 100 levels deep.
func TestDepthPositionPastTheLibraryLimit(t *testing.T) {
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	blockKeys := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "%sk%d:\n", rep(" ", i), i)
		}
		return b.String() + rep(" ", n)
	}
	shapes := []struct {
		name string
		doc  func(n int) string
	}{
		{"flow lists at the root", func(n int) string { return rep("[", n) + rep("]", n) + "\n" }},
		{"flow lists as a value", func(n int) string { return "country: X\nsummary: " + rep("[", n) + rep("]", n) + "\n" }},
		{"flow mappings", func(n int) string { return "a: " + rep("{a: ", n) + "x" + rep("}", n) + "\n" }},
		{"a flow list over many lines", func(n int) string { return "x: " + rep("[ # c\n ", n) + rep("]", n) + "\n" }},
		{"quoted items", func(n int) string { return "a: " + rep(`["x, [", 'y''[', `, n) + rep("]", n) + "\n" }},
		{"compact lists", func(n int) string { return rep("- ", n) + "x\n" }},
		{"lists in a list item", func(n int) string { return "- a: 1\n  b: " + rep("[", n) + rep("]", n) + "\n" }},
		{"a list at its key's column", func(n int) string { return "a:\n- b: x\n  c:\n  - " + rep("[", n) + rep("]", n) + "\n" }},
		{"block keys, then flow", func(n int) string { return blockKeys(30) + "k: " + rep("[", n) + rep("]", n) + "\n" }},
		{"after a block scalar", func(n int) string {
			return "t: |\n  x: y\n  - z\nd: &a !!seq " + rep("[", n) + rep("]", n) + "\n"
		}},
		{"wide characters", func(n int) string { return "é: ['ü', " + rep("[é, ", n) + rep("]", n) + "]\n" }},
	}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			shallow := []byte(s.doc(100))
			r, root := Parse("f.yaml", shallow)
			if root != nil || len(r.Diags) != 1 || !strings.Contains(r.Diags[0].Msg, "nesting deeper than 64") {
				t.Fatalf("100 levels: %v", r.Diags)
			}
			want := r.Diags[0].Pos
			if got, ok := r.deepAt(shallow); !ok || got != want {
				t.Errorf("100 levels: the text says %v, the tree %v", got, want)
			}
			r, _ = Parse("f.yaml", []byte(s.doc(20000)))
			if len(r.Diags) != 1 || r.Diags[0].Pos != want || !strings.Contains(r.Diags[0].Msg, "nesting deeper than 64") {
				t.Errorf("20000 levels: got %v, want %v: nesting deeper than 64 levels", r.Diags, want)
			}
		})
	}
}

func TestBidiRefused(t *testing.T) {
	for _, c := range []rune{0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069} {
		for _, tt := range []struct {
			name, data, want string
		}{
			{"raw in text", "a: [ok]\nb: [\"é " + string(c) + "x\"]\n", fmt.Sprintf("f.yaml:2:8: bidirectional control character %U is not allowed: it can make text display in another order than it is read; remove it", c)},
			{"raw in a comment", "a: [x] # " + string(c) + "\n", fmt.Sprintf("f.yaml:1:10: bidirectional control character %U is not allowed", c)},
			{"escaped in text", fmt.Sprintf("a: [\"x\\u%04x\"]\n", c), fmt.Sprintf("f.yaml:1:7: a: bidirectional control character %U in text: it can make", c)},
			{"escaped in a key", fmt.Sprintf("\"a\\u%04x\": [x]\n", c), fmt.Sprintf("f.yaml:1:3: doc: bidirectional control character %U in key \"a\\u%04x\"", c, c)},
		} {
			if _, ok := blockParse([]byte(tt.data)); ok && !strings.HasPrefix(tt.name, "escaped") {
				t.Errorf("%U %s: the block reader read it", c, tt.name)
			}
			r := walkList(tt.data)
			if len(r.Diags) != 1 || !strings.HasPrefix(r.Diags[0].String(), tt.want) {
				t.Errorf("%U %s: got %v, want %s", c, tt.name, r.Diags, tt.want)
			}
		}
	}
}

func TestKeysComparedInNFC(t *testing.T) {
	composed, decomposed := "caf\u00e9", "cafe\u0301"
	for _, filler := range []int{0, 40} {
		var b strings.Builder
		b.WriteString("m:\n")
		for i := range filler {
			fmt.Fprintf(&b, "  k%d: x\n", i)
		}
		fmt.Fprintf(&b, "  %s: 1\n  %s: 2\n  %s: 3\n", composed, decomposed, composed)
		r, root := Parse("f.yaml", []byte(b.String()))
		var keys []string
		r.Object(root, "doc", Field{Key: "m", Decode: func(n *yaml.Node) {
			r.Entries(n, "m", func(key string, _, _ *yaml.Node) { keys = append(keys, key) })
		}})
		line := filler + 2
		want := []string{
			fmt.Sprintf(`f.yaml:%d:3: m: key "cafe\u0301" and key "caf\u00e9" at %d:3 are one id written in two Unicode forms (ids are compared in NFC); keep one`, line+1, line),
			fmt.Sprintf(`f.yaml:%d:3: m: duplicate key "café" (first at line %d); keep one`, line+2, line),
		}
		var got []string
		for _, d := range r.Diags {
			got = append(got, d.String())
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%d keys before: got\n%s\nwant\n%s", filler, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(keys) != filler+1 || keys[filler] != composed {
			t.Errorf("%d keys before: keys given %+q", filler, keys[filler:])
		}
	}
	// A decomposed key reaches the walker composed.
	r, root := Parse("f.yaml", []byte("m:\n  "+decomposed+": 1\n"))
	r.Object(root, "doc", Field{Key: "m", Decode: func(n *yaml.Node) {
		r.Entries(n, "m", func(key string, _, _ *yaml.Node) {
			if key != composed {
				t.Errorf("key %+q, want %+q", key, composed)
			}
		})
	}})
}

func TestEscapesOnOneLongLine(t *testing.T) {
	const wide = 1 << 20
	data := "a: [" + strings.Repeat("é", wide) + strings.Repeat(`, "\e"`, 2000) + "]\n"
	start := time.Now()
	r := walkList(data)
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %v", elapsed)
	}
	if len(r.Diags) != maxProblems+1 {
		t.Fatalf("%d problems", len(r.Diags))
	}
	for i, d := range r.Diags[:maxProblems] {
		if want := 5 + wide + 6*i + 3; d.Pos.Col != want {
			t.Fatalf("problem %d at column %d, want %d: %s", i, d.Pos.Col, want, d)
		}
	}
}
