package server

import (
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// HEAD is answered wherever GET is: the same status and headers, and no
// body, on the wire and to the handler's writer.
func TestHeadLikeGet(t *testing.T) {
	s, _, _ := newServer(t)
	ts := httptest.NewServer(s)
	defer ts.Close()
	fetch := func(method, target string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+target, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(b)
	}
	for _, target := range []string{"/", "/?profile=military&weight=offence=2", "/api/score", "/api/score?weight=offence=2", "/report", "/static/app.js", "/static/page.css"} {
		t.Run(target, func(t *testing.T) {
			get, getBody := fetch(http.MethodGet, target)
			head, headBody := fetch(http.MethodHead, target)
			if get.StatusCode != http.StatusOK || head.StatusCode != http.StatusOK {
				t.Fatalf("GET %d, HEAD %d", get.StatusCode, head.StatusCode)
			}
			if headBody != "" || getBody == "" {
				t.Errorf("HEAD body of %d bytes, GET body of %d", len(headBody), len(getBody))
			}
			get.Header.Del("Date")
			head.Header.Del("Date")
			if !maps.EqualFunc(get.Header, head.Header, slices.Equal) {
				t.Errorf("headers differ:\nGET  %v\nHEAD %v", get.Header, head.Header)
			}
			if get.ContentLength != int64(len(getBody)) || head.ContentLength != get.ContentLength {
				t.Errorf("Content-Length: GET %d (body %d), HEAD %d", get.ContentLength, len(getBody), head.ContentLength)
			}
			// The handler itself writes no body for HEAD.
			if rep := do(t, s, http.MethodHead, target, "", ""); rep.status != http.StatusOK || rep.body != "" {
				t.Errorf("handler: status %d, body of %d bytes", rep.status, len(rep.body))
			}
		})
	}
	for target, allow := range map[string]string{"/": "GET, HEAD", "/api/score": "GET, HEAD, POST"} {
		if rep := do(t, s, http.MethodDelete, target, "", ""); rep.status != http.StatusMethodNotAllowed || rep.header.Get("Allow") != allow {
			t.Errorf("DELETE %s: status %d, Allow %q, want %q", target, rep.status, rep.header.Get("Allow"), allow)
		}
	}
}

// A query with mistakes still shows the page, with status 400: each
// mistake, escaped, beside the control it concerns (the element the
// control names in aria-describedby), and the rest of the query applied.
func TestPageShowsQueryMistakes(t *testing.T) {
	s, _, _ := newServer(t)
	for _, tc := range []struct {
		name, query string
		control     string // the id of the control the message is beside
		msg         string // id of the message
		says        string
		applied     []string // what the page shows of the rest of the query
	}{
		{"weight not a number", "weight=offence=abc&weight=strategy=2", "w-offence", "e-offence", "--weight offence=abc: not a number",
			[]string{`<output id="v-strategy" for="w-strategy">2</output>`}},
		{"weight markup", "weight=offence=<b>x</b>", "w-offence", "e-offence", "--weight offence=<b>x</b>: not a number", nil},
		{"criterion weight", "weight=military-doctrine=-1", "w-military-doctrine", "e-military-doctrine", "negative", []string{"<details open>"}},
		{"unknown weight", "weight=nope=2&profile=military", "reset", "weights-error", `unknown pillar or criterion "nope"`,
			[]string{`<option value="military" selected>`}},
		{"weights all zero", "weight=strategy=0&weight=governance=0&weight=intelligence=0&weight=empowerment=0&weight=resilience=0&weight=leadership=0&weight=offence=0",
			"reset", "weights-error", "every weight at this level is 0", nil},
		{"unknown profile", "profile=defense-first&weight=offence=3", "profile", "profile-error", `did you mean "defence-first"`,
			[]string{`<output id="v-offence" for="w-offence">3</output>`, `<option value="" selected>`}},
		{"profile twice", "profile=military&profile=military", "profile", "profile-error", "give profile once", nil},
		{"compare", "compare=0,7&profile=military", "compare-a", "compare-error", "index 7", []string{`<option value="military" selected>`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := do(t, s, http.MethodGet, "/?"+tc.query, "", "")
			if rep.status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", rep.status)
			}
			if ct := rep.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(rep.body, `id="overall-1"`) {
				t.Fatalf("not the page: %s, %.200q", ct, rep.body)
			}
			msg := html.EscapeString(tc.says)
			at := strings.Index(rep.body, `id="`+tc.msg+`"`)
			if at < 0 || !strings.Contains(rep.body[at:], msg) {
				t.Fatalf("no message %s saying %s", tc.msg, msg)
			}
			if end := strings.Index(rep.body[at:], "</"); !strings.Contains(rep.body[at:at+end], msg) && tc.msg != "weights-error" {
				t.Errorf("message %s does not hold %s: %.300q", tc.msg, msg, rep.body[at:])
			}
			if strings.Contains(tc.says, "<") && strings.Contains(rep.body, tc.says) {
				t.Error("the message is not escaped")
			}
			// The message follows its control, with no other control between.
			ctl := strings.Index(rep.body, `id="`+tc.control+`"`)
			if ctl < 0 || ctl > at || strings.Contains(rep.body[ctl+1:at], "<input") || strings.Contains(rep.body[ctl+1:at], "<button") && tc.control != "reset" {
				t.Errorf("message %s is not beside %s", tc.msg, tc.control)
			}
			if tag := rep.body[ctl : ctl+strings.Index(rep.body[ctl:], ">")]; tc.control != "reset" &&
				!strings.Contains(tag, `aria-invalid="true" aria-describedby="`+tc.msg+`"`) {
				t.Errorf("%s is not marked invalid and described by %s: %s", tc.control, tc.msg, tag)
			}
			for _, want := range tc.applied {
				if !strings.Contains(rep.body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
		})
	}

	// A mistake not about one control is shown at the top.
	rep := do(t, s, http.MethodGet, "/?weights=offence=2&weight=offence=2", "", "")
	if rep.status != http.StatusBadRequest || !strings.Contains(rep.body, `<p id="error" class="error" role="alert">query: unknown parameter &#34;weights&#34;`) ||
		!strings.Contains(rep.body, `<output id="v-offence" for="w-offence">2</output>`) {
		t.Errorf("status %d, top error and weight: %.400q", rep.status, rep.body[strings.Index(rep.body, `id="error"`):])
	}
	// A good query has no mistake shown.
	rep = do(t, s, http.MethodGet, "/?weight=offence=2", "", "")
	if rep.status != http.StatusOK || strings.Contains(rep.body, "field-error") || !strings.Contains(rep.body, `role="alert" hidden>`) {
		t.Errorf("status %d, or a mistake shown for a good query", rep.status)
	}
}
