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
