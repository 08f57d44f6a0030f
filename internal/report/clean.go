package report

import "github.com/capscore/capscore/internal/report/textsafe"

// cleanAll is the cell filter of every bordered table.
func cleanAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = textsafe.Clean(c)
	}
	return out
}

// mdCells is the cell filter of every Markdown table: each cell is one
// line of inert text (textsafe.MarkdownCell), so no pipe ends it early
// and no markup in it acts.
func mdCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = textsafe.MarkdownCell(c)
	}
	return out
}
