package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/compare"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/report/htmlreport"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// request is one state of the page: a profile, the weights set on the
// page (as --weight flags would set them), and the two assessments of the
// comparison view.
type request struct {
	Profile string
	assign  []weights.Override
	Compare [2]int
}

// body is the JSON a POST carries.
type body struct {
	Profile string             `json:"profile"`
	Weights map[string]float64 `json:"weights"`
	Compare []int              `json:"compare"`
}

// pageLayer names what the page set itself: its weights in the flag layer
// (Origin.Name, so that a header names them apart from the command line's
// --weight), and its profile or settings where they differ from the
// command line's.
const pageLayer = "page"

// pageOrigin is the origin of a weight set on the page: in the flag layer,
// named "page". Problems with it read as a flag's ("--weight offence=x:
// not a number") since the page writes its weights back as --weight flags.
func pageOrigin(text string) weights.Origin {
	return weights.Origin{Layer: weights.Flag, Source: pageLayer + " " + text, Name: pageLayer}
}

func (s *Server) fromBody(w http.ResponseWriter, r *http.Request) (request, error) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return request{}, fmt.Errorf("content type %q: send application/json", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	var b body
	if err := dec.Decode(&b); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return request{}, fmt.Errorf("request body is over the limit of %d bytes: %w", MaxBody, err)
		}
		return request{}, fmt.Errorf("request body: %v; send {\"profile\": NAME, \"weights\": {ID: NUMBER}, \"compare\": [I, J]}", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return request{}, errors.New("request body: one JSON object only")
	}
	req := request{Profile: b.Profile, Compare: s.defaultCompare()}
	if len(b.Weights) > len(s.cfg.Rubric.IDs()) {
		return request{}, fmt.Errorf("weights: %d given, more than the rubric's %d pillars and criteria", len(b.Weights), len(s.cfg.Rubric.IDs()))
	}
	ids := make([]string, 0, len(b.Weights))
	for id := range b.Weights {
		ids = append(ids, id)
	}
	s.sortIDs(ids)
	for _, id := range ids {
		v := b.Weights[id]
		if v == 0 {
			v = 0 // -0 is 0, and is written so in the snippets
		}
		text := id + "=" + textfmt.Exact(v)
		if len(text) > maxName {
			return request{}, fmt.Errorf("weight %.40q…: longer than %d bytes", text, maxName)
		}
		req.assign = append(req.assign, weights.Override{ID: id, Value: v, Origin: pageOrigin(text), Text: text})
	}
	if b.Compare != nil {
		if len(b.Compare) != 2 {
			return request{}, fmt.Errorf("compare: give two assessment indices, not %d", len(b.Compare))
		}
		req.Compare = [2]int{b.Compare[0], b.Compare[1]}
	}
	return req, s.check(req)
}

func (s *Server) fromQuery(r *http.Request) (request, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return request{}, fmt.Errorf("query: %v", err)
	}
	req := s.initial
	if len(q) == 0 {
		return req, nil
	}
	req = request{Compare: s.defaultCompare()}
	for key, vals := range q {
		switch key {
		case "profile", "compare":
			if len(vals) != 1 {
				return request{}, fmt.Errorf("query: give %s once", key)
			}
		case "weight":
			if len(vals) > len(s.cfg.Rubric.IDs()) {
				return request{}, fmt.Errorf("query: %d weights, more than the rubric's %d pillars and criteria", len(vals), len(s.cfg.Rubric.IDs()))
			}
		default:
			return request{}, unknownParam(key)
		}
	}
	req.Profile = q.Get("profile")
	for _, text := range q["weight"] {
		if len(text) > maxName {
			return request{}, fmt.Errorf("weight %.40q…: longer than %d bytes", text, maxName)
		}
		o, err := weights.ParseAssignment(text, pageOrigin(text))
		if err != nil {
			return request{}, err
		}
		req.assign = append(req.assign, o)
	}
	if c := q.Get("compare"); c != "" {
		if req.Compare, err = parseCompare(c); err != nil {
			return request{}, err
		}
	}
	return req, s.check(req)
}

func unknownParam(key string) error {
	return fmt.Errorf("query: unknown parameter %q%s; use profile, weight=ID=VALUE and compare=I,J", key,
		diag.DidYouMean(key, []string{"profile", "weight", "compare"}))
}

func parseCompare(c string) ([2]int, error) {
	a, b, ok := strings.Cut(c, ",")
	i, err1 := strconv.Atoi(a)
	j, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		return [2]int{}, fmt.Errorf("compare %.40q: write two assessment indices, e.g. compare=0,1", c)
	}
	return [2]int{i, j}, nil
}

