// Package report renders results for people and programs: one printer per
// format (table, markdown, csv, json). Printers only format; every number
// comes from the engine.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Format is an output format.
type Format string

const (
	Table    Format = "table"
	Markdown Format = "markdown"
	CSV      Format = "csv"
	JSON     Format = "json"
	HTML     Format = "html"
	// XLSX is an Excel workbook (package xlsx): one sheet per table.
	// Being binary, it is only written to a file.
	XLSX Format = "xlsx"
)

// ParseFormat checks a format name against those a command supports.
func ParseFormat(s string, supported ...Format) (Format, error) {
	names := make([]string, len(supported))
	for i, f := range supported {
		if string(f) == s {
			return f, nil
		}
		names[i] = string(f)
	}
	return "", fmt.Errorf("format %q: use one of %s", s, strings.Join(names, ", "))
}

// newTable makes a bordered table whose numeric columns align right.
func newTable(w io.Writer, header []string, right ...int) *tablewriter.Table {
	align := alignments(len(header), right)
	t := tablewriter.NewTable(w, append(tableOptions(align, cleanAll),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithFooterAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)...)
	t.Header(header)
	return t
}

// newMarkdownTable makes a GitHub-flavoured Markdown table.
func newMarkdownTable(w io.Writer, header []string, right ...int) *tablewriter.Table {
	align := alignments(len(header), right)
	t := tablewriter.NewTable(w, append(tableOptions(align, mdCells),
		tablewriter.WithRenderer(renderer.NewMarkdown()),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)...)
	t.Header(header)
	return t
}

// alignments aligns the right columns right and the rest left.
func alignments(columns int, right []int) []tw.Align {
	align := make([]tw.Align, columns)
	for i := range align {
		align[i] = tw.AlignLeft
	}
	for _, i := range right {
		align[i] = tw.AlignRight
	}
	return align
}

// tableOptions are what every table shares: header text as written, no
// wrapping, the given row alignment, and every cell passed through filter,
// which cleans it so no table carries an escape sequence from an input file
// to the terminal.
func tableOptions(align []tw.Align, filter func([]string) []string) []tablewriter.Option {
	clean := tw.CellFilter{Global: filter}
	return []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderFilter(clean),
		tablewriter.WithRowFilter(clean),
		tablewriter.WithFooterFilter(clean),
	}
}
