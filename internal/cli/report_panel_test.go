package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/testfix"
	"golang.org/x/net/html"
)

// The report of a panel shows the numbers `capscore agree` and `capscore
// audit` give for the same files with their defaults.
func TestReportPanelMatchesAgreeAndAudit(t *testing.T) {
	chdirRepo(t)
	rep := runCLI(t, nil, "report", "testdata/panel/")
	if rep.code != ExitOK {
		t.Fatalf("report exit %d: %s", rep.code, rep.stderr)
	}
	ag := runCLI(t, nil, "agree", "testdata/panel/", "--format", "json")
	au := runCLI(t, nil, "audit", "testdata/panel/", "--format", "json")
	if ag.code != ExitOK || au.code != ExitOK {
		t.Fatalf("agree exit %d, audit exit %d: %s %s", ag.code, au.code, ag.stderr, au.stderr)
	}
	type estimate struct {
		Alpha    float64 `json:"alpha"`
		Pairable int     `json:"pairable"`
		Units    int     `json:"criteria"`
		Interval *struct {
			Low  float64 `json:"low"`
			High float64 `json:"high"`
		} `json:"interval"`
	}
	type outcome struct {
		Label   string   `json:"label"`
		Overall *float64 `json:"overall"`
		Tier    *struct {
			ID string `json:"id"`
		} `json:"tier"`
	}
	var agreeDoc struct {
		Members []outcome `json:"assessments"`
		All     estimate  `json:"all"`
		Pillars []struct {
			Title    string    `json:"title"`
			Estimate *estimate `json:"estimate"`
		} `json:"pillars"`
		Criteria []struct {
			ID       string `json:"id"`
			Disputed bool   `json:"disputed"`
			Spread   *int   `json:"spread"`
		} `json:"criteria"`
		Effect struct {
			Min, Max  *outcome
			Consensus outcome
		} `json:"effect"`
	}
	if err := json.Unmarshal([]byte(ag.stdout), &agreeDoc); err != nil {
		t.Fatal(err)
	}
	var auditDoc struct {
		Assessments []struct {
			Summary         string   `json:"summary"`
			SinglePublisher []string `json:"single_publisher"`
			StaleClaims     []any    `json:"stale_claims"`
			StaleFacts      []any    `json:"stale_facts"`
			Concentrated    []struct {
				Source string `json:"source"`
			} `json:"concentrated"`
			Uncited []any `json:"uncited"`
		} `json:"assessments"`
	}
	if err := json.Unmarshal([]byte(au.stdout), &auditDoc); err != nil {
		t.Fatal(err)
	}

	doc, err := html.Parse(strings.NewReader(rep.stdout))
	if err != nil {
		t.Fatal(err)
	}
	byID := func(id string) *html.Node {
		got := testfix.Find(doc, func(n *html.Node) bool { return testfix.Attr(n, "id") == id })
		if len(got) != 1 {
			t.Fatalf("%d elements #%s, want one", len(got), id)
		}
		return got[0]
	}
	three := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	one := func(v *float64) string { return strconv.FormatFloat(*v, 'f', 1, 64) }
	tier := func(o outcome) string {
		if o.Tier == nil {
			return "no tier"
		}
		return "Tier " + o.Tier.ID
	}

	panel := byID("panel-1")
	alphas := testfix.Rows(t, panel, "alpha")
	ests := []estimate{agreeDoc.All}
	for _, p := range agreeDoc.Pillars {
		ests = append(ests, *p.Estimate)
	}
	if len(alphas) != len(ests) {
		t.Fatalf("%d alpha rows, agree gives %d", len(alphas), len(ests))
	}
	for i, e := range ests {
		want := []string{three(e.Alpha), three(e.Interval.Low) + " to " + three(e.Interval.High), strconv.Itoa(e.Pairable), strconv.Itoa(e.Units)}
		if got := alphas[i][1:]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("alpha row %q: agree gives %q", alphas[i], want)
		}
	}
	var disputed []string
	for _, c := range agreeDoc.Criteria {
		if c.Disputed {
			disputed = append(disputed, c.ID+" "+strconv.Itoa(*c.Spread))
		}
	}
	var shown []string
	for _, row := range testfix.Rows(t, panel, "disputed") {
		id := row[0][strings.LastIndexByte(row[0], ' ')+1:]
		shown = append(shown, id+" "+row[len(row)-1])
	}
	if len(disputed) == 0 || strings.Join(shown, ", ") != strings.Join(disputed, ", ") {
		t.Errorf("disputed %q, agree gives %q", shown, disputed)
	}
	effect := testfix.Rows(t, panel, "effect")
	want := append(append([]outcome{}, agreeDoc.Members...), *agreeDoc.Effect.Min, *agreeDoc.Effect.Max, agreeDoc.Effect.Consensus)
	if len(effect) != len(want) {
		t.Fatalf("%d effect rows, want %d", len(effect), len(want))
	}
	for i, o := range want {
		if effect[i][2] != one(o.Overall) || effect[i][3] != tier(o) || (o.Label != "consensus" && !strings.HasPrefix(effect[i][1], o.Label)) {
			t.Errorf("effect row %q: agree gives %s %s %s", effect[i], o.Label, one(o.Overall), tier(o))
		}
	}

	audits := testfix.Find(byID("audit"), func(n *html.Node) bool { return n.Data == "section" && testfix.Attr(n, "class") == "audit" })
	if len(audits) != len(auditDoc.Assessments) {
		t.Fatalf("%d audits in the report, audit gives %d", len(audits), len(auditDoc.Assessments))
	}
	for i, a := range auditDoc.Assessments {
		sec := audits[i]
		summary := testfix.Find(sec, func(n *html.Node) bool { return testfix.Attr(n, "class") == "audit-summary" })
		if len(summary) != 1 || testfix.Text(summary[0]) != a.Summary {
			t.Errorf("audit %d: summary differs from %q", i, a.Summary)
		}
		var single []string
		for _, p := range testfix.Find(sec, func(n *html.Node) bool { return testfix.Attr(n, "class") == "single-publisher" }) {
			for _, c := range testfix.Find(p, func(n *html.Node) bool { return n.Data == "code" }) {
				single = append(single, testfix.Text(c))
			}
		}
		if strings.Join(single, " ") != strings.Join(a.SinglePublisher, " ") {
			t.Errorf("audit %d: single publisher %q, audit gives %q", i, single, a.SinglePublisher)
		}
		if len(a.StaleClaims) > 0 && len(testfix.Rows(t, sec, "stale-claims")) != len(a.StaleClaims) {
			t.Errorf("audit %d: stale claims differ from audit's %d", i, len(a.StaleClaims))
		}
		var conc []string
		if len(a.Concentrated) > 0 {
			for _, row := range testfix.Rows(t, sec, "concentrated") {
				conc = append(conc, row[0])
			}
		}
		var wantConc []string
		for _, c := range a.Concentrated {
			wantConc = append(wantConc, c.Source)
		}
		if strings.Join(conc, " ") != strings.Join(wantConc, " ") {
			t.Errorf("audit %d: concentrated %q, audit gives %q", i, conc, wantConc)
		}
	}

	// Byte for byte the same on a second run.
	if again := runCLI(t, nil, "report", "testdata/panel/"); again.stdout != rep.stdout {
		t.Error("two runs of report gave different files")
	}
}

