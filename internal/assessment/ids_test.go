package assessment

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestCompareIDsNatural(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"n2", "n10"}, {"n9", "n10"}, {"n1", "n1a"}, {"a", "b"}, {"", "a"},
		{"m001", "m01"}, {"m01", "m1"}, {"m1", "m2"}, {"m001", "m2"},
		{"x", "x0"}, {"n-1", "n1"}, {"n1", "na"}, {"n99999999999999999999", "n100000000000000000000"},
	} {
		if c := CompareIDs(tc.a, tc.b); c != -1 {
			t.Errorf("CompareIDs(%q, %q) = %d, want -1", tc.a, tc.b, c)
		}
	}
}

// CompareIDs is a total order: it says two ids are equal only when they
// are, it is antisymmetric, and it is transitive, over a generated set
// rich in digit runs with leading zeros.
func TestCompareIDsTotalOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	parts := []string{"", "0", "00", "1", "01", "001", "9", "10", "010", "a", "b", "-", "~", "é"}
	seen := map[string]bool{}
	var ids []string
	for len(ids) < 120 {
		s := ""
		for k := rng.IntN(4); k >= 0; k-- {
			s += parts[rng.IntN(len(parts))]
		}
		if !seen[s] {
			seen[s] = true
			ids = append(ids, s)
		}
	}
	for _, a := range ids {
		for _, b := range ids {
			ab, ba := CompareIDs(a, b), CompareIDs(b, a)
			if ab != -ba {
				t.Fatalf("not antisymmetric: (%q, %q) gives %d and %d", a, b, ab, ba)
			}
			if (ab == 0) != (a == b) {
				t.Fatalf("CompareIDs(%q, %q) = %d", a, b, ab)
			}
			if ab > 0 {
				continue
			}
			for _, c := range ids {
				if CompareIDs(b, c) <= 0 && CompareIDs(a, c) > 0 {
					t.Fatalf("not transitive: %q ≤ %q ≤ %q but %q > %q", a, b, c, a, c)
				}
			}
		}
	}
}

// Sorting gives one order whatever order the ids came in.
func TestSortIDsOneOrder(t *testing.T) {
	want := []string{"m001", "m01", "m1", "m2", "m010", "m10", "n1"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		ids := slices.Clone(want)
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		SortIDs(ids)
		if !slices.Equal(ids, want) {
			t.Fatalf("SortIDs gave %q, want %q", ids, want)
		}
	}
}
