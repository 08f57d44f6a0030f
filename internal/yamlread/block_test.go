package yamlread_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capscore/capscore/assessments"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/testcorpus/corpus"
	"github.com/capscore/capscore/internal/yamlread"
	"github.com/capscore/capscore/rubrics"
	"go.yaml.in/yaml/v3"
)

// decode is the reference: yaml.v3's root node, or an error when the
// bytes are not one YAML document.
func decode(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("a second document, or %v", err)
	}
	if len(doc.Content) != 1 {
		return nil, errors.New("no content")
	}
	return doc.Content[0], nil
}

// diff describes the first difference between two trees, comments aside.
func diff(got, want *yaml.Node, path string) string {
	if got.Kind != want.Kind || got.Style != want.Style || got.Tag != want.Tag || got.Value != want.Value ||
		got.Anchor != want.Anchor || got.Line != want.Line || got.Column != want.Column || len(got.Content) != len(want.Content) {
		return fmt.Sprintf("%s:\n got kind %d style %d tag %s %q at %d:%d with %d children\nwant kind %d style %d tag %s %q at %d:%d with %d children",
			path, got.Kind, got.Style, got.Tag, got.Value, got.Line, got.Column, len(got.Content),
			want.Kind, want.Style, want.Tag, want.Value, want.Line, want.Column, len(want.Content))
	}
	for i := range got.Content {
		if d := diff(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// dirty is a document a reused Decoder reads before the one under test,
// so that whatever the last document left in its memory would show.
const dirty = "a: [x, \"y\"]\nb:\n  - c: |\n      text\n    d: 2021-06-28\n  - e: >-\n      more\nf: 1\n"

// agree checks that whatever Parse accepts, yaml.v3 reads the same way,
// and that a Decoder reused after another document reads it alike.
func agree(t testing.TB, data []byte) bool {
	got, ok := yamlread.BlockParse(data)
	var d yamlread.BlockDecoder
	if _, ok := d.Parse([]byte(dirty)); !ok {
		t.Fatal("the dirtying document was declined")
	}
	again, okAgain := d.Parse(data)
	if ok != okAgain {
		t.Fatalf("a fresh parse says %v, a reused Decoder %v:\n%s", ok, okAgain, data)
	}
	if !ok {
		return false
	}
	want, err := decode(data)
	if err != nil {
		t.Fatalf("accepted what yaml.v3 refuses (%v):\n%s", err, data)
	}
	if d := diff(got, want, ""); d != "" {
		t.Fatalf("differs from yaml.v3 at %s\ninput:\n%s", d, data)
	}
	if d := diff(again, want, ""); d != "" {
		t.Fatalf("reused Decoder: differs from yaml.v3 at %s\ninput:\n%s", d, data)
	}
	return true
}

func bundled(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, fsys := range []fs.FS{rubrics.FS, assessments.FS} {
		err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(name, ".yaml") {
				files[name], err = fs.ReadFile(fsys, name)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// The speed of every command rests on the bundled files and generated
// corpora taking the fast path; each must also read as yaml.v3 reads it.
func TestBundledAndGeneratedFilesTakeTheFastPath(t *testing.T) {
	files := bundled(t)
	r, ds := rubric.Parse("rubric", files[rubrics.Default])
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	for c := 0; c < 3; c++ {
		for v := 0; v < 2; v++ {
			data, err := corpus.Assessment(r, corpus.Options{Countries: 3, Revisions: 2, Seed: 7}.Defaults(), c, v)
			if err != nil {
				t.Fatal(err)
			}
			files[fmt.Sprintf("corpus-%d-%d", c, v)] = data
		}
	}
	for name, data := range files {
		if !agree(t, data) {
			t.Errorf("%s: declined; it should take the fast path", name)
		}
	}
}

// Every YAML file in the repository's test data either takes the fast
// path and reads as yaml.v3 reads it, or is declined.
func TestTestdataAgreesOrIsDeclined(t *testing.T) {
	accepted, declined := 0, 0
	err := filepath.WalkDir("../..", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			return err
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if agree(t, data) {
			accepted++
		} else {
			declined++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d accepted, %d declined", accepted, declined)
	if accepted == 0 || declined == 0 {
		t.Errorf("%d accepted, %d declined: the walk should meet both", accepted, declined)
	}
}

var snippets = []struct {
	name string
	src  string
	ok   bool // the fast path reads it
}{
	{"map", "a: 1\nb: two\n", true},
	{"nested map", "a:\n  b: 1\n  c:\n    d: x\ne: y\n", true},
	{"sequence", "a:\n  - 1\n  - x\n", true},
	{"indentless sequence", "a:\n- 1\n- x\nb: 2\n", true},
	{"sequence of maps", "- a: 1\n  b: 2\n- c: 3\n", true},
	{"wide dash", "-   a: 1\n    b: 2\n", true},
	{"comments", "# head\na: 1 # line\n\n  # indented\nb: 2\n", true},
	{"types", "i: 42\nz: 0\nf: 0.25\nd: 2021-06-28\nd1: 2021-6-8\nbad: 2021-02-30\nt: true\nn: null\nt2: ~\ns: yes\nv: 1.2.3\n", true},
	{"key spacing", "a   : 1\nb:    2\n", true},
	{"quoted value then colon", "k: \"é\": x\n", false},
	{"unicode value", "ключ: значение\nb: [é, ü]\n", true},
	{"double quoted", "a: \"x \\\"y\\\" \\u00e9 \\x41 \\t\"\nb: \"\"\n", true},
	{"single quoted", "a: 'it''s'\nb: ''\n'k': v\n", true},
	{"quoted keys", "\"a b\": 1\n'c': 2\n", true},
	{"flow", "a: [x, \"y\", 'z', 3]\nb: []\nc: {}\n", true},
	{"flow spaced", "a: [ x ,  y ]\n", true},
	{"literal", "a: |\n  one\n  two\n\n  three\nb: |-\n  x\n   y\n", true},
	{"folded", "a: >\n  one\n  two\n\n  three\n\n\n  four\nb: >-\n  x\n  y\n\n\n", true},
	{"block in sequence", "- >-\n  x\n  y\n- |\n  z\n", true},
	{"block with comment", "a: > # why\n  x\n# after\nb: 1\n", true},
	{"hash in text", "a: x#y\nb: '#'\n", true},
	{"url value", "a: http://x.org/a:b\n", true},
	{"colon key", "a:b: c\n", true},
	{"root sequence", "- 1\n- 2\n", true},

	{"empty value", "a:\nb: 1\n", false},
	{"empty item", "-\n- 1\n", false},
	{"multi-line plain", "a: x\n  y\n", false},
	{"multi-line quoted", "a: \"x\n  y\"\n", false},
	{"anchor", "a: &x 1\nb: *x\n", false},
	{"tag", "a: !!str 1\n", false},
	{"tab", "a:\t1\n", false},
	{"crlf", "a: 1\r\n", false},
	{"no final newline", "a: 1", false},
	{"document marker", "---\na: 1\n", false},
	{"second document", "a: 1\n---\nb: 2\n", false},
	{"directive", "%YAML 1.2\n---\na: 1\n", false},
	{"complex key", "? a\n: 1\n", false},
	{"flow map", "a: {b: 1}\n", false},
	{"nested flow", "a: [[1]]\n", false},
	{"trailing comma", "a: [1,]\n", false},
	{"keep chomping", "a: |+\n  x\n\n", false},
	{"indentation indicator", "a: |2\n   x\n", false},
	{"leading blank in block", "a: |\n\n  x\n", false},
	{"more indented folded", "a: >\n  x\n    y\n", false},
	{"trailing space in block", "a: |\n  x \n", false},
	{"negative", "a: -1\n", false},
	{"leading zero", "a: 0777\n", false},
	{"hex", "a: 0x1F\n", false},
	{"special float", "a: .inf\n", false},
	{"exponent", "a: 1e3\n", false},
	{"nested sequence", "- - 1\n", false},
	{"value with colon space", "a: b: c\n", false},
	{"bad indentation", "a: 1\n  b: 2\n", false},
	{"dedent mismatch", "a:\n    b: 1\n  c: 2\n", false},
	{"scalar root", "hello\n", false},
	{"comments only", "# x\n", false},
	{"rare escape", "a: \"\\N\"\n", false},
	{"slash escape", "a: \"\\/\"\n", false},
	{"question mark in flow", "a: [a?b]\n", false},
	{"surrogate", "a: \"\\ud800\"\n", false},
	{"block below parent", "a:\n  b: >\n  x\n", false},
	{"key at end", "a: 1\nb\n", false},
	{"bidi override", "a: abc\u202edef\n", false},
	{"bidi isolate in a comment", "a: 1 # \u2067x\n", false},
	{"bidi mark in a key", "\u200fk: 1\n", false},
	{"arabic letter mark", "a: [x\u061c]\n", false},
	{"bidi escape", "a: \"\\u202e\"\n", true}, // the caller refuses its value
}

func TestSnippets(t *testing.T) {
	for _, s := range snippets {
		t.Run(s.name, func(t *testing.T) {
			if got := agree(t, []byte(s.src)); got != s.ok {
				t.Errorf("fast path took it: %v, want %v\n%s", got, s.ok, s.src)
			}
		})
	}
}

// FuzzBlockParse holds the fast path to yaml.v3: on any input it either
// declines or builds the tree yaml.v3 builds.
func FuzzBlockParse(f *testing.F) {
	for _, s := range snippets {
		f.Add([]byte(s.src))
	}
	for _, data := range bundled(f) {
		// The head of each bundled file, so the fuzzer mutates real shapes
		// at a size it can run quickly.
		f.Add(data[:min(len(data), 1500)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		agree(t, data)
	})
}

func BenchmarkParse(b *testing.B) {
	data := bundled(b)["japan/2021.yaml"]
	b.Run("block reader", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, ok := yamlread.BlockParse(data); !ok {
				b.Fatal("declined")
			}
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
