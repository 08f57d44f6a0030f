// Package textfmt is how the engine's values read as text in every
// output: scores to one decimal, shares as percentages, signed changes,
// levels and tiers in words, result labels, agreement figures, and the
// lines naming the layers that shaped a run. The text printers, the HTML
// report, the workbooks and the local page all use it, so a number reads
// the same wherever it is shown.
package textfmt