// check validates what resolving the weights does not: the profile name's size
// and the comparison's indices.
func (s *Server) check(req request) error {
	if len(req.Profile) > maxName {
		return fmt.Errorf("profile: longer than %d bytes", maxName)
	}
	return s.checkCompare(req.Compare)
}

func (s *Server) checkCompare(pair [2]int) error {
	n := len(s.cfg.Assessments)
	for _, i := range pair {
		if i < 0 || i >= n {
			return fmt.Errorf("compare: index %d is not one of the %d assessments (0 to %d)", i, n, n-1)
		}
	}
	return nil
}

// sortIDs puts ids in rubric order, unknown ones last, so that flags and
// snippets read in a stable order.
func (s *Server) sortIDs(ids []string) {
	rank := func(id string) (int, int) {
		ref, ok := s.cfg.Rubric.Lookup(id)
		if !ok {
			return math.MaxInt, 0
		}
		return ref.Pillar, ref.Criterion
	}
	sort.SliceStable(ids, func(i, j int) bool {
		pi, ci := rank(ids[i])
		pj, cj := rank(ids[j])
		if pi != pj {
			return pi < pj
		}
		if ci != cj {
			return ci < cj
		}
		return ids[i] < ids[j]
	})
}

// response is everything the page shows for one state.
type response struct {
	Profile     string           `json:"profile"`
	Weights     []weightView     `json:"weights"`
	Assessments []assessmentView `json:"assessments"`
	Ranking     []rankView       `json:"ranking"`
	Compare     compareView      `json:"compare"`
	Command     string           `json:"command"`
	Config      string           `json:"config"`
	Report      string           `json:"report"`
	Panels      []panelEffect    `json:"panels"`
	// WeightsLine and SettingsLine name every layer that shaped the
	// numbers, as every printer of scores does ("" for no setting);
	// ConfigFile and Settings are the same in fields, as score JSON has
	// them.
	WeightsLine  string              `json:"weights_line"`
	SettingsLine string              `json:"settings_line"`
	ConfigFile   *textfmt.ConfigFile `json:"config_file"`
	Settings     []textfmt.Setting   `json:"settings"`
	layers       textfmt.Layers
	set          *weights.Set
	results      []*score.Result
	panels       []agree.Panel
}

type weightView struct {
	ID     string  `json:"id"`
	Value  float64 `json:"value"`
	Text   string  `json:"text"`
	Share  string  `json:"share"`
	Origin string  `json:"origin"`
	Max    string  `json:"max"`
}

type assessmentView struct {
	Index    int           `json:"index"`
	Label    string        `json:"label"`
	Overall  string        `json:"overall"`
	Value    string        `json:"value"` // the overall at full precision, "" when there is none
	Tier     string        `json:"tier"`
	Coverage string        `json:"coverage"`
	Points   string        `json:"points"`
	Pillars  []string      `json:"pillars"`
	Result   *score.Result `json:"result"`
}

type rankView struct {
	Rank    int    `json:"rank"`
	Index   int    `json:"index"`
	Label   string `json:"label"`
	Overall string `json:"overall"`
	Tier    string `json:"tier"`
}

type compareView struct {
	A     int          `json:"a"`
	B     int          `json:"b"`
	Rows  []compareRow `json:"rows"`
	Notes []string     `json:"notes"`
}

type compareRow struct {
	Title string `json:"title"`
	A     string `json:"a"`
	B     string `json:"b"`
	Delta string `json:"delta"`
}

// compute resolves the weights of a state through the command line's
// stack, with the page's profile and weights in place of its own, and
// scores every assessment with the engine.
func (s *Server) compute(req request) (*response, error) {
	r := s.cfg.Rubric
	st := s.cfg.Stack
	st.Profile, st.Flags = nil, s.flags(req.assign)
	if req.Profile != "" {
		p, err := s.profile(req.Profile)
		if err != nil {
			return nil, err
		}
		st.Profile = p
	}
	set, err := st.Resolve()
	if err != nil {
		return nil, err
	}
	resp := &response{Profile: req.Profile, set: set, layers: s.layers(req)}
	resp.WeightsLine, resp.SettingsLine = textfmt.WeightsText(r, set), resp.layers.SettingsText()
	resp.ConfigFile, resp.Settings = resp.layers.Config, append([]textfmt.Setting{}, resp.layers.Settings...)
	for i, a := range s.cfg.Assessments {
		res := score.Aggregate(r, a, s.evals[i], set, s.cfg.Options)
		resp.results = append(resp.results, res)
		resp.Assessments = append(resp.Assessments, assessmentOf(i, res))
	}
	resp.Weights = weightViews(r, set)
	resp.Ranking = ranking(resp.Assessments, resp.results)
	resp.Compare = s.compareOf(req.Compare, resp.results)
	resp.Command, resp.Config, resp.Report = s.reproduce(req)
	resp.panels = s.panelsAt(resp.results, set)
	resp.Panels = panelEffects(resp.panels)
	return resp, nil
}

