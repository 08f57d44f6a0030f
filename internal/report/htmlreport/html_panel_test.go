package htmlreport

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/testfix"
	"github.com/capscore/capscore/internal/weights"
	"golang.org/x/net/html"
)

var panelFiles = []string{"../../../testdata/panel/adler.yaml", "../../../testdata/panel/brandt.yaml", "../../../testdata/panel/castel.yaml"}

// panelReport renders a report of the assessments with their panels and
// audits measured as `capscore report` measures them.
func panelReport(t testing.TB, r *rubric.Rubric, as []*assessment.Assessment) (Report, string) {
	t.Helper()
	w := weights.Defaults(r)
	rep := Report{Rubric: r, Aggregation: r.Aggregation, Missing: r.Missing, Weights: w,
		PanelOptions: agree.Defaults, AuditOptions: audit.Defaults}
	for _, a := range as {
		rep.Results = append(rep.Results, score.Score(r, a, w, score.Options{}))
	}
	var err error
	if rep.Panels, err = agree.AnalysePanels(context.Background(), r, w, score.Options{}, rep.Results, rep.PanelOptions); err != nil {
		t.Fatal(err)
	}
	rep.Audits = AuditAll(r, rep.Results, rep.AuditOptions)
	var b bytes.Buffer
	if err := Write(&b, rep); err != nil {
		t.Fatal(err)
	}
	return rep, b.String()
}

// hostilePanel writes the fictional panel with hostile assessor names.
func hostilePanel(t testing.TB) []string {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for i, f := range panelFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := []string{`"<script>window.__xss = 'assessor'</script>"`, `"\"><img src=x onerror=\"window.__xss='img'\">"`, `"Chloé & <b>Castel</b>"`}[i]
		s := string(data)
		at := strings.Index(s, "assessors:\n  - ")
		if at < 0 {
			t.Fatalf("%s: no assessors list", f)
		}
		start := at + len("assessors:\n  - ")
		end := start + strings.IndexByte(s[start:], '\n')
		s = s[:start] + name + s[end:]
		out := filepath.Join(dir, filepath.Base(f))
		if err := os.WriteFile(out, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, out)
	}
	return files
}

// The helpers every page test shares, under the names these tests use.
var (
	parseHTML = testfix.ParseHTML
	find      = testfix.Find
	attr      = testfix.Attr
	text      = testfix.Text
	cells     = testfix.Cells
)

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

func byClass(tag, class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag && attr(n, "class") == class }
}

func one(t testing.TB, n *html.Node, what string, match func(*html.Node) bool) *html.Node {
	t.Helper()
	got := find(n, match)
	if len(got) != 1 {
		t.Fatalf("%d %s, want one", len(got), what)
	}
	return got[0]
}

// metaCSP is the content security policy the report declares, as the
// browser reads it.
func metaCSP(t testing.TB, s string) string {
	t.Helper()
	m := one(t, parseHTML(t, s), "policy", func(n *html.Node) bool {
		return n.Data == "meta" && attr(n, "http-equiv") == "Content-Security-Policy"
	})
	return attr(m, "content")
}

