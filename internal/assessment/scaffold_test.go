package assessment_test

import (
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
)

func bundled(t *testing.T) *rubric.Rubric {
	t.Helper()
	in := load.BundledRubric()
	r, ds := rubric.Parse(in.Name, in.Data)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	return r
}

func date(t *testing.T, s string) assessment.Date {
	t.Helper()
	d, err := assessment.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestScaffoldValidates(t *testing.T) {
	r := bundled(t)
	data, err := assessment.Scaffold(r, assessment.Header{Country: "Republic of Korea", Code: "KOR", Revision: "2026", AsOf: date(t, "2026-11-26")})
	if err != nil {
		t.Fatal(err)
	}
	a, ds := assessment.Parse("new.yaml", data)
	ds = append(ds, assessment.Validate(a, r)...)
	if ds.HasErrors() {
		t.Fatalf("scaffold has errors:\n%v\n%s", ds.Errors(), data)
	}
	if len(a.Findings) != len(r.CriterionIDs()) || a.RubricVersion != r.Version || a.Country != "Republic of Korea" {
		t.Errorf("findings %d of %d, rubric_version %q, country %q", len(a.Findings), len(r.CriterionIDs()), a.RubricVersion, a.Country)
	}
}

func TestReviseJapan(t *testing.T) {
	r := bundled(t)
	var in load.Input
	for _, x := range load.BundledAssessments() {
		if strings.HasSuffix(x.Name, "2021.yaml") {
			in = x
		}
	}
	data, err := assessment.Revise(r, in.Name, in.Data, assessment.Header{Revision: "2026", AsOf: date(t, "2026-11-26")})
	if err != nil {
		t.Fatal(err)
	}
	a, ds := assessment.Parse("rev.yaml", data)
	ds = append(ds, assessment.Validate(a, r)...)
	if ds.HasErrors() {
		t.Fatalf("revision has errors:\n%v", ds.Errors())
	}
	if a.Supersedes != "2021" || a.Revision != "2026" || a.Country != "Japan" {
		t.Errorf("%+v", a)
	}
}

// TestReviseDropsChangeNotes checks that change notes of every layout go,
// and nothing around them.
func TestReviseDropsChangeNotes(t *testing.T) {
	r := bundled(t)
	src := `country: Ruritania
code: RUR
rubric: iiss-seven-pillars
revision: "2023"
as_of: 2023-03-01
sources:
  r1: {title: Strategy, date: 2022}
findings:
  national-strategy:
    level: 2
    change: >-
      A folded note
      over two lines.

    evidence:
      - claim: A claim.
        sources: [r1]
  # a comment that stays
  central-coordination:
    level: 1
    evidence:
      - claim: Another claim.
        sources: [r1]
    change: |
      A literal note,
        indented further.
  digital-skills: {level: 2, change: "flow", evidence: [{claim: Skills., sources: [r1]}]}
`
	out, err := assessment.Revise(r, "r.yaml", []byte(src), assessment.Header{Revision: "2024", AsOf: date(t, "2024-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, gone := range []string{"folded note", "over two lines", "literal note", "indented further", "change: |"} {
		if strings.Contains(text, gone) {
			t.Errorf("%q kept:\n%s", gone, text)
		}
	}
	for _, kept := range []string{"    level: 2\n\n    evidence:", "  # a comment that stays\n  central-coordination:", "sources: [r1]}]}\n\n  # strategy-renewal", "supersedes: \"2023\"\n", "rubric_version: \"2.0.0\"\n"} {
		if !strings.Contains(text, kept) {
			t.Errorf("%q lost:\n%s", kept, text)
		}
	}
	a, ds := assessment.Parse("r.yaml", out)
	ds = append(ds, assessment.Validate(a, r)...)
	if ds.HasErrors() {
		t.Fatalf("%v\n%s", ds.Errors(), text)
	}
	if a.Findings["national-strategy"].Change != "" || a.Findings["central-coordination"].Change != "" {
		t.Error("block change notes survived")
	}
	// A flow-style finding is kept whole, note included.
	if f := a.Findings["digital-skills"]; f.Level == nil || *f.Level != 2 || f.Change != "flow" {
		t.Errorf("flow finding changed: %+v", f)
	}
}

// FuzzRevise feeds Revise arbitrary files: it never panics, and a revision
// of a file that parses cleanly parses cleanly too.
func FuzzRevise(f *testing.F) {
	in := load.BundledRubric()
	r, _ := rubric.Parse(in.Name, in.Data)
	// Small seeds: the fuzzer minimises every new input, which takes long on
	// a file the size of the bundled ones.
	f.Add([]byte("country: X\ncode: XXX\nrubric: iiss-seven-pillars\nrevision: \"1\"\nas_of: 2020\nfindings:\n  national-strategy:\n    level: 1\n    change: |\n      a\n    evidence: []\n"))
	f.Add([]byte("{country: X, code: XXX, rubric: iiss-seven-pillars, revision: '1', as_of: 2020, findings: {}}"))
	f.Add([]byte("country: X\ncode: XXX\nrubric: >-\n  iiss-seven-pillars\nrevision: \"1\"\nas_of: 2020\nfindings: {}\n"))
	h := assessment.Header{Revision: "2030", AsOf: assessment.Date{Year: 2030}}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := assessment.Revise(r, "f.yaml", data, h)
		if err != nil {
			return
		}
		if _, ds := assessment.Parse("out.yaml", out); ds.HasErrors() {
			t.Fatalf("revision of a clean file does not parse: %v\n--- in ---\n%s\n--- out ---\n%s", ds.Errors(), data, out)
		}
	})
}
