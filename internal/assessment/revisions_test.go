package assessment

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/capscore/capscore/internal/diag"
)

func rev(file, code, revision, asOf, supersedes string) *Assessment {
	d, err := ParseDate(asOf)
	if err != nil {
		panic(err)
	}
	return &Assessment{File: file, Code: code, Revision: revision, AsOf: d, Supersedes: supersedes,
		Pos: diag.Pos{File: file, Line: 1, Col: 1}, SupersedesPos: diag.Pos{File: file, Line: 7, Col: 13}}
}

func by(a *Assessment, assessors ...string) *Assessment {
	a.Assessors = assessors
	return a
}

func TestCheckRevisions(t *testing.T) {
	tests := []struct {
		name string
		as   []*Assessment
		want []string
	}{
		{"chain", []*Assessment{rev("a", "JPN", "2021", "2021", ""), rev("b", "JPN", "2025", "2025", "2021")}, nil},
		{"lone assessment not checked", []*Assessment{rev("b", "JPN", "2025", "2025", "2021")}, nil},
		{"other countries apart", []*Assessment{rev("a", "JPN", "2025", "2025", "2021"), rev("b", "GBR", "2025", "2025", "2021")}, nil},
		{"missing revision", []*Assessment{rev("a", "JPN", "2021", "2021", ""), rev("b", "JPN", "2025", "2025", "2011")},
			[]string{`b:7:13: warning: supersedes revision "2011" of JPN, which is not among the files given (did you mean "2021"?); name its file too if it should be checked`}},
		{"two-cycle", []*Assessment{rev("a", "JPN", "2021", "2021", "2025"), rev("b", "JPN", "2025", "2021", "2021")},
			[]string{"a:7:13: revisions of JPN supersede each other in a cycle: 2021 → 2025 → 2021; the oldest revision supersedes nothing"}},
		// Parse reports a file that supersedes itself.
		{"self is not a cycle", []*Assessment{rev("a", "JPN", "2021", "2021", "2021"), rev("b", "JPN", "2025", "2025", "2021")}, nil},
		{"cycle reported by its first member, once", []*Assessment{
			rev("d", "JPN", "r4", "2021", "r2"), rev("b", "JPN", "r2", "2021", "r3"), rev("c", "JPN", "r3", "2021", "r2"), rev("a", "JPN", "r1", "2021", "r4")},
			[]string{"b:7:13: revisions of JPN supersede each other in a cycle: r2 → r3 → r2; the oldest revision supersedes nothing"}},
		{"two cycles", []*Assessment{
			rev("a", "JPN", "r1", "2021", "r2"), rev("b", "JPN", "r2", "2021", "r1"), rev("c", "JPN", "r3", "2021", "r4"), rev("d", "JPN", "r4", "2021", "r3")},
			[]string{"a:7:13: revisions of JPN supersede each other in a cycle: r1 → r2 → r1; the oldest revision supersedes nothing",
				"c:7:13: revisions of JPN supersede each other in a cycle: r3 → r4 → r3; the oldest revision supersedes nothing"}},
		{"three-cycle with a tail", []*Assessment{
			rev("a", "JPN", "r1", "2021", "r3"), rev("b", "JPN", "r2", "2021", "r1"), rev("c", "JPN", "r3", "2021", "r2"), rev("d", "JPN", "r4", "2022", "r3")},
			[]string{"a:7:13: revisions of JPN supersede each other in a cycle: r1 → r3 → r2 → r1; the oldest revision supersedes nothing"}},
		{"duplicate revision", []*Assessment{rev("a", "JPN", "2021", "2021", ""), rev("b", "JPN", "2021", "2021", "")},
			[]string{`b:1:1: revision "2021" of JPN is also given in a by the same assessors; each revision of a country is one file, or one per assessor of a panel`}},
		{"panel of different assessors", []*Assessment{by(rev("a", "JPN", "2021", "2021", ""), "Ann"), by(rev("b", "JPN", "2021", "2021", ""), "Bo"), by(rev("c", "JPN", "2021", "2021", ""), "Ann", "Bo")}, nil},
		{"panel member repeated as a set", []*Assessment{by(rev("a", "JPN", "2021", "2021", ""), "Ann", "Bo"), by(rev("b", "JPN", "2021", "2021", ""), "Cy"), by(rev("c", "JPN", "2021", "2021", ""), " Bo", "Ann ", "Bo")},
			[]string{`c:1:1: revision "2021" of JPN is also given in a by the same assessors; each revision of a country is one file, or one per assessor of a panel`}},
		{"panel member's supersedes checked", []*Assessment{by(rev("a", "JPN", "2021", "2021", ""), "Ann"), by(rev("b", "JPN", "2021", "2021", "2011"), "Bo")},
			[]string{`b:7:13: warning: supersedes revision "2011" of JPN, which is not among the files given; name its file too if it should be checked`}},
		// The hint never names the file's own revision, nor one whose
		// chain leads back to the file: either would make a cycle.
		{"no hint that closes a cycle", []*Assessment{rev("a", "JPN", "2023", "2023", "2021"), rev("b", "JPN", "2024", "2024", "2023")},
			[]string{`a:7:13: warning: supersedes revision "2021" of JPN, which is not among the files given; name its file too if it should be checked`}},
		{"a hint outside the chain", []*Assessment{rev("a", "JPN", "2025", "2025", "2021"), rev("b", "JPN", "2020", "2020", ""), rev("c", "JPN", "2026", "2026", "2025")},
			[]string{`a:7:13: warning: supersedes revision "2021" of JPN, which is not among the files given (did you mean "2020"?); name its file too if it should be checked`}},
		{"supersedes a later one", []*Assessment{rev("a", "JPN", "2021", "2021-06-28", ""), rev("b", "JPN", "2020", "2020", "2021")},
			[]string{`b:7:13: revision "2020" (as of 2020) supersedes "2021", which is as of 2021-06-28, later; a revision supersedes an earlier one`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range CheckRevisions(tt.as) {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// chain makes n revisions of one country, each superseding the one
// before; closed makes the first supersede the last, one long cycle.
func chain(n int, closed bool) []*Assessment {
	as := make([]*Assessment, n)
	for i := range as {
		day := time.Date(1990, 1, 1+i, 0, 0, 0, 0, time.UTC)
		as[i] = rev(fmt.Sprintf("r%05d.yaml", i), "TST", fmt.Sprintf("r%d", i), day.Format(time.DateOnly), fmt.Sprintf("r%d", i-1))
	}
	as[0].Supersedes = ""
	if closed {
		as[0].Supersedes = fmt.Sprintf("r%d", n-1)
	}
	return as
}

// Following each file's chain to its end cost time quadratic in its
// length; 10,000 revisions of one country must check in a blink.
func TestCheckRevisionsLongChain(t *testing.T) {
	const n = 10_000
	reversed := chain(n, false)
	slices.Reverse(reversed)
	astray := chain(n, false)
	for i, a := range astray {
		a.Supersedes = fmt.Sprintf("x%d", i)
	}
	for _, tt := range []struct {
		name string
		as   []*Assessment
		want int // errors
	}{
		{"oldest first", chain(n, false), 0},
		{"newest first", reversed, 0},
		{"one long cycle", chain(n, true), 2}, // the cycle, and r0 superseding a later one
		{"every link missing", astray, n},     // no suggestions among so many labels
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			ds := CheckRevisions(tt.as)
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("%d revisions took %v to check", n, elapsed)
			}
			if len(ds) != tt.want {
				t.Errorf("%d problems, want %d: %.300v", len(ds), tt.want, ds)
			}
		})
	}
}

// TestIdentityKeepsAssessors: callers that stream files check revisions on
// identities alone, so a panel must stay a panel there.
func TestIdentityKeepsAssessors(t *testing.T) {
	a := by(rev("a", "RUR", "2024", "2024", ""), "Amara Adler")
	b := by(rev("b", "RUR", "2024", "2024", ""), "Boris Brandt")
	if ds := CheckRevisions([]*Assessment{a.Identity(), b.Identity()}); len(ds) != 0 {
		t.Errorf("a panel's identities refused: %v", ds)
	}
	if ds := CheckRevisions([]*Assessment{a.Identity(), by(rev("c", "RUR", "2024", "2024", ""), "Amara Adler").Identity()}); !ds.HasErrors() {
		t.Error("two files of one revision by the same assessor passed")
	}
}

// TestIdentitySharesNoText: an identity kept while thousands of files
// stream by must not hold on to its file's text.
func TestIdentitySharesNoText(t *testing.T) {
	s := "country: Ruritania\ncode: RUR\nrevision: \"2024\"\nsupersedes: \"2023\"\nassessors: [Amara Adler]\n"
	in := func(v string) string { i := strings.Index(s, v); return s[i : i+len(v)] }
	a := &Assessment{File: in("country"), Country: in("Ruritania"), Code: in("RUR"), Revision: in("2024"), Supersedes: in("2023"), Assessors: []string{in("Amara Adler")}}
	id := a.Identity()
	within := func(v string) bool {
		p, lo := uintptr(unsafe.Pointer(unsafe.StringData(v))), uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return p >= lo && p < lo+uintptr(len(s))
	}
	for _, v := range []string{id.File, id.Country, id.Code, id.Revision, id.Supersedes, id.Assessors[0]} {
		if within(v) {
			t.Errorf("%q shares the file's bytes", v)
		}
	}
	if id.Country != "Ruritania" || id.Assessors[0] != "Amara Adler" || id.Supersedes != "2023" {
		t.Errorf("identity changed the text: %+v", id)
	}
}
