package score

import "sort"

// Ranked orders results by overall score, highest first; unscored last,
// ties in the order given (the loader's, which never depends on
// scheduling), as the page and sensitivity rank them.
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
		return false
	})
	return out
}
