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
