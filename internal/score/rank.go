package score

import "sort"

// Ranked orders results by overall score, highest first; unscored last,
// ties by file name so the order never depends on scheduling.
func Ranked(results []*Result) []*Result {
	out := append([]*Result(nil), results...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Overall, out[j].Overall
		switch {
		case a == nil || b == nil:
			if (a == nil) != (b == nil) {
				return b == nil
			}
		case *a != *b:
			return *a > *b
		}
		return out[i].File < out[j].File
	})
	return out
}