// The panel section holds what the agreement measured: alpha over all
// criteria and per pillar, the disputed criteria with every assessor's
// level, and each assessor's overall and tier with the lowest, highest and
// consensus.
func TestHTMLPanelSection(t *testing.T) {
	r, as := fixture(t, false, panelFiles...)
	rep, out := panelReport(t, r, as)
	if len(rep.Panels) != 1 || rep.Panels[0].Err != nil {
		t.Fatalf("panels %+v, want one measured", rep.Panels)
	}
	ag := rep.Panels[0].Agreement
	doc := parseHTML(t, out)
	sec := one(t, doc, "panel sections", byID("panel-1"))
	if h := text(one(t, sec, "headings", byTag("h2"))); h != "Panel agreement: Ruritania 2024 (RUR)" {
		t.Errorf("heading %q", h)
	}
	alphas := cells(one(t, sec, "alpha tables", byClass("table", "alpha")))
	want := [][]string{{"All criteria", textfmt.Alpha(ag.All.Alpha), textfmt.AlphaInterval(&ag.All)}}
	for _, p := range ag.Pillars {
		want = append(want, []string{p.Title, textfmt.Alpha(p.Estimate.Alpha), textfmt.AlphaInterval(p.Estimate)})
	}
	if len(alphas) != len(want) {
		t.Fatalf("%d alpha rows, want %d", len(alphas), len(want))
	}
	for i, w := range want {
		if got := alphas[i][:3]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("alpha row %d: %q, want %q", i, got, w)
		}
	}
	if alphas[0][1] == "1.000" || !strings.Contains(alphas[0][2], " to ") {
		t.Errorf("the fictional panel disagrees; alpha row %q", alphas[0])
	}

	disputed := cells(one(t, sec, "disputed tables", byClass("table", "disputed")))
	var ids []string
	for _, c := range ag.Criteria {
		if c.Disputed {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 || len(disputed) != len(ids) {
		t.Fatalf("%d disputed rows, want %d (%v)", len(disputed), len(ids), ids)
	}
	for i, id := range ids {
		row := disputed[i]
		if !strings.HasSuffix(row[0], " "+id) || len(row) != 3+len(ag.Members) {
			t.Errorf("disputed row %d %q: want %s and a level per assessor", i, row, id)
		}
	}
	// offensive-intent: Brandt stated 3, the evidence rule credits 2.
	found := false
	for _, row := range disputed {
		if strings.HasSuffix(row[0], "offensive-intent") {
			found = true
			if row[2] != "1 medium" || row[3] != "3→2 low" || row[4] != "0 low" || row[5] != "2" {
				t.Errorf("offensive-intent row %q", row)
			}
		}
	}
	if !found {
		t.Error("offensive-intent is not among the disputed criteria")
	}

	effect := cells(one(t, sec, "effect tables", byClass("table", "effect")))
	if len(effect) != len(ag.Members)+3 {
		t.Fatalf("%d effect rows, want the %d assessors, lowest, highest and consensus", len(effect), len(ag.Members))
	}
	for i, m := range ag.Members {
		if effect[i][0] != "Assessor" || !strings.HasPrefix(effect[i][1], m.Label) || effect[i][2] != textfmt.Num1(m.Overall) || effect[i][3] != textfmt.TierName(m.Tier) {
			t.Errorf("assessor row %q, want %s %s %s", effect[i], m.Label, textfmt.Num1(m.Overall), textfmt.TierName(m.Tier))
		}
	}
	n := len(ag.Members)
	for k, o := range []struct {
		name string
		out  agree.Outcome
	}{{"Lowest", *ag.Effect.Min}, {"Highest", *ag.Effect.Max}, {"Consensus", ag.Effect.Consensus}} {
		row := effect[n+k]
		if row[0] != o.name || row[2] != textfmt.Num1(o.out.Overall) || row[3] != textfmt.TierName(o.out.Tier) {
			t.Errorf("%s row %q, want %s %s", o.name, row, textfmt.Num1(o.out.Overall), textfmt.TierName(o.out.Tier))
		}
	}
	// A tier that differs among assessors shows as such.
	if effect[1][3] != textfmt.NoTier || effect[0][3] != "Tier 3" {
		t.Errorf("tiers %q %q: the fictional panel puts Brandt in no tier", effect[0][3], effect[1][3])
	}
	// Every assessor links to their assessment.
	for _, a := range find(sec, byTag("a")) {
		if href := attr(a, "href"); len(find(doc, byID(strings.TrimPrefix(href, "#")))) != 1 {
			t.Errorf("link %s leads nowhere", href)
		}
	}
}

// Only several assessments of one country and revision make a panel; the
// bundled revisions of Japan do not, and their report has no panel section.
func TestHTMLNoPanelWithoutOne(t *testing.T) {
	r, as := fixture(t, true)
	rep, out := panelReport(t, r, as)
	if len(rep.Panels) != 0 || strings.Contains(out, `class="panel"`) || strings.Contains(out, "Panel agreement") {
		t.Errorf("a panel was found among revisions of one country: %d", len(rep.Panels))
	}
}

// A panel whose agreement cannot be measured says why; the rest of the
// report stands.
func TestHTMLPanelError(t *testing.T) {
	r, as := fixture(t, false, panelFiles...)
	w := weights.Defaults(r)
	rep := Report{Rubric: r, Aggregation: r.Aggregation, Missing: r.Missing, Weights: w, PanelOptions: agree.Defaults}
	for _, a := range as {
		rep.Results = append(rep.Results, score.Score(r, a, w, score.Options{}))
	}
	rep.Panels = []agree.Panel{{Members: []int{0, 1, 2}, Err: agree.ErrNoPairs}}
	var b bytes.Buffer
	if err := Write(&b, rep); err != nil {
		t.Fatal(err)
	}
	sec := one(t, parseHTML(t, b.String()), "panel sections", byID("panel-1"))
	if got := text(sec); !strings.Contains(got, "cannot be measured: "+agree.ErrNoPairs.Error()) || len(find(sec, byTag("table"))) != 0 {
		t.Errorf("panel section %q", got)
	}
}

// The audit section carries each assessment's audit: its summary and every
// finding the audit lists, linked to the bibliography where it can be.
func TestHTMLAuditSection(t *testing.T) {
	r, as := fixture(t, true, panelFiles...)
	rep, out := panelReport(t, r, as)
	doc := parseHTML(t, out)
	sec := one(t, doc, "audit sections", byID("audit"))
	parts := find(sec, byClass("section", "audit"))
	if len(parts) != len(rep.Audits) {
		t.Fatalf("%d audits shown, want %d", len(parts), len(rep.Audits))
	}
	labels := htmlLabels(rep.Results)
	for i, a := range rep.Audits {
		p := parts[i]
		if got := text(one(t, p, "headings", byTag("h3"))); !strings.HasPrefix(got, labels[i]+" ") {
			t.Errorf("audit %d heading %q, want %s", i, got, labels[i])
		}
		if got := text(one(t, p, "summaries", byClass("p", "audit-summary"))); got != a.Summary() {
			t.Errorf("audit %d summary %q, want %q", i, got, a.Summary())
		}
		var codes []string
		for _, c := range find(p, byClass("p", "single-publisher")) {
			for _, code := range find(c, byTag("code")) {
				codes = append(codes, text(code))
			}
		}
		if strings.Join(codes, " ") != strings.Join(a.SinglePublisher, " ") {
			t.Errorf("audit %d single-publisher %v, want %v", i, codes, a.SinglePublisher)
		}
		count := func(class string) int {
			tables := find(p, byClass("table", class))
			if len(tables) == 0 {
				return 0
			}
			return len(cells(tables[0]))
		}
		if count("stale-claims") != len(a.StaleClaims) || count("stale-facts") != len(a.StaleFacts) || count("concentrated") != len(a.Concentrated) {
			t.Errorf("audit %d: %d/%d/%d rows, want %d stale claims, %d stale facts, %d concentrated", i,
				count("stale-claims"), count("stale-facts"), count("concentrated"), len(a.StaleClaims), len(a.StaleFacts), len(a.Concentrated))
		}
		uncited := 0
		for _, u := range find(p, byClass("p", "uncited")) {
			uncited += len(find(u, byTag("code")))
		}
		if uncited != len(a.Uncited) {
			t.Errorf("audit %d: %d uncited shown, want %d", i, uncited, len(a.Uncited))
		}
		for _, l := range find(p, byTag("a")) {
			if href := attr(l, "href"); len(find(doc, byID(strings.TrimPrefix(href, "#")))) != 1 {
				t.Errorf("audit %d: link %s leads nowhere", i, href)
			}
		}
	}
	// The bundled revisions and the panel between them show each kind.
	for _, class := range []string{"stale-claims", "concentrated"} {
		if len(find(sec, byClass("table", class))) == 0 {
			t.Errorf("no %s table anywhere", class)
		}
	}
}

// The same inputs give the same report, byte for byte: the bootstrap is
// seeded and nothing depends on map order.
func TestHTMLPanelDeterministic(t *testing.T) {
	r, as := fixture(t, false, panelFiles...)
	_, first := panelReport(t, r, as)
	for range 2 {
		r, as := fixture(t, false, panelFiles...)
		if _, again := panelReport(t, r, as); again != first {
			t.Fatal("two runs gave different reports")
		}
	}
}

// Assessor names become headers, labels and links' text, never markup.
func TestHTMLPanelHostileAssessors(t *testing.T) {
	r, as := fixture(t, false, hostilePanel(t)...)
	rep, out := panelReport(t, r, as)
	if len(rep.Panels) != 1 || rep.Panels[0].Agreement == nil {
		t.Fatalf("the hostile panel was not measured: %+v", rep.Panels)
	}
	for _, bad := range []string{"<script>window", "<img src=x", "<b>Castel", "onerror=\""} {
		if strings.Contains(out, bad) {
			t.Errorf("report contains %q unescaped", bad)
		}
	}
	doc := parseHTML(t, out)
	if n := len(find(doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "img" || n.Data == "b" })); n != 0 {
		t.Errorf("%d script, img or b elements in the report", n)
	}
	sec := one(t, doc, "panel sections", byID("panel-1"))
	var heads []string
	for _, th := range find(one(t, sec, "disputed tables", byClass("table", "disputed")), byTag("th")) {
		heads = append(heads, text(th))
	}
	want := []string{"<script>window.__xss = 'assessor'</script>", `"><img src=x onerror="window.__xss='img'">`, "Chloé & <b>Castel</b>"}
	if got := strings.Join(heads, "|"); got != "Criterion|Pillar|"+strings.Join(want, "|")+"|Spread" {
		t.Errorf("disputed headers %q, want the names as text", got)
	}
}

func TestHTMLLabels(t *testing.T) {
	res := func(country, rev, file string, assessors ...string) *score.Result {
		return &score.Result{Country: country, Revision: rev, File: file, Source: &assessment.Assessment{Assessors: assessors}}
	}
	got := htmlLabels([]*score.Result{
		res("Japan", "2021", "a.yaml", "X"), res("Japan", "2025", "b.yaml", "X"),
		res("Ruritania", "2024", "p/adler.yaml", "Amara Adler"), res("Ruritania", "2024", "p/brandt.yaml", "Boris Brandt"),
		res("Ruritania", "2023", "q/one.yaml"), res("Ruritania", "2023", "r/one.yaml"),
	})
	want := []string{"Japan 2021", "Japan 2025", "Ruritania 2024 · Amara Adler", "Ruritania 2024 · Boris Brandt",
		"Ruritania 2023 · one.yaml (q/one.yaml)", "Ruritania 2023 · one.yaml (r/one.yaml)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("labels %q, want %q", got, want)
	}
}
