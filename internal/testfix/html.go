package testfix

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// ParseHTML parses a page or report.
func ParseHTML(t testing.TB, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// Find returns the elements under n that match, in document order.
func Find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// Attr is the value of an element's attribute, "" when it has none.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Text is the text under n, trimmed.
func Text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// Cells is the text of every cell of a table's body rows.
func Cells(table *html.Node) [][]string {
	var rows [][]string
	for _, tr := range Find(table, func(n *html.Node) bool { return n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" }) {
		var row []string
		for _, c := range Find(tr, func(n *html.Node) bool { return n.Data == "td" || n.Data == "th" }) {
			row = append(row, Text(c))
		}
		rows = append(rows, row)
	}
	return rows
}

// Rows is Cells of the one table of class under n.
func Rows(t testing.TB, n *html.Node, class string) [][]string {
	t.Helper()
	tables := Find(n, func(n *html.Node) bool { return n.Data == "table" && Attr(n, "class") == class })
	if len(tables) != 1 {
		t.Fatalf("%d tables of class %s, want one", len(tables), class)
	}
	return Cells(tables[0])
}
