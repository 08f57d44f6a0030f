package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report/htmlreport"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// fixture loads the bundled rubric and assessments, and more files.
func fixture(t testing.TB, files ...string) (*rubric.Rubric, []*assessment.Assessment) {
	t.Helper()
	r, _, err := load.Rubric("")
	if err != nil {
		t.Fatal(err)
	}
	extra, err := load.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	as, ds := load.Assessments(append(load.BundledAssessments(), extra...), r)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	return r, as
}

func newServer(t testing.TB, files ...string) (*Server, *rubric.Rubric, []*assessment.Assessment) {
	t.Helper()
	r, as := fixture(t, files...)
	s, err := New(Config{Rubric: r, Assessments: as, Profiles: weights.ProfilesOf(r, nil), LoopbackOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return s, r, as
}

// engine is what the engine scores under a profile and --weight flags.
func engine(t testing.TB, r *rubric.Rubric, a *assessment.Assessment, profile string, flags ...string) *score.Result {
	t.Helper()
	st := weights.Stack{Rubric: r, Flags: flagLayer(t, flags...)}
	if profile != "" {
		p, ok := weights.ProfilesOf(r, nil).Find(profile)
		if !ok {
			t.Fatalf("no profile %s", profile)
		}
		st.Profile = p
	}
	w, err := st.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return score.Score(r, a, w, score.Options{})
}

type reply struct {
	status int
	body   string
	header http.Header
}

func do(t testing.TB, h http.Handler, method, target, contentType, body string) reply {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Host = "127.0.0.1:8080"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return reply{rec.Code, rec.Body.String(), rec.Header()}
}

func TestScoreMatchesEngine(t *testing.T) {
	s, r, as := newServer(t)
	for _, tc := range []struct {
		name, body, profile string
		flags               []string
	}{
		{"defaults", `{}`, "", nil},
		{"one pillar", `{"weights": {"offence": 3.5}}`, "", []string{"offence=3.5"}},
		{"profile and criterion", `{"profile": "military", "weights": {"national-strategy": 0, "resilience": 0.25}}`, "military", []string{"resilience=0.25", "national-strategy=0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := do(t, s, http.MethodPost, "/api/score", "application/json", tc.body)
			if rep.status != http.StatusOK {
				t.Fatalf("status %d: %s", rep.status, rep.body)
			}
			var resp response
			if err := json.Unmarshal([]byte(rep.body), &resp); err != nil {
				t.Fatal(err)
			}
			for i, a := range as {
				want := engine(t, r, a, tc.profile, tc.flags...)
				got := resp.Assessments[i]
				if got.Value != strconv.FormatFloat(*want.Overall, 'g', -1, 64) || got.Overall != textfmt.Num1(want.Overall) {
					t.Errorf("%s: overall %s (%s), engine %v", a.Label(), got.Overall, got.Value, *want.Overall)
				}
				if got.Points != htmlreport.RadarPoints(want) {
					t.Errorf("%s: radar points differ from the engine's scores", a.Label())
				}
				if *got.Result.Overall != *want.Overall || got.Result.Tier.ID != want.Tier.ID {
					t.Errorf("%s: result differs from the engine's", a.Label())
				}
			}
			for k := 1; k < len(resp.Ranking); k++ {
				a, b := resp.Assessments[resp.Ranking[k-1].Index].Result.Overall, resp.Assessments[resp.Ranking[k].Index].Result.Overall
				if *a < *b {
					t.Errorf("ranking out of order at %d", k)
				}
			}
		})
	}
}

// Weights whose sum overflows float64, from the body or the query, still
// give a JSON answer whose every number is finite, scores in [0, 100], the
// same as the engine's; -0 is written as 0.
func TestHugeWeightsAnswerFiniteJSON(t *testing.T) {
	s, r, as := newServer(t)
	for _, tc := range []struct {
		name, method, target, body string
		flags                      []string
	}{
		{"body", http.MethodPost, "/api/score", `{"weights": {"strategy": 1.7e308, "governance": 1.7e308, "national-strategy": 1.7976931348623157e308, "offence": -0}}`,
			[]string{"strategy=1.7e308", "governance=1.7e308", "national-strategy=1.7976931348623157e308", "offence=0"}},
		{"every pillar", http.MethodPost, "/api/score", `{"weights": {"strategy": 1e308, "governance": 1e308, "intelligence": 1e308, "empowerment": 1e308, "resilience": 1e308, "leadership": 1e308, "offence": 1e308}}`,
			[]string{"strategy=1e308", "governance=1e308", "intelligence=1e308", "empowerment=1e308", "resilience=1e308", "leadership=1e308", "offence=1e308"}},
		{"query", http.MethodGet, "/api/score?weight=strategy%3D1.7e308&weight=governance%3D1.7e308", "",
			[]string{"strategy=1.7e308", "governance=1.7e308"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := do(t, s, tc.method, tc.target, "application/json", tc.body)
			if rep.status != http.StatusOK {
				t.Fatalf("status %d: %s", rep.status, rep.body)
			}
			var raw any
			if err := json.Unmarshal([]byte(rep.body), &raw); err != nil {
				t.Fatalf("%v in %.200q", err, rep.body)
			}
			var resp response
			if err := json.Unmarshal([]byte(rep.body), &resp); err != nil {
				t.Fatal(err)
			}
			for i, a := range as {
				got := resp.Assessments[i].Result
				if got.Overall == nil || !(*got.Overall >= 0 && *got.Overall <= 100) {
					t.Fatalf("%s: overall %v", a.Label(), got.Overall)
				}
				want := engine(t, r, a, "", tc.flags...)
				if *got.Overall != *want.Overall {
					t.Errorf("%s: overall %v, engine %v", a.Label(), *got.Overall, *want.Overall)
				}
				for _, p := range got.Pillars {
					if p.Score != nil && !(*p.Score >= 0 && *p.Score <= 100) || !(p.Weight >= 0 && p.Weight <= 1) {
						t.Errorf("%s: pillar %s score %v weight %v", a.Label(), p.ID, p.Score, p.Weight)
					}
				}
			}
			for _, w := range resp.Weights {
				if strings.HasPrefix(w.Text, "-") || strings.Contains(w.Share, "NaN") {
					t.Errorf("weight %s: text %q share %q", w.ID, w.Text, w.Share)
				}
			}
			if strings.Contains(resp.Command, "-0") {
				t.Errorf("command %q writes -0", resp.Command)
			}
		})
	}
}

// The page's weights carry the flag layer's provenance, named as the
// page's, and the snippets reproduce them.
func TestScoreProvenanceAndSnippets(t *testing.T) {
	s, _, _ := newServer(t)
	rep := do(t, s, http.MethodPost, "/api/score", "application/json", `{"profile": "defence-first", "weights": {"offence": 2, "national-strategy": 1.5}}`)
	var resp response
	if err := json.Unmarshal([]byte(rep.body), &resp); err != nil {
		t.Fatal(err)
	}
	origins := map[string]string{}
	for _, w := range resp.Weights {
		origins[w.ID] = w.Origin
	}
	if origins["offence"] != "flag page offence=2" || !strings.HasPrefix(origins["resilience"], "profile defence-first (") ||
		!strings.HasPrefix(origins["strategy"], "rubric ") {
		t.Errorf("origins: offence %q, resilience %q, strategy %q", origins["offence"], origins["resilience"], origins["strategy"])
	}
	if want := "capscore score --profile defence-first --weight national-strategy=1.5 --weight offence=2"; resp.Command != want {
		t.Errorf("command %q, want %q", resp.Command, want)
	}
	if want := "profile: defence-first\nweights:\n  national-strategy: 1.5\n  offence: 2\n"; resp.Config != want {
		t.Errorf("config %q, want %q", resp.Config, want)
	}
	if want := "report?profile=defence-first&weight=national-strategy%3D1.5&weight=offence%3D2"; resp.Report != want {
		t.Errorf("report link %q, want %q", resp.Report, want)
	}
}

func TestBadRequests(t *testing.T) {
	s, _, _ := newServer(t)
	big := `{"profile": "` + strings.Repeat("x", MaxBody) + `"}`
	for _, tc := range []struct {
		name, method, target, ctype, body string
		status                            int
		says                              string
	}{
		{"not json", "POST", "/api/score", "application/json", `{"weights":`, 400, "request body"},
		{"unknown field", "POST", "/api/score", "application/json", `{"weigths": {}}`, 400, "unknown field"},
		{"two objects", "POST", "/api/score", "application/json", `{} {}`, 400, "one JSON object"},
		{"content type", "POST", "/api/score", "text/plain", `{}`, 400, "application/json"},
		{"too big", "POST", "/api/score", "application/json", big, 413, "over the limit"},
		{"negative", "POST", "/api/score", "application/json", `{"weights": {"offence": -1}}`, 400, "negative"},
		{"string weight", "POST", "/api/score", "application/json", `{"weights": {"offence": "2"}}`, 400, "request body"},
		{"huge number", "POST", "/api/score", "application/json", `{"weights": {"offence": 1e400}}`, 400, "request body"},
		{"unknown id", "POST", "/api/score", "application/json", `{"weights": {"offense": 1}}`, 400, `did you mean "offence"`},
		{"all zero", "POST", "/api/score", "application/json", `{"weights": {"strategy": 0, "governance": 0, "intelligence": 0, "empowerment": 0, "resilience": 0, "leadership": 0, "offence": 0}}`, 400, "every weight"},
		{"unknown profile", "POST", "/api/score", "application/json", `{"profile": "defense-first"}`, 400, `did you mean "defence-first"`},
		{"compare one", "POST", "/api/score", "application/json", `{"compare": [0]}`, 400, "two assessment indices"},
		{"compare range", "POST", "/api/score", "application/json", `{"compare": [0, 9]}`, 400, "index 9"},
		{"query semicolon", "GET", "/api/score?compare=0;1", "", "", 400, "semicolon"},
		{"query unknown", "GET", "/api/score?weights=offence=1", "", "", 400, `did you mean "weight"`},
		{"query malformed", "GET", "/api/score?weight=offence", "", "", 400, "write id=value"},
		{"query not a number", "GET", "/api/score?weight=offence=NaN", "", "", 400, "not a finite number"},
		{"query twice", "GET", "/api/score?profile=a&profile=b", "", "", 400, "give profile once"},
		{"query compare", "GET", "/api/score?compare=0-1", "", "", 400, "compare=0,1"},
		{"query too long", "GET", "/api/score?weight=" + strings.Repeat("a", MaxQuery), "", "", 400, "over the limit"},
		{"report query", "GET", "/report?weight=offence=-2", "", "", 400, "negative"},
		{"method", "PUT", "/api/score", "application/json", `{}`, 405, "read-only"},
		{"page method", "POST", "/", "", "", 405, "read-only"},
		{"not found", "GET", "/admin", "", "", 404, "no such page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := do(t, s, tc.method, tc.target, tc.ctype, tc.body)
			if rep.status != tc.status {
				t.Fatalf("status %d, want %d: %s", rep.status, tc.status, rep.body)
			}
			var e errorBody
			if err := json.Unmarshal([]byte(rep.body), &e); err != nil {
				t.Fatalf("error body is not JSON: %v: %q", err, rep.body)
			}
			if !strings.Contains(e.Error, tc.says) {
				t.Errorf("error %q does not say %q", e.Error, tc.says)
			}
			if ct := rep.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
		})
	}
}

func TestLoopbackOnly(t *testing.T) {
	s, _, _ := newServer(t)
	for host, ok := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:8080": true, "[::1]:8080": true, "LOCALHOST": true,
		"evil.example:8080": false, "192.168.1.10:8080": false, "127.0.0.1.evil.example": false,
	} {
		req := httptest.NewRequest(http.MethodGet, "/api/score", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if got := rec.Code == http.StatusOK; got != ok {
			t.Errorf("host %s: status %d", host, rec.Code)
		}
	}
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:0": true, "[::1]:80": true, "127.9.9.9:1": true,
		"0.0.0.0:8080": false, ":8080": false, "[::]:8080": false, "192.168.1.10:80": false,
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestPageAndStatic(t *testing.T) {
	s, _, _ := newServer(t, "../report/testdata/xss.yaml")
	rep := do(t, s, http.MethodGet, "/?profile=military&weight=offence=3", "", "")
	if rep.status != http.StatusOK {
		t.Fatalf("status %d: %s", rep.status, rep.body)
	}
	if csp := rep.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("page policy %q", csp)
	}
	for _, want := range []string{`id="w-offence"`, `value="3"`, `<option value="military" selected>`, "capscore score --profile military --weight offence=3"} {
		if !strings.Contains(rep.body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(rep.body, "<script>window") || strings.Count(rep.body, "<script") != 2 {
		t.Error("page has a script element beyond its state and its own script")
	}
	for _, path := range []string{"/static/app.js", "/static/page.css"} {
		if rep := do(t, s, http.MethodGet, path, "", ""); rep.status != http.StatusOK || rep.body == "" {
			t.Errorf("%s: status %d", path, rep.status)
		}
	}
	rep = do(t, s, http.MethodGet, "/report?profile=defence-first", "", "")
	if rep.status != http.StatusOK || !strings.Contains(rep.body, "profile defence-first") || strings.Contains(rep.body, "<script") {
		t.Errorf("report: status %d", rep.status)
	}
}

// Serve stops when its context ends and lets a request in flight finish.
func TestServeShutsDownGracefully(t *testing.T) {
	s, _, _ := newServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, s) }()
	res, err := http.Get("http://" + ln.Addr().String() + "/api/score")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(6 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if res, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		res.Body.Close()
		t.Error("the server still answers after shutdown")
	}
}

// A client that sends half a request line and waits (slowloris) does not
// hold a stopping server: Serve returns within a second, without error.
func TestServeStopsWithAHalfSentRequest(t *testing.T) {
	s, _, _ := newServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, s) }()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /api/sco")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the server has read the bytes
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("stopped after %v, over a second", d)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return with a half-sent request open")
	}
	// The half-open connection was closed, not left to time out.
	_ = conn.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("the connection is still open after shutdown: %v", err)
	}
}

