package htmlreport

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/testfix"
	"github.com/capscore/capscore/internal/weights"
)

// fixture loads the bundled rubric and the named assessments.
var fixture = testfix.Fixture

func htmlReport(t testing.TB, r *rubric.Rubric, as []*assessment.Assessment, w *weights.Set) (Report, string) {
	t.Helper()
	rep := Report{Rubric: r, Aggregation: r.Aggregation, Missing: r.Missing, Weights: w}
	for _, a := range as {
		rep.Results = append(rep.Results, score.Score(r, a, w, score.Options{}))
	}
	var b bytes.Buffer
	if err := Write(&b, rep); err != nil {
		t.Fatal(err)
	}
	return rep, b.String()
}

func TestHTMLEscapesInput(t *testing.T) {
	r, as := fixture(t, false, "../testdata/xss.yaml")
	_, out := htmlReport(t, r, as, weights.Defaults(r))
	for _, bad := range []string{"<script>window", "<img src=x", "<svg onload", "<iframe", "href=\"javascript:", "href=\"data:", "href=\"//evil"} {
		if strings.Contains(out, bad) {
			t.Errorf("report contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;window.__xss = &#39;rationale&#39;&lt;/script&gt;", "javascript:window.__xss = &#39;url&#39;</span>",
		`<a class="url" href="https://example.org/report?a=1&amp;b=%3c2%3e"`} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	if n := strings.Count(out, "<script"); n != 0 {
		t.Errorf("report has %d script elements, want none", n)
	}
}

// Every citation links to an entry of the bibliography, numbered in the
// natural order of source ids.
func TestHTMLCitationsResolve(t *testing.T) {
	r, as := fixture(t, true)
	_, out := htmlReport(t, r, as, weights.Defaults(r))
	cites := 0
	for _, part := range strings.Split(out, `class="cite" href="#`)[1:] {
		anchor := part[:strings.IndexByte(part, '"')]
		if !strings.Contains(out, `id="`+anchor+`"`) {
			t.Errorf("citation #%s has no bibliography entry", anchor)
		}
		cites++
	}
	if cites < 100 {
		t.Errorf("%d citations in the bundled report; expected every claim's", cites)
	}
	// n7 of the first assessment is its seventh source.
	if !strings.Contains(out, `<li id="ref-1-7" value="7"><span class="source-id">n7</span>`) {
		t.Error("source n7 is not entry 7 of the first bibliography")
	}
}

// The report's policy allows exactly its own stylesheet.
func TestReportCSPHashesTheStylesheet(t *testing.T) {
	r, as := fixture(t, true)
	_, out := htmlReport(t, r, as, weights.Defaults(r))
	if !strings.Contains(out, "<style>"+reportCSS+"</style>") {
		t.Fatal("the stylesheet is not inlined verbatim, so its hash cannot match")
	}
	// Compared as the browser reads the attribute: html/template may
	// write a "+" of the hash as a character reference.
	if got := metaCSP(t, out); got != reportCSP() {
		t.Fatalf("the policy is %q, want %q", got, reportCSP())
	}
}

func parsePoints(t *testing.T, s string) [][2]float64 {
	t.Helper()
	var out [][2]float64
	for _, p := range strings.Fields(s) {
		x, y, _ := strings.Cut(p, ",")
		fx, err1 := strconv.ParseFloat(x, 64)
		fy, err2 := strconv.ParseFloat(y, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad point %q", p)
		}
		out = append(out, [2]float64{fx, fy})
	}
	return out
}

// Property: each vertex lies on its pillar's spoke at radius × score/100,
// and an unscored pillar sits at the centre.
func TestRadarPointsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		res := &score.Result{Pillars: make([]score.Pillar, 7)}
		want := make([]float64, 7)
		for i := range res.Pillars {
			if rng.IntN(8) > 0 {
				s := rng.Float64() * 100
				res.Pillars[i].Score = &s
				want[i] = s
			}
		}
		pts := parsePoints(t, RadarPoints(res))
		if len(pts) != 7 {
			t.Fatalf("%d points, want 7", len(pts))
		}
		for i, p := range pts {
			dx, dy := p[0]-radarWidth/2, p[1]-radarSize/2
			r := math.Hypot(dx, dy)
			if math.Abs(r-radarRadius*want[i]/100) > 0.01 {
				t.Fatalf("pillar %d: radius %.3f for score %.3f", i, r, want[i])
			}
			if r > 1 {
				angle := math.Atan2(dy, dx)
				spoke := -math.Pi/2 + 2*math.Pi*float64(i)/7
				if d := math.Remainder(angle-spoke, 2*math.Pi); math.Abs(d) > 0.01 {
					t.Fatalf("pillar %d off its spoke by %.4f rad", i, d)
				}
			}
		}
	}
}

// Bars are proportional to contributions and the ticks cover the longest.
func TestBarsProportional(t *testing.T) {
	r, as := fixture(t, true)
	rep, _ := htmlReport(t, r, as, weights.Defaults(r))
	b, ok := NewBars(r, rep.Results)
	if !ok {
		t.Fatal("no bars under arithmetic aggregation")
	}
	last, _ := strconv.ParseFloat(b.Ticks[len(b.Ticks)-1].Label, 64)
	plot := barsWidth - barsLeft - barsRight
	for p, g := range b.Groups {
		for i, bar := range g.Bars {
			c := rep.Results[i].Pillars[p].Contribution
			w, _ := strconv.ParseFloat(bar.W, 64)
			if want := plot * *c / last; math.Abs(w-want) > 0.01 {
				t.Errorf("%s/%s: width %.2f, want %.2f", g.Title, bar.Series, w, want)
			}
		}
	}
	geo := rep
	geo.Results = nil
	for _, a := range as {
		geo.Results = append(geo.Results, score.Score(r, a, rep.Weights, score.Options{Aggregation: rubric.Geometric}))
	}
	if _, ok := NewBars(r, geo.Results); ok {
		t.Error("bars drawn under geometric aggregation, which has no contributions")
	}
}

func TestNiceStep(t *testing.T) {
	for raw, want := range map[float64]float64{0.3: 0.5, 1: 1, 1.1: 2, 2.2: 2.5, 2.675: 5, 7: 10, 12: 20, 0: 1} {
		if got := niceStep(raw); math.Abs(got-want) > 1e-12 {
			t.Errorf("niceStep(%g) = %g, want %g", raw, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("Global leadership in cyberspace affairs", 18)
	want := []string{"Global leadership", "in cyberspace", "affairs"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

func BenchmarkWriteHTML(b *testing.B) {
	r, as := fixture(b, true)
	w := weights.Defaults(r)
	rep := Report{Rubric: r, Aggregation: r.Aggregation, Missing: r.Missing, Weights: w}
	for _, a := range as {
		rep.Results = append(rep.Results, score.Score(r, a, w, score.Options{}))
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, rep); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