// flags is the flag layer of a state: each of the page's weights that the
// command line's --weight gave the same value keeps the flag's origin, and
// every other is the page's own. So the Weights line names "flag" for what
// the command line set and still holds, and "page" for what the page
// changed.
func (s *Server) flags(assign []weights.Override) []weights.Override {
	cli := map[string]weights.Override{}
	for _, o := range s.cfg.Stack.Flags {
		cli[o.ID] = o // the last of an id is the one in force
	}
	out := make([]weights.Override, len(assign))
	for i, o := range assign {
		if c, ok := cli[o.ID]; ok && c.Value == o.Value {
			out[i] = c
			continue
		}
		o.Origin = pageOrigin(o.Text)
		out[i] = o
	}
	return out
}

// layers are the command line's layers for a state: its settings, with
// the page's profile in place of the command line's when they differ
// ("profile defence-first (page)", or "profile none (page)" when the page
// dropped it).
func (s *Server) layers(req request) textfmt.Layers {
	l := s.cfg.Layers
	cli := ""
	if p := s.cfg.Stack.Profile; p != nil {
		cli = p.Name
	}
	if req.Profile == cli {
		return l
	}
	value := req.Profile
	if value == "" {
		value = "none"
	}
	page := textfmt.Setting{Name: "profile", Value: value, Origin: pageLayer, From: pageLayer}
	settings := make([]textfmt.Setting, 0, len(l.Settings)+1)
	for _, set := range l.Settings {
		if set.Name != "profile" {
			settings = append(settings, set)
		}
	}
	at := 0 // settings keep their order: rubric, profile, aggregation, missing
	if len(settings) > 0 && settings[0].Name == "rubric" {
		at = 1
	}
	l.Settings = slices.Insert(settings, at, page)
	return l
}

func (s *Server) profile(name string) (*weights.ProfileLayer, error) {
	if p, ok := s.cfg.Profiles.Find(name); ok {
		return p, nil
	}
	names := s.cfg.Profiles.Names()
	return nil, fmt.Errorf("profile %.60q: no such profile%s; profiles: %s", name, diag.DidYouMean(name, names), strings.Join(names, ", "))
}

func assessmentOf(i int, res *score.Result) assessmentView {
	v := assessmentView{Index: i, Label: textfmt.ResultLabel(res), Overall: textfmt.Num1(res.Overall), Tier: textfmt.TierID(res.Tier),
		Coverage: textfmt.Pct(res.Coverage), Value: textfmt.Full(res.Overall), Points: htmlreport.RadarPoints(res), Result: res}
	for _, p := range res.Pillars {
		v.Pillars = append(v.Pillars, textfmt.Num1(p.Score))
	}
	return v
}

func weightViews(r *rubric.Rubric, set *weights.Set) []weightView {
	var out []weightView
	for _, e := range set.Effective(r) {
		out = append(out, weightView{ID: e.ID, Value: e.Relative, Text: textfmt.Exact(e.Relative),
			Share: textfmt.Pct(e.Normalised), Origin: e.Origin.String(), Max: textfmt.Exact(math.Max(5, math.Ceil(e.Relative)))})
	}
	return out
}

// ranking orders assessments by overall score, highest first; those
// without one come last, and ties keep the input order.
func ranking(views []assessmentView, results []*score.Result) []rankView {
	order := make([]int, len(results))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := results[order[x]].Overall, results[order[y]].Overall
		if a == nil || b == nil {
			return a != nil && b == nil
		}
		return *a > *b
	})
	out := make([]rankView, len(order))
	for k, i := range order {
		out[k] = rankView{Rank: k + 1, Index: i, Label: views[i].Label, Overall: views[i].Overall, Tier: views[i].Tier}
	}
	return out
}

