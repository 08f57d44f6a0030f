package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// hostileName is a file name that is hostile Markdown too; file names
// reach the output in headings, code spans and weight origins.
const hostileName = "[x](javascript:alert(1)) <img src=x onerror=alert(1)> `b` **c** www.evil.example.yaml"

// legitURL is the one source address in the hostile corpus that may become
// a link, as the renderer writes it (percent-encoded for an autolink).
const legitURL = "https://example.org/report?a=1&b=%3C2%3E&c=%603%60"

// quoted matches the double-quoted YAML scalars of the hostile corpus:
// every one is hostile text, and nothing else is quoted.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// writeCorpus copies testdata/hostile into dir. Plain, it replaces every
// hostile text with plain words, giving the same documents without it.
func writeCorpus(t *testing.T, testdata, dir string, plain bool) (assessment string) {
	t.Helper()
	src := filepath.Join(testdata, "hostile")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if plain {
			data = quoted.ReplaceAllFunc(data, func(q []byte) []byte {
				if bytes.HasPrefix(q, []byte(`"https://example.org/`)) {
					return q
				}
				n++
				return []byte(`"plain words ` + strings.Repeat("w", n) + `"`)
			})
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// One assessment and the AHP matrix go under a hostile name as well.
	name, ahp := hostileName, "ahp "+hostileName
	if plain {
		name, ahp = "plain name.yaml", "ahp plain name.yaml"
	}
	data, err := os.ReadFile(filepath.Join(src, "a2021.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if plain {
		data, _ = os.ReadFile(filepath.Join(dir, "a2021.yaml"))
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	matrix, err := os.ReadFile(filepath.Join(testdata, "weights", "protection.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ahp), matrix, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// Every Markdown output of a corpus whose every text is hostile Markdown
// renders, through a CommonMark renderer with GitHub's extensions that
// lets raw HTML through, to the same elements as the same corpus with
// plain words instead: nothing in the HTML came from input text. The only
// elements are those the renderers write, and the only link is the one
// web address among the sources.
func TestMarkdownIsInert(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	commands := [][]string{
		{"score", "--detail", "a2020.yaml", "NAME"},
		{"validate", "a2020.yaml", "NAME", "bad.yaml"},
		{"weights", "--profile", "tilted"},
		{"weights", "ahp", "ahp NAME"},
		{"explain", "doctrine", "NAME"},
		{"explain", "cyber-force", "NAME"},
		{"explain", "strategy", "NAME"},
		{"explain", "offence", "a2020.yaml"},
		{"compare", "a2020.yaml", "NAME"},
		{"sensitivity", "a2020.yaml", "NAME", "--samples", "200", "--sobol", "64"},
	}
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	type run struct{ hostile, plain string }
	runs := make([]run, len(commands))
	for _, plain := range []bool{false, true} {
		dir := t.TempDir()
		name := writeCorpus(t, testdata, dir, plain)
		t.Chdir(dir)
		for i, c := range commands {
			args := []string{"--rubric", "rubric.yaml", "--format", "markdown"}
			for _, a := range c {
				args = append(args, strings.ReplaceAll(a, "NAME", name))
			}
			res := runCLI(t, nil, args...)
			if res.stdout == "" || strings.Contains(res.stderr, "panic") {
				t.Fatalf("%v: exit %d, no output:\n%s", args, res.code, res.stderr)
			}
			var b bytes.Buffer
			if err := md.Convert([]byte(res.stdout), &b); err != nil {
				t.Fatal(err)
			}
			if plain {
				runs[i].plain = b.String()
			} else {
				runs[i].hostile = b.String()
			}
		}
	}
	for i, c := range commands {
		hostile, plain := skeleton(t, runs[i].hostile), skeleton(t, runs[i].plain)
		if hostile != plain {
			t.Errorf("%v: the hostile corpus renders other elements than the plain one:\n--- hostile ---\n%s\n--- plain ---\n%s\n--- HTML ---\n%s",
				c, hostile, plain, runs[i].hostile)
		}
	}
}

// rendered are the elements the Markdown renderers produce, with the
// attributes each may carry.
var rendered = map[string][]string{
	"html": nil, "head": nil, "body": nil,
	"h2": nil, "h3": nil, "p": nil, "ul": nil, "ol": {"start"}, "li": nil,
	"strong": nil, "em": nil, "code": nil, "a": {"href"},
	"table": nil, "thead": nil, "tbody": nil, "tr": nil, "th": {"style", "align"}, "td": {"style", "align"},
}

// skeleton lists the elements of an HTML document with their attributes,
// one a line, indented by depth, checking each against rendered.
func skeleton(t *testing.T, doc string) string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if n.Type == html.ElementNode {
			allowed, ok := rendered[n.Data]
			if !ok {
				t.Errorf("element <%s> in the HTML", n.Data)
			}
			b.WriteString(strings.Repeat(" ", depth) + n.Data)
			for _, a := range n.Attr {
				if !strings.Contains(" "+strings.Join(allowed, " ")+" ", " "+a.Key+" ") {
					t.Errorf("<%s %s=%q> in the HTML", n.Data, a.Key, a.Val)
				}
				switch {
				case a.Key == "href" && a.Val != legitURL:
					t.Errorf("link to %q in the HTML", a.Val)
				case a.Key == "start" && strings.Trim(a.Val, "0123456789") != "",
					a.Key == "style" && !strings.HasPrefix(a.Val, "text-align:"):
					t.Errorf("<%s %s=%q> in the HTML", n.Data, a.Key, a.Val)
				}
				b.WriteString(" " + a.Key + "=" + a.Val)
			}
			b.WriteByte('\n')
			depth++
		}
		if n.Type == html.CommentNode {
			t.Errorf("comment %q in the HTML", n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth)
		}
	}
	walk(root, 0)
	return b.String()
}
