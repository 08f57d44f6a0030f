package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/report/textsafe"
)

// WriteDiagnostics renders validation problems and a closing count.
func WriteDiagnostics(w io.Writer, f Format, l diag.List, files int) error {
	errs, warns := len(l.Errors()), len(l.Warnings())
	switch f {
	case JSON:
		type item struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Col      int    `json:"col"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		doc := struct {
			Files    int    `json:"files"`
			Errors   int    `json:"errors"`
			Warnings int    `json:"warnings"`
			Problems []item `json:"problems"`
		}{Files: files, Errors: errs, Warnings: warns, Problems: []item{}}
		for _, d := range l {
			doc.Problems = append(doc.Problems, item{d.Pos.File, d.Pos.Line, d.Pos.Col, severity(d), d.Msg})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case CSV:
		c := textsafe.NewCSV(w)
		if err := c.Write("file", "line", "col", "severity", "message"); err != nil {
			return err
		}
		for _, d := range l {
			if err := c.Write(d.Pos.File, strconv.Itoa(d.Pos.Line), strconv.Itoa(d.Pos.Col), severity(d), d.Msg); err != nil {
				return err
			}
		}
		return c.Flush()
	case Markdown:
		fmt.Fprintf(w, "## Validation: %d error(s), %d warning(s) in %d file(s)\n\n", errs, warns, files)
		for _, d := range l {
			fmt.Fprintf(w, "- **%s** %s: %s\n", severity(d), textsafe.MarkdownCode(d.Pos.String()), textsafe.MarkdownText(d.Msg))
		}
		return nil
	}
	for _, d := range l {
		fmt.Fprintln(w, textsafe.Clean(d.String()))
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s) in %d file(s)\n", errs, warns, files)
	return nil
}

func severity(d diag.Diagnostic) string {
	if d.Severity == diag.Warning {
		return "warning"
	}
	return "error"
}
