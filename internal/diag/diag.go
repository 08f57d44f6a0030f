// Package diag holds positioned problems found in input files, so every
// loader reports all of them in one format: FILE:LINE:COL: message.
package diag

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severity says whether a problem stops the run.
type Severity int

const (
	// Error makes the input invalid.
	Error Severity = iota
	// Warning is printed but does not change the exit status.
	Warning
)

// Pos is a place in a file; Line and Col start at 1, 0 when unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String is FILE:LINE:COL, the file name written as Name writes it.
func (p Pos) String() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", Name(p.File), p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", Name(p.File), p.Line)
	default:
		return Name(p.File)
	}
}

// Name returns a file name as it may be printed. A name can hold what a
// file's text cannot: control characters, bidirectional and other
// invisible formatting characters, line separators, bytes that are not
// UTF-8. Those are written as escapes (\u202e, \x9b), so a name can
// neither drive the terminal nor reorder the line it is printed on.
// Backslashes are kept as they are, being Windows' separator, so
// Name(Name(s)) == Name(s).
func Name(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsGraphic(r):
			b.WriteString(s[i : i+size])
		case r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// Diagnostic is one problem at one place.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Msg      string
}

func (d Diagnostic) String() string {
	prefix := ""
	if d.Severity == Warning {
		prefix = "warning: "
	}
	if d.Pos.File == "" {
		return prefix + d.Msg
	}
	return d.Pos.String() + ": " + prefix + d.Msg
}

// List collects diagnostics in the order they were found.
type List []Diagnostic

// Errorf adds an error at pos.
func (l *List) Errorf(pos Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning at pos.
func (l *List) Warnf(pos Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (l List) Errors() List { return l.filter(Error) }

// Warnings returns only the warnings.
func (l List) Warnings() List { return l.filter(Warning) }

func (l List) filter(s Severity) List {
	var out List
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by file, line and column, keeping the order of
// those at the same place, so output never depends on map iteration.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// MaxShown caps how many problems one error message lists.
const MaxShown = 50

// Error lets a list of errors travel as an error value; it prints at most
// MaxShown lines and counts the rest.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i == MaxShown {
			fmt.Fprintf(&b, "... and %d more problems\n", len(l)-MaxShown)
			break
		}
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Suggest returns the candidate closest to s when it is close enough to be a
// likely slip (edit distance at most a third of its length, at least 1).
func Suggest(s string, candidates []string) string {
	best, bestD := "", len(s)/3+1
	if bestD < 2 {
		bestD = 2
	}
	for _, c := range candidates {
		// The distance is at least the difference in length; skipping
		// those keeps a megabyte-long id from costing seconds.
		if abs(len(s)-len(c)) >= bestD {
			continue
		}
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// DidYouMean formats a suggestion for appending to a message, or "".
func DidYouMean(s string, candidates []string) string {
	if c := Suggest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// distance is the Levenshtein distance over bytes; ids are ASCII.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