func BenchmarkScoreAPI(b *testing.B) {
	s, _, _ := newServer(b)
	body := `{"profile": "military", "weights": {"offence": 2.5, "national-strategy": 0.5}}`
	b.ReportAllocs()
	for b.Loop() {
		rep := do(b, s, http.MethodPost, "/api/score", "application/json", body)
		if rep.status != http.StatusOK {
			b.Fatal(rep.body)
		}
	}
}

// Whatever a client sends, the answer is a computation or a JSON error,
// never a panic or a server error.
func FuzzScoreRequest(f *testing.F) {
	s, _, _ := newServer(f)
	f.Add(`{"profile": "military", "weights": {"offence": 2}, "compare": [0, 1]}`, "weight=offence=2&compare=1,0")
	f.Add(`{"weights": {"offence": -1e308}}`, "profile=%00")
	f.Add(`[]`, "weight=a=b=c")
	f.Fuzz(func(t *testing.T, body, query string) {
		get := httptest.NewRequest(http.MethodGet, "/api/score", nil)
		get.Host = "127.0.0.1:8080"
		get.URL.RawQuery = query // as sent, unparsed
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, get)
		for _, rep := range []reply{
			do(t, s, http.MethodPost, "/api/score", "application/json", body),
			{rec.Code, rec.Body.String(), rec.Header()},
		} {
			switch rep.status {
			case http.StatusOK:
			case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
				var e errorBody
				if err := json.Unmarshal([]byte(rep.body), &e); err != nil || e.Error == "" {
					t.Fatalf("status %d without a JSON error: %q", rep.status, rep.body)
				}
			default:
				t.Fatalf("status %d: %s", rep.status, rep.body)
			}
		}
	})
}

// A measured criterion whose finding states no level, capped by the
// evidence rule, renders in /report with the measured level as the one
// lowered, under both aggregations.
func TestReportCappedWithoutStatedLevel(t *testing.T) {
	r, _, err := load.Rubric("../../testdata/bad/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in, err := load.Read([]string{"../../testdata/bad/measured-capped-no-level-report/assessment.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	as, ds := load.Assessments(in, r)
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	for _, agg := range []rubric.Aggregation{rubric.Arithmetic, rubric.Geometric} {
		s, err := New(Config{Rubric: r, Assessments: as, Options: score.Options{Aggregation: agg}, LoopbackOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		rep := do(t, s, http.MethodGet, "/report", "", "")
		if rep.status != http.StatusOK || !strings.Contains(rep.body, "2→1 partial (capped)") {
			t.Errorf("%s: status %d, capped level shown: %v", agg, rep.status, strings.Contains(rep.body, "2→1 partial (capped)"))
		}
	}
}
