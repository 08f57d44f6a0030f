package assessment

import (
	"sort"
	"strings"

	"github.com/capscore/capscore/internal/diag"
)

// CheckRevisions checks the supersedes links among assessments given
// together. Where two or more assessments of one country are given, each
// revision label appears once per set of assessors (a panel: several files of
// one revision by different assessors), every supersedes names a revision among
// them, no chain of supersedes comes back to where it started, and a
// revision is not dated before the one it supersedes. A lone assessment of a
// country is not checked: the revision it supersedes is simply not in view.
func CheckRevisions(as []*Assessment) diag.List {
	var l diag.List
	byCountry := map[string][]*Assessment{}
	for _, a := range as {
		if a == nil {
			continue
		}
		key := a.Code
		if key == "" {
			key = a.Country
		}
		byCountry[key] = append(byCountry[key], a)
	}
	countries := make([]string, 0, len(byCountry))
	for c := range byCountry {
		countries = append(countries, c)
	}
	sort.Strings(countries)
	for _, c := range countries {
		if group := byCountry[c]; len(group) > 1 {
			l = append(l, checkCountry(c, group)...)
		}
	}
	return l
}

func checkCountry(country string, group []*Assessment) diag.List {
	var l diag.List
	byRev := map[string]*Assessment{}
	var labels []string
	panel := map[string][]*Assessment{}
	dup := map[*Assessment]bool{}
	for _, a := range group {
		if _, seen := byRev[a.Revision]; seen {
			for _, other := range panel[a.Revision] {
				if sameAssessors(other.Assessors, a.Assessors) {
					l.Errorf(a.Pos, "revision %q of %s is also given in %s by the same assessors; each revision of a country is one file, or one per assessor of a panel", a.Revision, country, other.File)
					dup[a] = true
					break
				}
			}
			if !dup[a] {
				panel[a.Revision] = append(panel[a.Revision], a)
			}
			continue
		}
		byRev[a.Revision] = a
		panel[a.Revision] = []*Assessment{a}
		labels = append(labels, a.Revision)
	}
	reported := map[string]bool{}
	for _, a := range group {
		if a.Supersedes == "" || dup[a] {
			continue
		}
		old, ok := byRev[a.Supersedes]
		if !ok {
			l.Errorf(a.SupersedesPos, "supersedes revision %q of %s, which is not among the files given%s; name its file too or correct the label",
				a.Supersedes, country, diag.DidYouMean(a.Supersedes, labels))
			continue
		}
		if old != a && !old.AsOf.IsZero() && !a.AsOf.IsZero() && old.AsOf.After(a.AsOf) {
			l.Errorf(a.SupersedesPos, "revision %q (as of %s) supersedes %q, which is as of %s, later; a revision supersedes an earlier one",
				a.Revision, a.AsOf, old.Revision, old.AsOf)
		}
		if cycle := cycleFrom(a, byRev); cycle != nil && !reported[cycle[0]] {
			for _, r := range cycle {
				reported[r] = true
			}
			l.Errorf(a.SupersedesPos, "revisions of %s supersede each other in a cycle: %s; the oldest revision supersedes nothing",
				country, strings.Join(append(cycle, cycle[0]), " → "))
		}
	}
	return l
}

// sameAssessors compares two lists of assessors as sets of trimmed names.
func sameAssessors(a, b []string) bool {
	set := func(names []string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			if n = strings.TrimSpace(n); n != "" {
				m[n] = true
			}
		}
		return m
	}
	sa, sb := set(a), set(b)
	if len(sa) != len(sb) {
		return false
	}
	for n := range sa {
		if !sb[n] {
			return false
		}
	}
	return true
}

// cycleFrom follows supersedes from a and returns the revisions of the cycle
// it runs into, starting at a, or nil when the chain ends or the cycle does
// not pass through a (it is then reported from one of its own members).
func cycleFrom(a *Assessment, byRev map[string]*Assessment) []string {
	seen := map[string]bool{}
	var path []string
	for cur := a; cur != nil; cur = byRev[cur.Supersedes] {
		if seen[cur.Revision] {
			if cur != a {
				return nil
			}
			return path
		}
		seen[cur.Revision] = true
		path = append(path, cur.Revision)
		if cur.Supersedes == "" {
			return nil
		}
	}
	return nil
}

// Identity returns a copy of a holding only what CheckRevisions reads, so a
// caller streaming thousands of assessments can keep them all. Assessors
// are copied: parsed text shares the file's bytes.
func (a *Assessment) Identity() *Assessment {
	var assessors []string
	for _, n := range a.Assessors {
		assessors = append(assessors, strings.Clone(n))
	}
	return &Assessment{File: a.File, Country: a.Country, Code: a.Code, Revision: a.Revision, AsOf: a.AsOf,
		Supersedes: a.Supersedes, Assessors: assessors, Pos: a.Pos, SupersedesPos: a.SupersedesPos}
}
