package textsafe

import (
	"encoding/csv"
	"io"
	"strconv"
)

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
