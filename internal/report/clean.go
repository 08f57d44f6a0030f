package report

import (
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// cleanCells passes every table cell through Clean, so no table can carry
// an escape sequence from an input file to the terminal whichever field a
// printer puts in it.
var cleanCells = []tablewriter.Option{
	tablewriter.WithHeaderFilter(tw.CellFilter{Global: cleanAll}),
	tablewriter.WithRowFilter(tw.CellFilter{Global: cleanAll}),
	tablewriter.WithFooterFilter(tw.CellFilter{Global: cleanAll}),
}

func cleanAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Clean(c)
	}
	return out
}
