// Package server is the local weight-tuning page of `capscore serve`: an
// HTML page, its static script and style, and a JSON endpoint that scores
// the loaded assessments under the weights the page sends. Every number the
// page shows is computed here by the engine; the script only sends weights
// and places what comes back. The server is read-only: it computes and
// never writes.
package server

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Limits on what a request may carry.
const (
	MaxBody  = 64 << 10 // bytes of a POST body
	MaxQuery = 8 << 10  // bytes of a query string
	maxName  = 200      // bytes of a profile name or one weight assignment
)

//go:embed templates static
var files embed.FS

var pageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").ParseFS(files, "templates/*.tmpl"))
})

// Config is what the server serves.
type Config struct {
	Rubric      *rubric.Rubric
	Assessments []*assessment.Assessment
	Options     score.Options
	// Profiles are the profiles the page offers: the rubric's and the
	// config file's, as weights.ProfilesOf lists them.
	Profiles weights.ProfileList
	// Stack is the command line's weight stack (its Rubric nil or Rubric).
	// The page opens with its profile and --weight flags; each state of the
	// page is this stack with the page's profile and the page's weights in
	// their place, so the config file's and the environment's weights stay
	// under them. The page's weights replace the flags rather than stack on
	// them: they start as the flags, and the page writes them back as
	// --weight flags. A weight the page holds at a flag's value keeps that
	// flag's origin; any other is named as the page's.
	Stack weights.Stack
	// Layers are the command line's config file and settings, which the
	// page and its report name with the weight layers; the page's profile
	// takes the command line's place there when it differs.
	Layers textfmt.Layers
	// LoopbackOnly refuses requests whose Host header is not a loopback
	// name, so that a web page elsewhere cannot reach the server through a
	// rebound DNS name.
	LoopbackOnly bool
}

// Server answers the page's requests.
type Server struct {
	cfg     Config
	evals   []*score.Evaluation
	initial request
	mux     *http.ServeMux

	mu    sync.Mutex
	notes map[[2]int][]string // changed credited levels per compared pair

	// rubricWeights are the rubric's own weights, for comparing credited
	// levels, which no weight changes.
	rubricWeights *weights.Set

	panels []panelState    // the panels among the assessments
	audits []*audit.Report // each assessment's evidence audit, for the report
}

// New evaluates every assessment once (the part of scoring that weights do
// not change) and checks the opening state.
func New(cfg Config) (*Server, error) {
	if cfg.Rubric == nil || len(cfg.Assessments) == 0 {
		return nil, errors.New("server: a rubric and at least one assessment are needed")
	}
	cfg.Options = cfg.Options.Resolve(cfg.Rubric)
	s := &Server{cfg: cfg, evals: make([]*score.Evaluation, len(cfg.Assessments)), notes: map[[2]int][]string{}}
	for i, a := range cfg.Assessments {
		s.evals[i] = score.Evaluate(cfg.Rubric, a)
	}
	switch {
	case cfg.Stack.Rubric == nil:
		s.cfg.Stack.Rubric = cfg.Rubric
	case cfg.Stack.Rubric != cfg.Rubric:
		return nil, errors.New("server: the weight stack is of another rubric")
	}
	var err error
	if s.rubricWeights, err = (weights.Stack{Rubric: cfg.Rubric}).Resolve(); err != nil {
		return nil, err
	}
	s.initial = request{Compare: s.defaultCompare(), assign: cfg.Stack.Flags}
	if p := cfg.Stack.Profile; p != nil {
		s.initial.Profile = p.Name
	}
	first, err := s.compute(s.initial)
	if err != nil {
		return nil, err
	}
	if err := s.measurePanels(context.Background(), first); err != nil {
		return nil, err
	}
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/{$}", s.only(http.MethodGet, s.page))
	s.mux.HandleFunc("/api/score", s.only(http.MethodGet+" "+http.MethodPost, s.score))
	s.mux.HandleFunc("/report", s.only(http.MethodGet, s.report))
	s.mux.Handle("/static/", s.only(http.MethodGet, http.StripPrefix("/static/", http.FileServerFS(static)).ServeHTTP))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, errors.New("no such page; the page is at /"))
	})
	return s, nil
}

func (s *Server) defaultCompare() [2]int {
	return [2]int{0, min(1, len(s.cfg.Assessments)-1)}
}

// ServeHTTP checks the host and the size of the query, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
	if s.cfg.LoopbackOnly && !LoopbackHost(r.Host) {
		writeError(w, http.StatusBadRequest, fmt.Errorf("host %q: this server answers loopback names only (localhost, 127.0.0.1, [::1])", r.Host))
		return
	}
	if len(r.URL.RawQuery) > MaxQuery {
		writeError(w, http.StatusBadRequest, fmt.Errorf("query string of %d bytes is over the limit of %d", len(r.URL.RawQuery), MaxQuery))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// only answers the listed methods ("GET POST") and refuses the others with
// 405 and a JSON error. Where GET is allowed, so is HEAD: the same status
// and headers, without the body.
func (s *Server) only(methods string, h http.HandlerFunc) http.HandlerFunc {
	allowed := strings.Fields(methods)
	if slices.Contains(allowed, http.MethodGet) {
		allowed = slices.Insert(allowed, slices.Index(allowed, http.MethodGet)+1, http.MethodHead)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead && slices.Contains(allowed, http.MethodHead) {
			h(headWriter{w}, r)
			return
		}
		for _, m := range allowed {
			if r.Method == m {
				h(w, r)
				return
			}
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, http.StatusMethodNotAllowed, fmt.Errorf("method %s: use %s; the server is read-only", r.Method, strings.Join(allowed, " or ")))
	}
}

// pageCSP lets the page load its own script and style and call its own
// endpoint, and nothing else.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// page shows the page for the state in the query. A query with mistakes
// still shows the page: each mistake beside the control it concerns, with
// status 400, and the page opens with the rest of the query.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	req, probs := s.pageQuery(r)
	resp, err := s.compute(req)
	if err != nil && len(req.assign) > 0 {
		// The page's weights together set a level to zero.
		probs.Weights = append(probs.Weights, err.Error())
		req.assign = nil
		resp, err = s.compute(req)
	}
	if err != nil && req.Profile != "" {
		probs.Profile = err.Error()
		req.Profile = ""
		resp, err = s.compute(req)
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	view, err := s.pageView(req, resp)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	view.Problems = probs
	var b bytes.Buffer
	if err := pageTemplate().ExecuteTemplate(&b, "page", view); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	status := http.StatusOK
	if probs.any() {
		status = http.StatusBadRequest
	}
	writeHTML(w, status, pageCSP, b.Bytes())
}

// headWriter answers a HEAD request: the handler's status and headers
// (its Content-Length included), and no body.
type headWriter struct{ http.ResponseWriter }

func (headWriter) Write(p []byte) (int, error) { return len(p), nil }

func writeHTML(w http.ResponseWriter, status int, csp string, body []byte) {
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	// The client is gone if this fails; there is no one left to tell.
	_, _ = w.Write(body)
}

func (s *Server) score(w http.ResponseWriter, r *http.Request) {
	var req request
	var err error
	if r.Method == http.MethodPost {
		req, err = s.fromBody(w, r)
	} else {
		req, err = s.fromQuery(r)
	}
	if err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		writeError(w, status, err)
		return
	}
	resp, err := s.compute(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// shutdownGrace is how long a stopping server waits for requests in
// flight before it closes every connection, half-sent requests included:
// short enough that Ctrl-C stops it within a second.
const shutdownGrace = 500 * time.Millisecond

// Serve answers on ln until ctx ends, then shuts down: it stops accepting,
// lets requests in flight finish for shutdownGrace, closes whatever
// connections are left, and returns nil.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler: h,
		// A client that sends its headers slowly (slowloris) holds a
		// connection for ReadHeaderTimeout at most.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil {
		// Past the grace, a request still open (a half-sent one, or a
		// slow report) is cut off: the server is stopping as asked.
		srv.Close()
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Loopback reports whether a listen address (host:port) stays on this
// machine. An empty host listens on every interface.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	return loopbackName(host)
}

// LoopbackHost reports whether a Host header names this machine.
func LoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return loopbackName(strings.Trim(host, "[]"))
}

func loopbackName(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, errorBody{Error: err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		// An error of strings only always encodes.
		_ = json.NewEncoder(&b).Encode(errorBody{Error: "encode the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	// The client is gone if this fails; there is no one left to tell.
	_, _ = w.Write(b.Bytes())
}