// The report measures panels with agree's defaults and audits with
// audit's: the flags' defaults and the packages' must not drift apart.
func TestReportUsesCommandDefaults(t *testing.T) {
	a := &app{}
	flags := a.newAgreeCmd(nil).Flags()
	if got := flags.Lookup("metric").DefValue; got != string(agree.Defaults.Metric) {
		t.Errorf("agree --metric defaults to %s, the report uses %s", got, agree.Defaults.Metric)
	}
	if got := flags.Lookup("samples").DefValue; got != strconv.Itoa(agree.Defaults.Samples) {
		t.Errorf("agree --samples defaults to %s, the report uses %d", got, agree.Defaults.Samples)
	}
	if got := flags.Lookup("seed").DefValue; got != strconv.FormatUint(agree.Defaults.Seed, 10) {
		t.Errorf("agree --seed defaults to %s, the report uses %d", got, agree.Defaults.Seed)
	}
	if got := flags.Lookup("stated").DefValue; got != strconv.FormatBool(agree.Defaults.Stated) {
		t.Errorf("agree --stated defaults to %s, the report uses %v", got, agree.Defaults.Stated)
	}
	af := a.newAuditCmd(nil).Flags()
	if af.Lookup("stale").DefValue != strconv.Itoa(audit.Defaults.Stale) || af.Lookup("concentration").DefValue != strconv.Itoa(audit.Defaults.Concentration) {
		t.Error("audit's flag defaults differ from audit.Defaults")
	}
}
