package report

import "strings"

// cleanAll is the cell filter of every bordered table.
func cleanAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Clean(c)
	}
	return out
}

// escapePipes cleans Markdown cells and escapes the pipes that would
// otherwise end a cell early.
func escapePipes(cells []string) []string {
	out := cleanAll(cells)
	for i, c := range out {
		out[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	return out
}
