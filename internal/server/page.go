package server

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/report/htmlreport"
	"github.com/capscore/capscore/internal/rubric"
)

// pageView is what the page template shows: the controls, and the first
// response, so the page reads right before its script runs.
type pageView struct {
	Rubric      *rubric.Rubric
	Aggregation string
	Missing     string
	Profiles    []string
	Profile     string
	Pillars     []pillarControls
	Radar       template.HTML
	Resp        *response
	State       pageState
	Assessments []listing
	Panels      []htmlreport.PanelView
	Problems    *problems
}

type pillarControls struct {
	ID, Title string
	W         weightView
	Criteria  []criterionControl
}

type criterionControl struct {
	ID, Title string
	W         weightView
}

// pageState is the request the script starts from; it sends it back with
// each change.
type pageState struct {
	Profile string             `json:"profile"`
	Weights map[string]float64 `json:"weights"`
	Compare [2]int             `json:"compare"`
}

type listing struct {
	Index                      int
	Label, File, AsOf, Summary string
}

func (s *Server) pageView(req request, resp *response) (pageView, error) {
	r := s.cfg.Rubric
	v := pageView{Rubric: r, Aggregation: string(s.cfg.Options.Aggregation), Missing: string(s.cfg.Options.Missing),
		Profile: req.Profile, Resp: resp, Problems: &problems{},
		State: pageState{Profile: req.Profile, Weights: map[string]float64{}, Compare: req.Compare}}
	for _, p := range s.cfg.Profiles {
		v.Profiles = append(v.Profiles, p.Name)
	}
	for _, o := range req.assign {
		v.State.Weights[o.ID] = o.Value
	}
	k := 0
	for _, pl := range r.Pillars {
		pc := pillarControls{ID: pl.ID, Title: pl.Title, W: resp.Weights[k]}
		k++
		for _, c := range pl.Criteria {
			pc.Criteria = append(pc.Criteria, criterionControl{ID: c.ID, Title: c.Title, W: resp.Weights[k]})
			k++
		}
		v.Pillars = append(v.Pillars, pc)
	}
	radar, err := htmlreport.NewRadar("radar", r, resp.results).HTML()
	if err != nil {
		return v, err
	}
	v.Radar = radar
	for k, p := range resp.panels {
		pv := htmlreport.NewPanelView(p, resp.results, agree.Defaults, nil)
		pv.Anchor = fmt.Sprintf("panel-%d", k)
		v.Panels = append(v.Panels, pv)
	}
	for i, a := range s.cfg.Assessments {
		v.Assessments = append(v.Assessments, listing{Index: i, Label: a.Label(), File: a.File, AsOf: a.AsOf.String(), Summary: a.Summary})
	}
	return v, nil
}

// reportCSP adds to the report's own policy: no script, no request.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// report serves the self-contained report for the weights in the query,
// the same file `capscore report` writes.
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	req, err := s.fromQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	resp, err := s.compute(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	var b bytes.Buffer
	err = htmlreport.Write(&b, htmlreport.Report{Rubric: s.cfg.Rubric, Aggregation: s.cfg.Options.Aggregation, Missing: s.cfg.Options.Missing,
		Profile: req.Profile, Weights: resp.set, Layers: resp.layers, Results: resp.results,
		Panels: resp.panels, PanelOptions: agree.Defaults, Audits: s.audits, AuditOptions: audit.Defaults})
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeHTML(w, http.StatusOK, reportCSP, b.Bytes())
}