// compareOf sets two assessments side by side: their scores under the
// current weights, the difference, and the findings whose credited level
// differs.
func (s *Server) compareOf(pair [2]int, results []*score.Result) compareView {
	a, b := results[pair[0]], results[pair[1]]
	v := compareView{A: pair[0], B: pair[1], Notes: s.changedLevels(pair)}
	row := func(title string, x, y *float64) compareRow {
		r := compareRow{Title: title, A: textfmt.Num1(x), B: textfmt.Num1(y), Delta: textfmt.Signed(nil)}
		if x != nil && y != nil {
			d := *y - *x
			r.Delta = textfmt.Signed(&d)
		}
		return r
	}
	v.Rows = append(v.Rows, row("Overall", a.Overall, b.Overall))
	for p, pl := range s.cfg.Rubric.Pillars {
		v.Rows = append(v.Rows, row(pl.Title, a.Pillars[p].Score, b.Pillars[p].Score))
	}
	v.Rows = append(v.Rows, compareRow{Title: "Tier", A: textfmt.TierID(a.Tier), B: textfmt.TierID(b.Tier)})
	return v
}

// changedLevels lists the criteria whose credited level differs between
// two assessments, from the compare package. Credited levels do not depend
// on weights, so each pair is compared once and remembered: comparing the
// findings costs far more than scoring.
func (s *Server) changedLevels(pair [2]int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if notes, ok := s.notes[pair]; ok {
		return notes
	}
	r, w := s.cfg.Rubric, s.rubricWeights
	sides := make([]compare.Side, 2)
	for k, i := range pair {
		a := s.cfg.Assessments[i]
		sides[k] = compare.Side{Label: a.Label(), Rubric: r, Assessment: a, Weights: w}
	}
	cmp := compare.Compare(sides, compare.Options{Score: s.cfg.Options, Against: compare.First})
	notes := append([]string{}, cmp.Warnings...)
	for _, ch := range cmp.Steps[0].Changes {
		if ch.Credited.Changed() {
			notes = append(notes, fmt.Sprintf("%s: credited level %s → %s", ch.Title, levelText(ch.Credited.From), levelText(ch.Credited.To)))
		}
	}
	s.notes[pair] = notes
	return notes
}

func levelText(l *int) string {
	if l == nil {
		return "none"
	}
	return strconv.Itoa(*l)
}

// reproduce writes the command line and the config file that give the
// same weights: the profile, then every weight the config file, the
// environment or the page set, the strongest value of each, as flags.
func (s *Server) reproduce(req request) (command, config, reportURL string) {
	values := map[string]string{}
	var ids []string
	for _, layer := range [][]weights.Override{s.cfg.Stack.Config, s.cfg.Stack.Env, req.assign} {
		for _, o := range layer {
			if _, seen := values[o.ID]; !seen {
				ids = append(ids, o.ID)
			}
			values[o.ID] = textfmt.Exact(o.Value)
		}
	}
	s.sortIDs(ids)
	var cmd, cfg bytes.Buffer
	q := url.Values{}
	cmd.WriteString("capscore score")
	opt, def := s.cfg.Options, score.Options{}.Resolve(s.cfg.Rubric)
	if opt.Aggregation != def.Aggregation {
		fmt.Fprintf(&cmd, " --aggregation %s", opt.Aggregation)
		fmt.Fprintf(&cfg, "aggregation: %s\n", opt.Aggregation)
	}
	if opt.Missing != def.Missing {
		fmt.Fprintf(&cmd, " --missing %s", opt.Missing)
		fmt.Fprintf(&cfg, "missing: %s\n", opt.Missing)
	}
	if req.Profile != "" {
		fmt.Fprintf(&cmd, " --profile %s", shellQuote(req.Profile))
		fmt.Fprintf(&cfg, "profile: %s\n", yamlQuote(req.Profile))
		q.Set("profile", req.Profile)
	}
	if len(ids) > 0 {
		cfg.WriteString("weights:\n")
	}
	for _, id := range ids {
		fmt.Fprintf(&cmd, " --weight %s", shellQuote(id+"="+values[id]))
		fmt.Fprintf(&cfg, "  %s: %s\n", yamlQuote(id), values[id])
	}
	for _, o := range req.assign {
		q.Add("weight", o.Text)
	}
	if p, err := s.profile(req.Profile); err == nil && p.Config {
		// A profile from the config file must travel with the snippet.
		fmt.Fprintf(&cfg, "profiles:\n  %s:\n", yamlQuote(p.Name))
		for _, o := range p.Weights {
			fmt.Fprintf(&cfg, "    %s: %s\n", yamlQuote(o.ID), textfmt.Exact(o.Value))
		}
	}
	reportURL = "report"
	if enc := q.Encode(); enc != "" {
		reportURL += "?" + enc
	}
	return cmd.String(), cfg.String(), reportURL
}

// shellQuote leaves plain words alone and single-quotes anything else.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.=+,:/", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// yamlQuote double-quotes a key or value unless it is a plain id.
func yamlQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
	}) < 0 {
		return s
	}
	b, _ := json.Marshal(s) // a JSON string is a YAML double-quoted scalar
	return string(b)
}
