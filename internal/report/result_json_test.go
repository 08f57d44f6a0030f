package report

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// fill sets every field reachable from v at random, pointers and slices
// nil or not, so a field the hand encoder forgets shows as a difference.
func fill(rng *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if rng.IntN(4) == 0 || v.Type().Elem().Kind() == reflect.Struct && v.Type().Elem().Name() == "Assessment" {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(rng, v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(rng, v.Field(i))
			}
		}
	case reflect.Slice:
		if rng.IntN(5) == 0 {
			return
		}
		n := rng.IntN(4)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := 0; i < n; i++ {
			fill(rng, v.Index(i))
		}
	case reflect.String:
		v.SetString(randomText(rng))
	case reflect.Float64:
		v.SetFloat(randomFloat(rng))
	case reflect.Int:
		v.SetInt(int64(rng.IntN(2001) - 1000))
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	}
}

func randomText(rng *rand.Rand) string {
	pieces := []string{"", "a", "Japan", "JPN", "national-strategy", "<b>", "&", "\"q\"", `\`, "\n", "\t", "\x01", "\x7f",
		"é", "日本", "\u2028", "\u2029", "\xff", "\xe2\x80", "Tier 3 — weaknesses", " ", "low"}
	s := ""
	for n := rng.IntN(4); n > 0; n-- {
		s += pieces[rng.IntN(len(pieces))]
	}
	return s
}

func randomFloat(rng *rand.Rand) float64 {
	special := []float64{0, math.Copysign(0, -1), 1, 100, 54.76190476190476, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 1.5e300,
		5e-324, -3.25, 0.1, 1.0 / 3, 12345678.9}
	if rng.IntN(2) == 0 {
		return special[rng.IntN(len(special))]
	}
	return math.Float64frombits(rng.Uint64()&^(0x7ff<<52) | uint64(rng.IntN(0x7fe))<<52)
}

func TestAppendResult(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 20000; i++ {
		var res score.Result
		fill(rng, reflect.ValueOf(&res).Elem())
		want, err := json.MarshalIndent(&res, "    ", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendResult(nil, &res, "    ")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("result %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func TestAppendResultRefusesWhatJSONRefuses(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		res := &score.Result{Coverage: f}
		if _, err := json.Marshal(res); err == nil {
			t.Fatal("encoding/json took a non-finite number")
		}
		if _, err := appendResult(nil, res, ""); err == nil {
			t.Errorf("appendResult took %v", f)
		}
	}
}

// BenchmarkScoresJSON encodes the bundled Japan results as `capscore score
// --format json` does, through the generated encoder and through
// encoding/json.
func BenchmarkScoresJSON(b *testing.B) {
	r, as := fixture(b, true)
	w := weights.Defaults(r)
	var results []*score.Result
	for _, a := range as {
		results = append(results, score.Score(r, a, w, score.Options{}))
	}
	b.Run("appendResult", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			for _, res := range results {
				var err error
				if buf, err = appendResult(buf[:0], res, "    "); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, res := range results {
				if _, err := json.MarshalIndent(res, "    ", "  "); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
