package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/capscore/capscore/internal/score"
)

// appendResult appends res as json.MarshalIndent(res, prefix, "  ") writes
// it, through the encoder that result_json_gen.go derives from the json
// tags of score.Result, which stay the one definition of the document.
// TestAppendResult holds it to encoding/json on results with every field
// filled at random.
func appendResult(dst []byte, res *score.Result, prefix string) ([]byte, error) {
	w := jsonWriter{prefix: prefix}
	b := w.scoreResult(dst, res)
	return b, w.err
}

// array writes items as a JSON array, a nil slice as null.
func array[T any](w *jsonWriter, b []byte, items []T, each func([]byte, *T) []byte) []byte {
	if items == nil {
		return w.null(b)
	}
	b = w.open(b, '[')
	for i := range items {
		b = w.elem(b)
		b = each(b, &items[i])
	}
	return w.close(b, ']')
}

// nullOr writes null when isNil, else what write writes.
func nullOr(w *jsonWriter, b []byte, isNil bool, write func([]byte) []byte) []byte {
	if isNil {
		return w.null(b)
	}
	return write(b)
}

// jsonWriter lays out indented JSON with two spaces a level after prefix,
// as json.MarshalIndent does. Its methods take and return the buffer
// rather than keep it, which keeps the appends cheap.
type jsonWriter struct {
	prefix string
	// counts[:depth] are the members written so far at each open level;
	// a result nests five deep.
	counts [8]int
	depth  int
	err    error
}

func (w *jsonWriter) newline(b []byte) []byte {
	b = append(b, '\n')
	b = append(b, w.prefix...)
	for range w.depth {
		b = append(b, ' ', ' ')
	}
	return b
}

func (w *jsonWriter) open(b []byte, c byte) []byte {
	w.counts[w.depth] = 0
	w.depth++
	return append(b, c)
}

func (w *jsonWriter) close(b []byte, c byte) []byte {
	w.depth--
	if w.counts[w.depth] > 0 {
		b = w.newline(b)
	}
	return append(b, c)
}

// elem starts the next member of the innermost object or array.
func (w *jsonWriter) elem(b []byte) []byte {
	top := w.depth - 1
	if w.counts[top] > 0 {
		b = append(b, ',')
	}
	w.counts[top]++
	return w.newline(b)
}

// key starts a member named k, which needs no escaping: every key is a
// json tag the generator checked.
func (w *jsonWriter) key(b []byte, k string) []byte {
	b = w.elem(b)
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':', ' ')
}

func (w *jsonWriter) null(b []byte) []byte { return append(b, "null"...) }

func (w *jsonWriter) bool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

func (w *jsonWriter) int(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

func (w *jsonWriter) intPtr(b []byte, v *int) []byte {
	if v == nil {
		return w.null(b)
	}
	return strconv.AppendInt(b, int64(*v), 10)
}

func (w *jsonWriter) floatPtr(b []byte, v *float64) []byte {
	if v == nil {
		return w.null(b)
	}
	return w.float(b, *v)
}

// float writes f as encoding/json does: the shortest form, in exponent
// notation outside [1e-6, 1e21), with a one-digit negative exponent.
func (w *jsonWriter) float(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		if w.err == nil {
			w.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
		}
		return w.null(b)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// str writes s as a JSON string. Plain ASCII is written as it is; anything
// encoding/json would escape (HTML characters, control characters, invalid
// UTF-8, line separators) is left to it.
func (w *jsonWriter) str(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, err := json.Marshal(s)
			if err != nil && w.err == nil {
				w.err = fmt.Errorf("encoding %q: %w", s, err)
			}
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
