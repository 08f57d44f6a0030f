package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/capscore/capscore/internal/weights"
)

// problems are the mistakes in the page's query, each kept with the
// control it concerns so that the page shows it there and opens with the
// rest of the query.
type problems struct {
	General []string          // the query as a whole: its syntax, unknown parameters
	Profile string            // the profile selector
	Weights []string          // weights that name no control, or that together set a level to zero
	Weight  map[string]string // one slider's, by pillar or criterion id
	Compare string            // the comparison's selectors
}

func (p *problems) any() bool {
	return len(p.General) > 0 || p.Profile != "" || len(p.Weights) > 0 || len(p.Weight) > 0 || p.Compare != ""
}

// Open reports whether a pillar's criteria hold a slider with a problem,
// so that the page opens them to show it.
func (p *problems) Open(pl pillarControls) bool {
	for _, c := range pl.Criteria {
		if p.Weight[c.ID] != "" {
			return true
		}
	}
	return false
}

// pageQuery reads the page's query as fromQuery does, but leniently: a
// part in error is left out of the request and kept as a problem, and the
// other parts apply.
func (s *Server) pageQuery(r *http.Request) (request, *problems) {
	p := &problems{Weight: map[string]string{}}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		p.General = append(p.General, "query: "+err.Error())
	}
	if len(q) == 0 && err == nil {
		return s.initial, p
	}
	req := request{Compare: s.defaultCompare()}
	keys := make([]string, 0, len(q))
	for key := range q {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if key != "profile" && key != "weight" && key != "compare" {
			p.General = append(p.General, unknownParam(key).Error())
		}
	}

	if vals, ok := q["profile"]; ok {
		switch {
		case len(vals) != 1:
			p.Profile = "query: give profile once"
		case len(vals[0]) > maxName:
			p.Profile = fmt.Sprintf("profile: longer than %d bytes", maxName)
		case vals[0] == "":
		default:
			if _, err := s.profile(vals[0]); err != nil {
				p.Profile = err.Error()
			} else {
				req.Profile = vals[0]
			}
		}
	}

	texts := q["weight"]
	if n := len(s.cfg.Rubric.IDs()); len(texts) > n {
		p.Weights = append(p.Weights, fmt.Sprintf("query: %d weights, more than the rubric's %d pillars and criteria", len(texts), n))
		texts = nil
	}
	for _, text := range texts {
		if len(text) > maxName {
			p.Weights = append(p.Weights, fmt.Sprintf("weight %.40q…: longer than %d bytes", text, maxName))
			continue
		}
		o, err := weights.ParseAssignment(text, pageOrigin(text))
		if err == nil {
			// Alone on the rubric's defaults, a weight fails only for
			// itself: an unknown id, or the one sibling set to zero.
			_, err = weights.Stack{Rubric: s.cfg.Rubric, Flags: []weights.Override{o}}.Resolve()
		}
		if err == nil {
			req.assign = append(req.assign, o)
			continue
		}
		id, _, _ := strings.Cut(text, "=")
		if id = strings.TrimSpace(id); s.known(id) {
			p.Weight[id] = strings.TrimPrefix(p.Weight[id]+"; ", "; ") + err.Error()
		} else {
			p.Weights = append(p.Weights, err.Error())
		}
	}

	if vals, ok := q["compare"]; ok {
		if len(vals) != 1 {
			p.Compare = "query: give compare once"
		} else if vals[0] == "" {
			// as fromQuery: an empty comparison is the default one
		} else if pair, err := parseCompare(vals[0]); err != nil {
			p.Compare = err.Error()
		} else if err := s.checkCompare(pair); err != nil {
			p.Compare = err.Error()
		} else {
			req.Compare = pair
		}
	}
	return req, p
}

func (s *Server) known(id string) bool {
	_, ok := s.cfg.Rubric.Lookup(id)
	return ok
}
