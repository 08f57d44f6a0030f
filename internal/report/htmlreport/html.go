package htmlreport

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/compare"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/sensitivity"
	"github.com/capscore/capscore/internal/weights"
)

//go:embed templates
var templateFS embed.FS

// htmlTemplates is parsed once and only ever executed: html/template
// escapes every value for the context it lands in (text, attribute, URL).
// It is parsed on first use, so commands that write no page do not pay for
// it at start-up.
var htmlTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").ParseFS(templateFS, "templates/*.tmpl"))
})

// reportCSS is inlined in the report; its hash goes into the report's
// content security policy so that nothing else, inline or fetched, runs.
var reportCSS = mustRead("templates/report.css")

func mustRead(name string) string {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		// Embedded at build time; absence is a build error.
		panic(err)
	}
	return string(b)
}

// Report is what `capscore report` renders: results under one set of
// effective weights.
type Report struct {
	Rubric      *rubric.Rubric
	Aggregation rubric.Aggregation
	Missing     rubric.Missing
	Profile     string
	Weights     *weights.Set
	Results     []*score.Result
	// Sensitivity, when set, is a Monte Carlo run over the same results
	// under SensitivityConfig.
	Sensitivity       *sensitivity.Result
	SensitivityConfig sensitivity.Config
	// Layers are the config file and settings that shaped the numbers
	// besides the weights; the header names them with the weight layers.
	Layers textfmt.Layers
	// Panels are the agreements of the panels among Results (member
	// indices into Results), measured with PanelOptions.
	Panels       []agree.Panel
	PanelOptions agree.Options
	// Audits, when set, are the evidence audits of Results, in the same
	// order, made with AuditOptions.
	Audits       []*audit.Report
	AuditOptions audit.Options
}

// Write writes one self-contained HTML file: inline CSS and SVG, no
// script, and a policy that forbids the browser any request.
func Write(w io.Writer, rep Report) error {
	return htmlTemplates().ExecuteTemplate(w, "report", buildDoc(rep))
}

type htmlDoc struct {
	Title       string
	CSS         template.CSS
	CSP         string
	Rubric      *rubric.Rubric
	Aggregation string
	Missing     string
	Profile     string
	// WeightsLine and SettingsLine name the layers, as every printer of
	// scores does ("" for no setting).
	WeightsLine, SettingsLine string
	Summary                   []summaryRow
	Radar                     Radar
	Bars                      Bars
	HasBars                   bool
	Compare                   compareTable
	Weights                   []weightRow
	Assessments               []assessmentView
	Sensitivity               *sensitivityView
	Panels                    []PanelView
	Audit                     *auditSection
}

// sensitivityView is the Monte Carlo summary: intervals and tier
// probabilities per assessment.
type sensitivityView struct {
	About string
	Tiers []string
	Rows  []sensitivityRow
	Ranks bool
}

type sensitivityRow struct {
	Label, Nominal, P05, P50, P95, Mean string
	Tiers                               []string
	NoTier                              string
	Rank                                string
}

type summaryRow struct {
	Anchor, Label, File, AsOf, Overall, Tier, TierLabel, Coverage string
}

type compareTable struct {
	Headers  []string
	Rows     []compareRow
	Steps    []stepChanges
	Warnings []string
}

// stepChanges lists the findings that changed from one column to the next.
type stepChanges struct {
	From, To string
	Changes  []changeRow
}

type changeRow struct {
	Title, ID, Level, Effect, Note string
}

type compareRow struct {
	Title string
	Cells []compareCell
}

type compareCell struct {
	Value, Delta string
}

type weightRow struct {
	ID, Title, Value, Share, Origin string
	Pillar                          bool
}

type assessmentView struct {
	Anchor, Label, File, AsOf, Summary, Assessors, Supersedes string
	Overall, Tier, TierLabel, Coverage                        string
	Warnings                                                  []string
	Pillars                                                   []pillarView
	Sources                                                   []sourceView
}

type pillarView struct {
	Title, Score, Weight, Contribution string
	Criteria                           []criterionView
}

type criterionView struct {
	ID, Title, Weight, Level, Descriptor, Confidence, Rationale, Change, Measure string
	Claims                                                                       []claimView
}

type claimView struct {
	Text  string
	Cites []citeView
}

type citeView struct {
	N      int
	Anchor string
	// Known is false for an id the assessment does not list; validation
	// refuses those, but the report must not link nowhere.
	Known bool
	ID    string
}

type sourceView struct {
	N                                         int
	Anchor, ID, Title, Author, Publisher, URL string
	Date                                      string
	Link                                      bool
}

func buildDoc(rep Report) htmlDoc {
	r := rep.Rubric
	d := htmlDoc{
		Title:        "capscore report — " + r.Title,
		CSS:          template.CSS(reportCSS),
		CSP:          reportCSP(),
		Rubric:       r,
		Aggregation:  string(rep.Aggregation),
		Missing:      string(rep.Missing),
		Profile:      rep.Profile,
		WeightsLine:  textfmt.WeightsText(r, rep.Weights),
		SettingsLine: rep.Layers.SettingsText(),
		Radar:        NewRadar("radar", r, rep.Results),
		Compare:      buildCompare(rep),
		Weights:      weightRows(r, rep.Weights),
	}
	d.Bars, d.HasBars = NewBars(r, rep.Results)
	labels := htmlLabels(rep.Results)
	relabel(&d.Radar, &d.Bars, labels)
	d.Panels, d.Audit = buildPanels(rep), buildAudits(rep, labels)
	if rep.Sensitivity != nil {
		d.Sensitivity = buildSensitivity(rep.Sensitivity, rep.SensitivityConfig, labels)
	}
	for i, res := range rep.Results {
		v := buildAssessment(r, i, res)
		v.Label = labels[i]
		d.Assessments = append(d.Assessments, v)
		d.Summary = append(d.Summary, summaryRow{Anchor: v.Anchor, Label: v.Label, File: v.File, AsOf: v.AsOf,
			Overall: v.Overall, Tier: v.Tier, TierLabel: v.TierLabel, Coverage: v.Coverage})
	}
	return d
}

func buildSensitivity(res *sensitivity.Result, cfg sensitivity.Config, labels []string) *sensitivityView {
	v := &sensitivityView{Ranks: len(res.Assessments) > 1}
	perturb := fmt.Sprintf("each weight multiplied by a uniform factor within ±%s", textfmt.Pct(cfg.Noise))
	if cfg.Dirichlet > 0 {
		perturb = "weights drawn from a Dirichlet distribution of concentration " + textfmt.Exact(cfg.Dirichlet) + " around the nominal shares"
	}
	what := "pillar weights"
	if cfg.Criteria {
		what = "pillar and criterion weights"
	}
	v.About = fmt.Sprintf("%d samples (seed %d) over the %s, %s", res.Samples, cfg.Seed, what, perturb)
	if cfg.Levels {
		v.About += ", with judged levels moved by each finding's confidence"
	}
	for _, t := range res.Tiers {
		v.Tiers = append(v.Tiers, t.ID)
	}
	for i, a := range res.Assessments {
		o := a.Overall
		label := textfmt.ResultLabel(a.Nominal)
		if i < len(labels) {
			label = labels[i]
		}
		row := sensitivityRow{Label: label, Nominal: textfmt.Num1(&o.Nominal), P05: textfmt.Num1(&o.P05), P50: textfmt.Num1(&o.P50),
			P95: textfmt.Num1(&o.P95), Mean: textfmt.Num1(&o.Mean), NoTier: textfmt.Pct(a.NoTier)}
		for t := range res.Tiers {
			p := 0.0
			if t < len(a.TierProbability) {
				p = a.TierProbability[t]
			}
			row.Tiers = append(row.Tiers, textfmt.Pct(p))
		}
		if a.Rank != nil {
			row.Rank = fmt.Sprintf("%d (%d–%d)", a.Rank.Median, a.Rank.P05, a.Rank.P95)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// reportCSP allows the inline stylesheet by its hash and nothing else: no
// script, no font, no image from anywhere but data: addresses.
func reportCSP() string {
	sum := sha256.Sum256([]byte(reportCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; img-src data:; base-uri 'none'; form-action 'none'"
}

// htmlTier is the headline ("Tier 3", or "no tier") and its explanation.
func htmlTier(t *score.Tier, overall *float64) (string, string) {
	switch {
	case t == nil && overall == nil:
		return textfmt.NoTier, "there is no overall score"
	case t == nil:
		return textfmt.NoTier, "the pillar scores meet the conditions of no tier"
	}
	return "Tier " + t.ID, t.Label
}

// buildCompare sets the results side by side through the compare package,
// each column against the one before it, as a chain of revisions reads.
func buildCompare(rep Report) compareTable {
	var t compareTable
	if len(rep.Results) == 0 {
		return t
	}
	sides := make([]compare.Side, len(rep.Results))
	labels := htmlLabels(rep.Results)
	for i, res := range rep.Results {
		sides[i] = compare.Side{Label: labels[i], Profile: rep.Profile, Rubric: rep.Rubric, Assessment: res.Source, Weights: rep.Weights}
		t.Headers = append(t.Headers, labels[i])
	}
	cmp := compare.Compare(sides, compare.Options{Score: score.Options{Aggregation: rep.Aggregation, Missing: rep.Missing}, Against: compare.Previous})
	row := func(title string, value func(c compare.Column) *float64, change func(st compare.Step) *float64) compareRow {
		cr := compareRow{Title: title}
		for i, col := range cmp.Columns {
			c := compareCell{Value: textfmt.Num1(value(col))}
			if i > 0 {
				c.Delta = textfmt.Signed(change(cmp.Steps[i-1]))
			}
			cr.Cells = append(cr.Cells, c)
		}
		return cr
	}
	t.Rows = append(t.Rows, row("Overall", func(c compare.Column) *float64 { return c.Overall },
		func(st compare.Step) *float64 { return st.Overall.Change }))
	for p, pl := range rep.Rubric.Pillars {
		t.Rows = append(t.Rows, row(pl.Title, func(c compare.Column) *float64 { return c.Pillars[p].Score },
			func(st compare.Step) *float64 { return st.Pillars[p].Change }))
	}
	tiers := compareRow{Title: "Tier"}
	for _, col := range cmp.Columns {
		tiers.Cells = append(tiers.Cells, compareCell{Value: textfmt.TierID(col.Tier)})
	}
	t.Rows = append(t.Rows, tiers)
	for _, st := range cmp.Steps {
		sc := stepChanges{From: cmp.Columns[st.From].Label, To: cmp.Columns[st.To].Label}
		for _, ch := range st.Changes {
			note := ch.Note
			if ch.NotComparable != "" {
				note = strings.TrimSpace("Not comparable: " + ch.NotComparable + ". " + note)
			}
			sc.Changes = append(sc.Changes, changeRow{Title: ch.Title, ID: ch.Criterion,
				Level: textfmt.LevelPair(ch.Credited), Effect: textfmt.Signed(ch.Effect), Note: note})
		}
		t.Steps = append(t.Steps, sc)
	}
	t.Warnings = cmp.Warnings
	return t
}

// htmlLabels names each result as the report's headings do: country and
// revision, with the assessors added where two results would read alike
// (the members of a panel), and the file where even that is not enough.
func htmlLabels(results []*score.Result) []string {
	labels := make([]string, len(results))
	count := func() map[string]int {
		n := map[string]int{}
		for _, l := range labels {
			n[l]++
		}
		return n
	}
	for i, res := range results {
		labels[i] = textfmt.ResultLabel(res)
	}
	n := count()
	for i, res := range results {
		if n[labels[i]] > 1 {
			labels[i] += " · " + agree.Label(res)
		}
	}
	n = count()
	for i, res := range results {
		if n[labels[i]] > 1 {
			labels[i] += " (" + res.File + ")"
		}
	}
	return labels
}

// relabel puts the report's labels on the charts' legends and bars.
func relabel(rd *Radar, b *Bars, labels []string) {
	for i := range rd.Series {
		if i < len(labels) {
			rd.Series[i].Label = labels[i]
		}
	}
	for i := range b.Series {
		if i < len(labels) {
			b.Series[i].Label = labels[i]
		}
	}
	for g := range b.Groups {
		for i := range b.Groups[g].Bars {
			if i < len(labels) {
				b.Groups[g].Bars[i].Series = labels[i]
			}
		}
	}
}

func weightRows(r *rubric.Rubric, w *weights.Set) []weightRow {
	var rows []weightRow
	for _, e := range w.Effective(r) {
		row := weightRow{ID: e.ID, Value: textfmt.Exact(e.Relative), Share: textfmt.Pct(e.Normalised), Origin: e.Origin.String(), Pillar: e.Criterion < 0}
		if row.Pillar {
			row.Title = r.Pillars[e.Pillar].Title
		} else {
			row.Title = r.Pillars[e.Pillar].Criteria[e.Criterion].Title
		}
		rows = append(rows, row)
	}
	return rows
}

func buildAssessment(r *rubric.Rubric, i int, res *score.Result) assessmentView {
	a := res.Source
	tier, label := htmlTier(res.Tier, res.Overall)
	v := assessmentView{
		Anchor: fmt.Sprintf("a%d", i+1), Label: textfmt.ResultLabel(res), File: res.File, AsOf: res.AsOf,
		Overall: textfmt.Num1(res.Overall), Tier: tier, TierLabel: label, Coverage: textfmt.Pct(res.Coverage),
		Warnings: res.Warnings,
	}
	// Citations are numbered in the natural order of source ids, so the
	// bundled n1..n74 keep the numbers of the notes they come from.
	nums := map[string]int{}
	if a != nil {
		v.Summary, v.Assessors, v.Supersedes = a.Summary, strings.Join(a.Assessors, ", "), a.Supersedes
		for n, id := range a.SourceIDs() {
			s := a.Sources[id]
			nums[id] = n + 1
			link := textsafe.IsWebAddress(s.URL)
			v.Sources = append(v.Sources, sourceView{N: n + 1, Anchor: refAnchor(i, n+1), ID: id, Title: s.Title,
				Author: s.Author, Publisher: s.Publisher, Date: s.Date.String(), URL: s.URL, Link: link})
		}
	}
	for p, pl := range r.Pillars {
		rp := res.Pillars[p]
		pv := pillarView{Title: pl.Title, Score: textfmt.Num1(rp.Score), Weight: textfmt.Pct(rp.Weight), Contribution: textfmt.Num1(rp.Contribution)}
		for c := range pl.Criteria {
			pv.Criteria = append(pv.Criteria, buildCriterion(r, a, i, &pl.Criteria[c], rp.Criteria[c], nums))
		}
		v.Pillars = append(v.Pillars, pv)
	}
	return v
}

func buildCriterion(r *rubric.Rubric, a *assessment.Assessment, i int, c *rubric.Criterion, rc score.Criterion, nums map[string]int) criterionView {
	cv := criterionView{ID: c.ID, Title: c.Title, Weight: textfmt.Pct(rc.Weight), Level: textfmt.CriterionLevel(r, rc), Confidence: rc.Confidence}
	if rc.Level != nil {
		cv.Descriptor = c.Descriptor(r.Scale, *rc.Level)
	}
	if c.Measure != nil && a != nil {
		if f, ok := a.Facts[c.Measure.Fact]; ok {
			cv.Measure = fmt.Sprintf("measured: %s = %s %s", f.ID, textfmt.Exact(f.Value), c.Measure.Unit)
			cv.Claims = append(cv.Claims, claimView{Text: "Fact " + f.ID + ": " + textfmt.Exact(f.Value) + " " + c.Measure.Unit + ".", Cites: cites(i, f.Sources, nums)})
		}
	}
	if a == nil {
		return cv
	}
	if f := a.Findings[c.ID]; f != nil {
		cv.Rationale, cv.Change = f.Rationale, f.Change
		for _, cl := range f.Evidence {
			cv.Claims = append(cv.Claims, claimView{Text: cl.Claim, Cites: cites(i, cl.Sources, nums)})
		}
	}
	return cv
}

func cites(i int, ids []string, nums map[string]int) []citeView {
	out := make([]citeView, len(ids))
	for k, id := range ids {
		n, ok := nums[id]
		out[k] = citeView{N: n, Anchor: refAnchor(i, n), Known: ok, ID: id}
	}
	return out
}

// refAnchor is built from numbers only, so it needs no escaping to match
// between the citation's href and the entry's id.
func refAnchor(assessment, n int) string { return fmt.Sprintf("ref-%d-%d", assessment+1, n) }
