package htmlreport

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/browsertest"
	"github.com/capscore/capscore/internal/weights"
	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "also keep the browser tests' screenshots in `DIR`")

// The report opened from disk with the network blocked: it must make no
// request, render its charts and citations, keep hostile text inert, and
// print.
func TestReportInBrowser(t *testing.T) {
	ctx := browsertest.New(t, 25*time.Second)
	r, as := fixture(t, true, "../testdata/xss.yaml")
	_, out := htmlReport(t, r, as, weights.Defaults(r))
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := browsertest.BlockNetwork(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}

	type page struct {
		XSS          any     `json:"xss"`
		Scripts      int     `json:"scripts"`
		BadLinks     int     `json:"badLinks"`
		Handlers     int     `json:"handlers"`
		Polygons     int     `json:"polygons"`
		Bars         int     `json:"bars"`
		Cites        int     `json:"cites"`
		Unresolved   int     `json:"unresolved"`
		Styled       string  `json:"styled"`
		RationaleTxt string  `json:"rationale"`
		URLText      string  `json:"urlText"`
		Width        float64 `json:"width"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[page](`(() => {
		const all = Array.from(document.querySelectorAll("*"));
		const cites = Array.from(document.querySelectorAll("a.cite"));
		return {
			xss: window.__xss === undefined ? null : window.__xss,
			scripts: document.scripts.length,
			badLinks: Array.from(document.querySelectorAll("[href],[src]")).filter(e =>
				!/^(#|https?:)/i.test(e.getAttribute("href") || e.getAttribute("src") || "")).length,
			handlers: all.filter(e => Array.from(e.attributes).some(a => a.name.startsWith("on"))).length,
			polygons: document.querySelectorAll("svg.radar polygon[id^=radar-s]").length,
			bars: document.querySelectorAll("svg.bars .group rect").length,
			cites: cites.length,
			unresolved: cites.filter(a => !document.getElementById(a.getAttribute("href").slice(1))).length,
			styled: getComputedStyle(document.querySelector("h2")).borderBottomStyle,
			rationale: Array.from(document.querySelectorAll("p.rationale")).map(p => p.textContent).find(t => t.includes("rationale")) || "",
			urlText: Array.from(document.querySelectorAll("span.url")).map(s => s.textContent).join(" | "),
			width: document.querySelector("svg.radar").getBoundingClientRect().width,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.XSS != nil {
		t.Errorf("script from the input ran: window.__xss = %v", got.XSS)
	}
	if got.Scripts != 0 || got.Handlers != 0 {
		t.Errorf("%d script elements and %d elements with on* handlers, want none", got.Scripts, got.Handlers)
	}
	if got.BadLinks != 0 {
		t.Errorf("%d links or sources that are neither anchors nor http(s)", got.BadLinks)
	}
	if got.Polygons != len(as) {
		t.Errorf("%d radar polygons, want one per assessment (%d)", got.Polygons, len(as))
	}
	if got.Bars != 7*len(as) {
		t.Errorf("%d bars, want %d", got.Bars, 7*len(as))
	}
	if got.Cites < 100 || got.Unresolved != 0 {
		t.Errorf("%d citations, %d without a bibliography entry", got.Cites, got.Unresolved)
	}
	if got.Styled != "solid" {
		t.Errorf("h2 border %q: the inline stylesheet did not apply (does its hash match the policy?)", got.Styled)
	}
	if want := "</td></tr></table><script>window.__xss = 'rationale'</script>"; !bytes.Contains([]byte(got.RationaleTxt), []byte(want)) {
		t.Errorf("hostile rationale not shown as text: %q", got.RationaleTxt)
	}
	if !bytes.Contains([]byte(got.URLText), []byte("javascript:window.__xss = 'url'")) {
		t.Errorf("javascript: address not shown as text: %q", got.URLText)
	}
	if got.Width < 300 {
		t.Errorf("radar is %.0f px wide; the chart did not lay out", got.Width)
	}

	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Keep(t, *screenshots, "report.png", png)
	// The hostile assessment's first pillar, to see the text it shows.
	png, err = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#a3 section.pillar")))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Keep(t, *screenshots, "report-xss.png", png)
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 20000 {
		t.Errorf("printing gave %d bytes, not a PDF of the report", len(pdf))
	}
	if blocked := rec.Blocked(); len(blocked) != 0 {
		t.Errorf("the report asked the network for %q", blocked)
	}
}
