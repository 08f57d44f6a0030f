// Package report renders results for people and programs: one printer per
// format (table, markdown, csv, json). Printers only format; every number
// comes from the engine.
package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
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

// num1 rounds to one decimal for tables; nil prints as a dash.
func num1(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}

// full prints a float at full precision for machine formats.
func full(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }

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

// CSVWriter writes RFC 4180 records with spreadsheet-formula cells
// neutralised.
type CSVWriter struct{ w *csv.Writer }

// NewCSV returns a CSV writer on w.
func NewCSV(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one record.
func (c *CSVWriter) Write(cells ...string) error {
	out := make([]string, len(cells))
	for i, s := range cells {
		out[i] = SafeCell(s)
	}
	return c.w.Write(out)
}

// Flush flushes and returns the first write error.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// SafeCell prefixes a quote to text a spreadsheet would run as a formula
// (leading =, +, -, @, tab or CR). Numbers are left alone so that negative
// deltas stay numbers.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] == '-' {
			return s
		}
		return "'" + s
	}
	return s
}

// Clean removes ANSI escape sequences and control characters from text that
// came from input files, so it cannot rewrite the user's terminal.
func Clean(s string) string {
	// Bytes that are not UTF-8 (from file names) become U+FFFD, so a lone
	// 0x9b cannot reach a terminal that reads it as CSI.
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0x1b {
			i = skipEscape(s, i)
			continue
		}
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			continue
		}
		b.WriteByte(c)
	}
	return strings.Map(func(r rune) rune {
		if r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, b.String())
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0
}

// skipEscape returns the index of the last byte of the escape at s[i].
func skipEscape(s string, i int) int {
	if i+1 >= len(s) {
		return i
	}
	switch s[i+1] {
	case '[': // CSI: parameters, then one final byte
		j := i + 2
		for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
			j++
		}
		return j
	case ']', 'P', '_', '^': // OSC, DCS, APC, PM: a string up to BEL or ESC \
		for j := i + 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 1
			}
		}
		return len(s) - 1
	}
	return i + 1
}

// levelOf turns a score back into a level on the scale, for labels.
func levelOf(score float64, min, max int) float64 {
	return float64(min) + score/100*float64(max-min)
}

// floorLevel is the level a mean has reached, tolerant of float noise.
func floorLevel(l float64) int { return int(math.Floor(l + 1e-9)) }
