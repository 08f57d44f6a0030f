package report

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter"
)

// TestTablesClean checks that any cell, whichever printer fills it, reaches
// the terminal without escape sequences or control characters.
func TestTablesClean(t *testing.T) {
	evil := "Ja\x1b[2J\x1b]0;owned\x07pan\u009b31m"
	for name, mk := range map[string]func(io.Writer, []string, ...int) *tablewriter.Table{
		"table": newTable, "markdown": newMarkdownTable,
	} {
		var b bytes.Buffer
		tab := mk(&b, []string{"head" + evil, "value"})
		if err := tab.Append([]string{evil, "1"}); err != nil {
			t.Fatal(err)
		}
		if err := tab.Render(); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%s: control characters in %q", name, out)
		}
		if !strings.Contains(out, "head") || !strings.Contains(out, "Ja") {
			t.Errorf("%s: text lost: %q", name, out)
		}
	}
}

func TestCleanEscapes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"title\x1b]0;owned\x07 rest", "title rest"},
		{"link \x1b]8;;http://x\x1b\\text\x1b]8;;\x1b\\", "link text"},
		{"bell\x07 and nul\x00", "bell and nul"},
		{"csi\u009bcut", "csicut"},
		{"raw\x9bbyte", "raw\uFFFDbyte"},
		{"trailing\x1b", "trailing"},
		{"line\nbreak\ttab", "line\nbreak\ttab"},
	} {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownCellsEscapePipes(t *testing.T) {
	var b strings.Builder
	tb := newMarkdownTable(&b, []string{"Assessment", "Overall"})
	if err := tb.Append([]string{"Land | of pipes", "1.0"}); err != nil {
		t.Fatal(err)
	}
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `Land \| of pipes`) {
		t.Errorf("pipe not escaped:\n%s", b.String())
	}
}
