package assessment

import (
	"os"
	"testing"
)

// BenchmarkParse measures the loader on the bundled assessment and on the
// worst hostile input of the corpus: aliases expanding to the budget.
func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, file string }{
		{"japan-2021", "../../assessments/japan/2021.yaml"},
		{"alias-expansion", "../../testdata/bad/alias-expansion/assessment.yaml"},
	} {
		data, err := os.ReadFile(bc.file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				Parse(bc.file, data)
			}
		})
	}
}
