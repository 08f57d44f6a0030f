package cli

import "github.com/capscore/capscore/internal/report"

// needFile refuses a binary format without --output: a workbook written
// to a terminal or a pipe is no use to anyone.
func (a *app) needFile(f report.Format) error {
	if f == report.XLSX && (a.globals.output == "" || a.globals.output == "-") {
		return usagef("--format xlsx writes a binary workbook; give -o FILE.xlsx")
	}
	return nil
}
