package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/browsertest"
	"github.com/capscore/capscore/internal/report/htmlreport"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/testfix"
	"github.com/capscore/capscore/internal/weights"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"
)

var panelFiles = []string{"../../testdata/panel/adler.yaml", "../../testdata/panel/brandt.yaml", "../../testdata/panel/castel.yaml"}

// measured is the panel's agreement as `capscore agree` measures it under
// the --weight flags.
func measured(t *testing.T, r *rubric.Rubric, as []*assessment.Assessment, flags ...string) *agree.Agreement {
	t.Helper()
	var results []*score.Result
	for _, a := range as {
		results = append(results, engine(t, r, a, "", flags...))
	}
	w, err := weights.Stack{Rubric: r, Flags: flagLayer(t, flags...)}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	ag, err := agree.Analyse(context.Background(), r, w, score.Options{}, results, agree.Defaults)
	if err != nil {
		t.Fatal(err)
	}
	return ag
}

func flagLayer(t testing.TB, flags ...string) []weights.Override {
	var out []weights.Override
	for _, f := range flags {
		o, err := weights.ParseAssignment(f, weights.Origin{Layer: weights.Flag, Source: "--weight " + f})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

// The page of a panel shows its agreement, measured once; what the
// disagreement does to the overall follows the weights, in the page and in
// the JSON the script reads.
func TestPagePanelSection(t *testing.T) {
	s, r, as := newServer(t, panelFiles...)
	// The bundled assessments come first; the panel is the last three.
	members := as[len(as)-3:]
	ag := measured(t, r, members)

	page := do(t, s, http.MethodGet, "/", "", "")
	if page.status != http.StatusOK {
		t.Fatalf("status %d: %s", page.status, page.body)
	}
	doc, err := html.Parse(strings.NewReader(page.body))
	if err != nil {
		t.Fatal(err)
	}
	secs := testfix.Find(doc, func(n *html.Node) bool { return n.Data == "section" && testfix.Attr(n, "class") == "panel-agreement" })
	if len(secs) != 1 {
		t.Fatalf("%d panel sections, want one", len(secs))
	}
	sec := secs[0]
	alphas := testfix.Rows(t, sec, "alpha")
	if len(alphas) != 1+len(ag.Pillars) || alphas[0][1] != strconv.FormatFloat(ag.All.Alpha, 'f', 3, 64) {
		t.Errorf("alpha rows %q; agree gives %.3f over %d pillars", alphas, ag.All.Alpha, len(ag.Pillars))
	}
	nDisputed := 0
	for _, c := range ag.Criteria {
		if c.Disputed {
			nDisputed++
		}
	}
	if got := len(testfix.Rows(t, sec, "disputed")); got != nDisputed || got == 0 {
		t.Errorf("%d disputed rows, agree gives %d", got, nDisputed)
	}
	effect := func(ag *agree.Agreement) []string {
		var out []string
		for _, m := range ag.Members {
			out = append(out, textfmt.Num1(m.Overall))
		}
		return append(out, textfmt.Num1(ag.Effect.Min.Overall), textfmt.Num1(ag.Effect.Max.Overall), textfmt.Num1(ag.Effect.Consensus.Overall))
	}
	var shown []string
	for _, row := range testfix.Rows(t, sec, "effect") {
		shown = append(shown, row[2])
	}
	if strings.Join(shown, " ") != strings.Join(effect(ag), " ") {
		t.Errorf("effect %v, agree gives %v", shown, effect(ag))
	}

	// Under other weights the overall scores move and alpha does not.
	rep := do(t, s, http.MethodPost, "/api/score", "application/json", `{"weights": {"offence": 5}}`)
	var body struct {
		Panels []struct {
			Index int                    `json:"index"`
			Rows  []htmlreport.EffectRow `json:"rows"`
		} `json:"panels"`
	}
	if err := json.Unmarshal([]byte(rep.body), &body); err != nil || len(body.Panels) != 1 {
		t.Fatalf("api: %v, %d panels: %s", err, len(body.Panels), rep.body)
	}
	moved := measured(t, r, members, "offence=5")
	shown = nil
	for _, row := range body.Panels[0].Rows {
		shown = append(shown, row.Overall)
	}
	if strings.Join(shown, " ") != strings.Join(effect(moved), " ") || strings.Join(effect(moved), " ") == strings.Join(effect(ag), " ") {
		t.Errorf("effect under offence=5 %v, agree gives %v (and %v before)", shown, effect(moved), effect(ag))
	}
	if moved.All.Alpha != ag.All.Alpha {
		t.Error("alpha changed with the weights")
	}

	// The report the page links to carries the panel and the audit.
	full := do(t, s, http.MethodGet, "/report?weight=offence=5", "", "")
	if full.status != http.StatusOK || !strings.Contains(full.body, `id="panel-1"`) || !strings.Contains(full.body, `id="audit"`) {
		t.Errorf("report: status %d, panel or audit section missing", full.status)
	}
	if !strings.Contains(full.body, `<td class="num">`+textfmt.Num1(moved.Effect.Consensus.Overall)+`</td>`) {
		t.Error("the report's consensus is not scored under the report's weights")
	}
}

// Without a panel the page has no panel section and the JSON an empty
// list.
func TestPageWithoutPanel(t *testing.T) {
	s, _, _ := newServer(t)
	page := do(t, s, http.MethodGet, "/", "", "")
	if page.status != http.StatusOK || strings.Contains(page.body, "panel-agreement") {
		t.Errorf("status %d; a panel section without a panel", page.status)
	}
	if rep := do(t, s, http.MethodGet, "/api/score", "", ""); !strings.Contains(rep.body, `"panels":[]`) {
		t.Errorf("api without a panel: %s", rep.body[len(rep.body)-200:])
	}
}

// Hostile assessor names are text in the page and in the report it links
// to.
func TestPagePanelHostileAssessors(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, f := range panelFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := []string{`"<script>window.__xss = 1</script>"`, `"\"><img src=x onerror=\"window.__xss=2\">"`, `"<b>C</b> & D"`}[i]
		s := string(data)
		at := strings.Index(s, "assessors:\n  - ") + len("assessors:\n  - ")
		end := at + strings.IndexByte(s[at:], '\n')
		out := filepath.Join(dir, filepath.Base(f))
		if err := os.WriteFile(out, []byte(s[:at]+name+s[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, out)
	}
	s, _, _ := newServer(t, files...)
	for _, path := range []string{"/", "/report"} {
		rep := do(t, s, http.MethodGet, path, "", "")
		if rep.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, rep.status)
		}
		for _, bad := range []string{"<script>window", "<img src=x", "<b>C</b>"} {
			if strings.Contains(rep.body, bad) {
				t.Errorf("%s contains %q unescaped", path, bad)
			}
		}
		if !strings.Contains(rep.body, "&lt;script&gt;window.__xss = 1&lt;/script&gt;") {
			t.Errorf("%s does not show the hostile name as text", path)
		}
	}
}

// In the browser, moving a slider moves the panel's overall scores to what
// `capscore agree` gives under those weights.
func TestPagePanelInBrowser(t *testing.T) {
	s, r, as := newServer(t, panelFiles...)
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx := browsertest.New(t, 25*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("panel-effect-0"))); err != nil {
		t.Fatal(err)
	}
	moved := measured(t, r, as[len(as)-3:], "offence=5")
	want := textfmt.Num1(moved.Effect.Consensus.Overall)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const slider = document.getElementById("w-offence");
		slider.value = "5";
		slider.dispatchEvent(new Event("input", { bubbles: true }));
	})()`)); err != nil {
		t.Fatal(err)
	}
	wait(t, ctx, `(() => {
		const rows = document.querySelectorAll("#panel-effect-0 tr");
		return rows.length === 6 && rows[5].children[2].textContent === "`+want+`";
	})()`)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#panel-effect-0 tr")).map(r => r.children[2].textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	var exp []string
	for _, m := range moved.Members {
		exp = append(exp, textfmt.Num1(m.Overall))
	}
	exp = append(exp, textfmt.Num1(moved.Effect.Min.Overall), textfmt.Num1(moved.Effect.Max.Overall), want)
	if strings.Join(got, " ") != strings.Join(exp, " ") {
		t.Errorf("panel overall scores %v after the move, agree gives %v", got, exp)
	}
}
