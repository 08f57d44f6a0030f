package assessment

import (
	"slices"
	"sort"
	"strings"

	"github.com/capscore/capscore/internal/diag"
)

// CheckRevisions checks the supersedes links among assessments given
// together. Where two or more assessments of one country are given, each
// revision label appears once, every supersedes names a revision among
// them, no chain of supersedes comes back to where it started, and a
// revision is not dated before the one it supersedes. A lone assessment of a
// country is not checked: the revision it supersedes is simply not in view.
// A file that supersedes its own revision is Parse's to report, as it needs
// no other file; it is not reported again here as a cycle.
//
// The work is linear in the number of assessments: each supersedes link is
// followed once, however long the chains.
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

// maxSuggestions bounds how many label comparisons one country's check
// spends on "did you mean" hints.
const maxSuggestions = 1 << 20

func checkCountry(country string, group []*Assessment) diag.List {
	var l diag.List
	// byRev maps a revision label to the index in group of its first file.
	byRev := make(map[string]int, len(group))
	// A revision may be given once per set of assessors (a panel); byPanel
	// maps revision and assessors to the file that gave them first.
	byPanel := make(map[string]int, len(group))
	dup := make([]bool, len(group))
	var labels []string
	for i, a := range group {
		key := a.Revision + "\x00" + assessorKey(a.Assessors)
		if first, ok := byPanel[key]; ok {
			l.Errorf(a.Pos, "revision %q of %s is also given in %s by the same assessors; each revision of a country is one file, or one per assessor of a panel", a.Revision, country, group[first].File)
			dup[i] = true
			continue
		}
		byPanel[key] = i
		if _, ok := byRev[a.Revision]; ok {
			continue // another member of a panel
		}
		byRev[a.Revision] = i
		labels = append(labels, a.Revision)
	}
	cycles := findCycles(group, byRev)
	// A suggestion compares a missing label with every label given; past a
	// budget of comparisons none is offered, so thousands of missing links
	// among thousands of revisions cost no more than the rest of the check.
	missing := 0
	for i, a := range group {
		if _, ok := byRev[a.Supersedes]; a.Supersedes != "" && !ok && !dup[i] {
			missing++
		}
	}
	if missing*len(labels) > maxSuggestions {
		labels = nil
	}
	var ends []int
	if missing > 0 && labels != nil {
		ends = chainEnds(group, byRev)
	}
	for i, a := range group {
		if a.Supersedes == "" || dup[i] {
			continue
		}
		j, ok := byRev[a.Supersedes]
		if !ok {
			// The revision superseded may simply not be in view (a draft
			// checked beside the newest revision): a warning, whose hint
			// never names a revision that would supersede itself or close a
			// cycle.
			var fit []string
			for _, c := range labels {
				if c != a.Revision && ends[byRev[c]] != i {
					fit = append(fit, c)
				}
			}
			l.Warnf(a.SupersedesPos, "supersedes revision %q of %s, which is not among the files given%s; name its file too if it should be checked",
				a.Supersedes, country, diag.DidYouMean(a.Supersedes, fit))
			continue
		}
		if old := group[j]; j != i && !old.AsOf.IsZero() && !a.AsOf.IsZero() && old.AsOf.After(a.AsOf) {
			l.Errorf(a.SupersedesPos, "revision %q (as of %s) supersedes %q, which is as of %s, later; a revision supersedes an earlier one",
				a.Revision, a.AsOf, old.Revision, old.AsOf)
		}
		if cycle := cycles[i]; cycle != nil {
			l.Errorf(a.SupersedesPos, "revisions of %s supersede each other in a cycle: %s; the oldest revision supersedes nothing",
				country, strings.Join(append(cycle, cycle[0]), " → "))
		}
	}
	return l
}

// chainEnds gives, for each revision's first file, the file where
// following supersedes from it stops: the oldest revision given, or one
// whose supersedes is not among the files; -1 for a chain that runs into a
// cycle. Every link is followed once.
func chainEnds(group []*Assessment, byRev map[string]int) []int {
	const unknown, onPath = -2, -3
	end := make([]int, len(group))
	for i := range end {
		end[i] = unknown
	}
	var path []int
	for start := range group {
		if end[start] != unknown || byRev[group[start].Revision] != start {
			continue
		}
		path = path[:0]
		result := -1
		for i := start; ; {
			if end[i] == onPath {
				break // a cycle
			}
			if end[i] != unknown {
				result = end[i]
				break
			}
			end[i] = onPath
			path = append(path, i)
			next, ok := byRev[group[i].Supersedes]
			if group[i].Supersedes == "" || !ok {
				result = i
				break
			}
			i = next
		}
		for _, p := range path {
			end[p] = result
		}
	}
	return end
}

// assessorKey names a set of assessors: trimmed names, sorted, blanks
// dropped, so the order they are listed in does not matter.
func assessorKey(names []string) string {
	set := make([]string, 0, len(names))
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			set = append(set, n)
		}
	}
	sort.Strings(set)
	return strings.Join(slices.Compact(set), "\x00")
}

// findCycles follows every supersedes link of group once and returns each
// cycle of two or more revisions, keyed by the index of its member that
// comes first in group, which reports it, and listed from that member on.
// byRev gives the index of each revision's file.
//
// Each file leads to at most one other, so a walk from a file that has
// not been seen either ends, joins a walk already finished, or comes back
// onto itself; only the last finds a cycle, and no file is walked twice.
func findCycles(group []*Assessment, byRev map[string]int) map[int][]string {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]uint8, len(group))
	var cycles map[int][]string
	var path []int
	for start := range group {
		if state[start] != unseen || byRev[group[start].Revision] != start {
			continue
		}
		path = path[:0]
		for i := start; ; {
			state[i] = onPath
			path = append(path, i)
			next, ok := byRev[group[i].Supersedes]
			if group[i].Supersedes == "" || !ok || state[next] == done {
				break
			}
			if state[next] == onPath {
				// The cycle is the path from next on.
				k := len(path) - 1
				for path[k] != next {
					k--
				}
				if len(path)-k > 1 {
					if cycles == nil {
						cycles = map[int][]string{}
					}
					first, at := cycle(group, path[k:])
					cycles[first] = at
				}
				break
			}
			i = next
		}
		for _, i := range path {
			state[i] = done
		}
	}
	return cycles
}

// cycle returns the index of the member of a cycle that comes first in
// group and the cycle's revisions from it on, in supersedes order.
func cycle(group []*Assessment, members []int) (int, []string) {
	low := 0
	for k, i := range members {
		if i < members[low] {
			low = k
		}
	}
	revs := make([]string, 0, len(members))
	for k := range members {
		revs = append(revs, group[members[(low+k)%len(members)]].Revision)
	}
	return members[low], revs
}

// Identity returns a copy of a holding only what CheckRevisions reads, so a
// caller streaming thousands of assessments can keep them all. The text is
// copied: parsed strings can share the bytes of the whole file, which would
// otherwise be kept with them.
func (a *Assessment) Identity() *Assessment {
	var assessors []string
	for _, s := range a.Assessors {
		assessors = append(assessors, strings.Clone(s))
	}
	return &Assessment{File: strings.Clone(a.File), Country: strings.Clone(a.Country), Code: strings.Clone(a.Code),
		Revision: strings.Clone(a.Revision), AsOf: a.AsOf, Supersedes: strings.Clone(a.Supersedes),
		Pos: a.Pos, SupersedesPos: a.SupersedesPos, Assessors: assessors}
}
