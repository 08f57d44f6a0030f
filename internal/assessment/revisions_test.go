package assessment

import (
	"strings"
	"testing"

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
			[]string{`b:7:13: supersedes revision "2011" of JPN, which is not among the files given (did you mean "2021"?); name its file too or correct the label`}},
		{"two-cycle", []*Assessment{rev("a", "JPN", "2021", "2021", "2025"), rev("b", "JPN", "2025", "2021", "2021")},
			[]string{"a:7:13: revisions of JPN supersede each other in a cycle: 2021 → 2025 → 2021; the oldest revision supersedes nothing"}},
		{"self", []*Assessment{rev("a", "JPN", "2021", "2021", "2021"), rev("b", "JPN", "2025", "2025", "2021")},
			[]string{"a:7:13: revisions of JPN supersede each other in a cycle: 2021 → 2021; the oldest revision supersedes nothing"}},
		{"three-cycle with a tail", []*Assessment{
			rev("a", "JPN", "r1", "2021", "r3"), rev("b", "JPN", "r2", "2021", "r1"), rev("c", "JPN", "r3", "2021", "r2"), rev("d", "JPN", "r4", "2022", "r3")},
			[]string{"a:7:13: revisions of JPN supersede each other in a cycle: r1 → r3 → r2 → r1; the oldest revision supersedes nothing"}},
		{"duplicate revision", []*Assessment{rev("a", "JPN", "2021", "2021", ""), rev("b", "JPN", "2021", "2021", "")},
			[]string{`b:1:1: revision "2021" of JPN is also given in a by the same assessors; each revision of a country is one file, or one per assessor of a panel`}},
		{"panel of different assessors", []*Assessment{by(rev("a", "JPN", "2021", "2021", ""), "Ann"), by(rev("b", "JPN", "2021", "2021", ""), "Bo"), by(rev("c", "JPN", "2021", "2021", ""), "Ann", "Bo")}, nil},
		{"panel member repeated as a set", []*Assessment{by(rev("a", "JPN", "2021", "2021", ""), "Ann", "Bo"), by(rev("b", "JPN", "2021", "2021", ""), "Cy"), by(rev("c", "JPN", "2021", "2021", ""), " Bo", "Ann ", "Bo")},
			[]string{`c:1:1: revision "2021" of JPN is also given in a by the same assessors; each revision of a country is one file, or one per assessor of a panel`}},
		{"panel member's supersedes checked", []*Assessment{by(rev("a", "JPN", "2021", "2021", ""), "Ann"), by(rev("b", "JPN", "2021", "2021", "2011"), "Bo")},
			[]string{`b:7:13: supersedes revision "2011" of JPN, which is not among the files given (did you mean "2021"?); name its file too or correct the label`}},
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
