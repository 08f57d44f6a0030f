package assessment

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// IDSet keeps the first of each id in order, below and above the length
// where it starts hashing.
func TestIDSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 100; n++ {
		var set IDSet
		var want []string
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("n%d", rng.IntN(60))
			fresh := !slices.Contains(want, id)
			if fresh {
				want = append(want, id)
			}
			if got := set.Add(id); got != fresh {
				t.Fatalf("n=%d: Add(%s) = %v, want %v", n, id, got, fresh)
			}
		}
		if !slices.Equal(set.IDs(), want) {
			t.Fatalf("n=%d: %v, want %v", n, set.IDs(), want)
		}
	}
}
