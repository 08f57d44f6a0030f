package report

// cleanAll is the cell filter of every table.
func cleanAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Clean(c)
	}
	return out
}
