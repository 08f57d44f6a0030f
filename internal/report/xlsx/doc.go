// Package xlsx writes the Excel workbooks of `score`, `compare` and
// `sensitivity --format xlsx`: one sheet per table, numbers at full
// precision, text with formula cells neutralised, streamed row by row,
// and the same bytes for the same input.
package xlsx
