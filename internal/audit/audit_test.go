package audit_test

import (
	"math"
	"slices"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/testfix"
)

const dir = "../cli/testdata/audit/"

func fixture(t *testing.T) (*rubric.Rubric, *assessment.Assessment) {
	t.Helper()
	r := testfix.Rubric(t, dir+"rubric.yaml")
	as := testfix.Assessments(t, r, dir+"testland.yaml")
	if len(as) != 1 {
		t.Fatalf("fixture holds %d assessments", len(as))
	}
	return r, as[0]
}

// TestFixture checks every measure against what the fixture was written to
// hold (its comments say why each value is what it is).
func TestFixture(t *testing.T) {
	r, a := fixture(t)
	rep := audit.Audit(r, a, audit.Options{Stale: 3, Concentration: 2})

	if rep.Sources != 6 || rep.Cited != 5 {
		t.Errorf("sources %d, cited %d; want 6 and 5", rep.Sources, rep.Cited)
	}
	// "Ministry of Defence" and "ministry of  DEFENCE" are one publisher;
	// n4 and n5 share the host example.org; n3 is the Finance Office.
	if rep.Publishers != 3 {
		t.Errorf("publishers %d, want 3", rep.Publishers)
	}
	if rep.Newest.ID != "n3" || math.Abs(rep.Newest.Years-30.0/365.25) > 1e-9 {
		t.Errorf("newest %+v, want n3 counted from 2024-05-31 (30 days)", rep.Newest)
	}
	// sigint is at the scale's minimum, so one publisher is no concern;
	// coordination has two.
	want := []string{"doctrine", "industry", "cert", "norms", "cyber-force"}
	if !slices.Equal(rep.SinglePublisher, want) {
		t.Errorf("single publisher %v, want %v", rep.SinglePublisher, want)
	}
	// coordination's claim cites n3 (2024-05) beside n1, so it is fresh.
	var stale []string
	for _, c := range rep.StaleClaims {
		stale = append(stale, c.Criterion)
	}
	if want := []string{"doctrine", "doctrine", "sigint", "norms"}; !slices.Equal(stale, want) {
		t.Errorf("stale claims in %v, want %v", stale, want)
	}
	// The fact is from 2021 (31 December), 2.5 years before as_of, over
	// the criterion's max_age of 2 though under --stale 3.
	if len(rep.StaleFacts) != 1 || rep.StaleFacts[0].MaxAge != 2 || rep.StaleFacts[0].Criterion != "cyber-force" {
		t.Errorf("stale facts %+v, want cyber-force over max_age 2", rep.StaleFacts)
	}
	if len(rep.Concentrated) != 1 || rep.Concentrated[0].ID != "n1" ||
		!slices.Equal(rep.Concentrated[0].Findings, []string{"doctrine", "coordination", "sigint", "norms"}) {
		t.Errorf("concentrated %+v, want n1 in four findings", rep.Concentrated)
	}
	if len(rep.Uncited) != 1 || rep.Uncited[0].ID != "n6" || rep.Uncited[0].Pos.Line != 13 {
		t.Errorf("uncited %+v, want n6 at line 13", rep.Uncited)
	}
	for _, f := range rep.Findings {
		if f.Pos.Line == 0 {
			t.Errorf("finding %s has no line", f.Criterion)
		}
	}
}

// TestThresholds moves each threshold across the fixture's values.
func TestThresholds(t *testing.T) {
	r, a := fixture(t)
	for _, tc := range []struct {
		opt                         audit.Options
		claims, facts, concentrated int
	}{
		{audit.Options{Stale: 3, Concentration: 2}, 4, 1, 1},
		{audit.Options{Stale: 4, Concentration: 3}, 3, 1, 1}, // n2 (2020) is 3.5 years old
		{audit.Options{Stale: 6, Concentration: 4}, 0, 1, 0}, // max_age holds whatever --stale says
		{audit.Options{Stale: 1, Concentration: 1}, 4, 1, 3}, // industry stays fresh through n4 (2023-11-02)
	} {
		rep := audit.Audit(r, a, tc.opt)
		if len(rep.StaleClaims) != tc.claims || len(rep.StaleFacts) != tc.facts || len(rep.Concentrated) != tc.concentrated {
			t.Errorf("%+v: %d stale claims, %d stale facts, %d concentrated; want %d, %d, %d", tc.opt,
				len(rep.StaleClaims), len(rep.StaleFacts), len(rep.Concentrated), tc.claims, tc.facts, tc.concentrated)
		}
	}
}

func TestPublisherKey(t *testing.T) {
	for _, tc := range []struct {
		s    assessment.Source
		want string
	}{
		{assessment.Source{ID: "a", Publisher: "  Ministry   of\tDefence "}, "ministry of defence"},
		{assessment.Source{ID: "a", URL: "https://WWW.Example.org:8443/x"}, "host:example.org"},
		{assessment.Source{ID: "a", Publisher: "NISC", URL: "https://x.org"}, "nisc"},
		{assessment.Source{ID: "a"}, "source:a"},
		{assessment.Source{ID: "b", URL: "not a url"}, "source:b"},
	} {
		if got := audit.PublisherKey(&tc.s); got != tc.want {
			t.Errorf("PublisherKey(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestPartialDates checks that a year or a month counts from its last day,
// and that a source dated after as_of is 0 years old, never negative.
func TestPartialDates(t *testing.T) {
	r, a := fixture(t)
	a.Sources["n3"].Date = assessment.Date{Year: 2025}
	rep := audit.Audit(r, a, audit.Defaults)
	if rep.Newest.ID != "n3" || rep.Newest.Years != 0 {
		t.Errorf("newest %+v, want n3 at 0 years", rep.Newest)
	}
	a.Sources["n3"].Date = assessment.Date{Year: 2024, Month: 2}
	rep = audit.Audit(r, a, audit.Defaults)
	if want := 122.0 / 365.25; math.Abs(rep.Newest.Years-want) > 1e-9 { // 29 Feb to 30 June 2024
		t.Errorf("newest %+v, want %.4f years", rep.Newest, want)
	}
}

// An as_of given as a year counts from its first day: a source of
// 2021-06-01 is 2.6 years before an as_of of 2024, not 3.6, and not stale
// at --stale 3.
func TestPartialAsOf(t *testing.T) {
	r, a := fixture(t)
	a.AsOf = assessment.Date{Year: 2024}
	for id, s := range a.Sources {
		s.Date = assessment.Date{Year: 2021, Month: 6, Day: 1}
		a.Sources[id] = s
	}
	rep := audit.Audit(r, a, audit.Options{Stale: 3, Concentration: 5})
	if want := 944.0 / 365.25; math.Abs(rep.Newest.Years-want) > 1e-9 { // 944 days
		t.Errorf("newest %.4f years old, want %.4f (2021-06-01 to 2024-01-01)", rep.Newest.Years, want)
	}
	if len(rep.StaleClaims) != 0 {
		t.Errorf("%d stale claims, want none", len(rep.StaleClaims))
	}
}
