// Package assessment holds the model of one country's assessment at one
// date (findings, evidence, sources, facts), reads it from YAML with
// positions and checks it against a rubric.
package assessment

import (
	"cmp"
	"slices"
	"strings"

	"github.com/capscore/capscore/internal/diag"
)

// Assessment is a whole assessment file.
type Assessment struct {
	File       string
	Country    string
	Code       string
	Rubric     string
	Revision   string
	AsOf       Date
	Supersedes string
	Assessors  []string
	Summary    string
	Sources    map[string]*Source
	Facts      map[string]*Fact
	Findings   map[string]*Finding
	Pos        diag.Pos
	RubricPos  diag.Pos
	// FindingsPos is where the findings mapping starts, for problems about
	// what it lacks.
	FindingsPos diag.Pos

	// RubricVersion is the version of the rubric the findings were judged
	// against, when the file names it; compare warns when it differs.
	RubricVersion string

	// SupersedesPos is where supersedes is given, for revision problems.
	SupersedesPos diag.Pos
}

// Source is one cited work.
type Source struct {
	ID        string
	Title     string
	Author    string
	Publisher string
	Date      Date
	URL       string
	Pos       diag.Pos
}

// Fact is a quantity that a measured criterion reads.
type Fact struct {
	ID      string
	Value   float64
	AsOf    Date
	Sources []string
	Note    string
	// Basis says what is counted and by whom; two values on different
	// bases do not compare.
	Basis string
	Pos   diag.Pos
}

// Finding is the analyst's judgement on one criterion.
type Finding struct {
	Criterion  string
	Level      *int // nil when not stated
	Confidence Confidence
	Rationale  string
	Change     string // what changed from the superseded revision
	Evidence   []Claim
	Pos        diag.Pos
	LevelPos   diag.Pos
}

// Claim is one sentence of evidence and what it cites.
type Claim struct {
	Claim   string
	Sources []string
	Pos     diag.Pos
}

// Confidence is how sure the analyst is of a finding's level.
type Confidence string

const (
	Low    Confidence = "low"
	Medium Confidence = "medium"
	High   Confidence = "high"
)

// Label names the assessment for tables: "Japan 2021".
func (a *Assessment) Label() string {
	if a.Revision == "" {
		return a.Country
	}
	return a.Country + " " + a.Revision
}

// CitedSources returns the distinct sources a finding cites.
func (f *Finding) CitedSources() []string {
	n := 0
	for _, c := range f.Evidence {
		n += len(c.Sources)
	}
	var set IDSet
	set.Grow(n)
	for _, c := range f.Evidence {
		for _, s := range c.Sources {
			set.Add(s)
		}
	}
	return set.IDs()
}

// IDSet gathers distinct ids in order. A short list is searched, a long
// one also hashed: source lists are short, and a map for each would cost
// more than the search.
type IDSet struct {
	list []string
	hash map[string]bool
}

// Grow makes room for n more ids.
func (s *IDSet) Grow(n int) { s.list = slices.Grow(s.list, n) }

// IDs returns the distinct ids in the order they were first added.
func (s *IDSet) IDs() []string { return s.list }

// Add reports whether id is new, and keeps it if it is.
func (s *IDSet) Add(id string) bool {
	if s.hash != nil {
		if s.hash[id] {
			return false
		}
		s.hash[id] = true
	} else if slices.Contains(s.list, id) {
		return false
	}
	s.list = append(s.list, id)
	if s.hash == nil && len(s.list) > 32 {
		s.hash = make(map[string]bool, 2*len(s.list))
		for _, x := range s.list {
			s.hash[x] = true
		}
	}
	return true
}

// SourceIDs returns source ids in natural order (n2 before n10).
func (a *Assessment) SourceIDs() []string {
	ids := make([]string, 0, len(a.Sources))
	for id := range a.Sources {
		ids = append(ids, id)
	}
	SortIDs(ids)
	return ids
}

// SortIDs sorts ids so that digit runs compare by value (see CompareIDs).
func SortIDs(ids []string) { slices.SortFunc(ids, CompareIDs) }

// CompareIDs orders ids naturally: digit runs compare by value, so n2
// comes before n10. Ids equal under that order (m1, m01, m001) compare by
// their bytes, so the order is total and a sort gives one result whatever
// order its input came in.
func CompareIDs(a, b string) int {
	if c := compareNatural(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// compareNatural compares a and b as sequences of digit runs (by value)
// and single other bytes. A digit run against another byte compares by its
// first digit, which stands for every digit there: the other byte is not
// one.
func compareNatural(a, b string) int {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := trimZeros(a[:da]), trimZeros(b[:db])
			if len(na) != len(nb) {
				return cmp.Compare(len(na), len(nb))
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
