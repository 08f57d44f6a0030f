package htmlreport

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
)

// PanelView is one panel's agreement as the report shows it: alpha over
// all criteria and per pillar, the disputed criteria, and what the
// disagreement does to the overall and the tier.
type PanelView struct {
	Anchor, Title, About, Error string
	Alphas                      []AlphaRow
	Notes                       []string
	Assessors                   []string
	Disputed                    []DisputedRow
	Criteria, Spread            int
	Effect                      []EffectRow
}

// AlphaRow is alpha over one scope.
type AlphaRow struct {
	Scope, Alpha, Interval, Pairable, Criteria string
	All                                        bool
}

// DisputedRow is a criterion whose levels are Spread or more apart.
type DisputedRow struct {
	ID, Title, Pillar, Spread string
	Ratings                   []string
}

// EffectRow is one line of what the disagreement does.
type EffectRow struct {
	Kind    string `json:"kind"` // assessor, lowest, highest or consensus
	Show    string `json:"show"`
	Label   string `json:"label"`
	Anchor  string `json:"-"`
	File    string `json:"file"`
	Overall string `json:"overall"`
	Tier    string `json:"tier"`
}

// PanelAbout says how a panel's agreement was measured, as `capscore
// agree` prints it.
func PanelAbout(cfg agree.Options) string {
	interval := "no bootstrap interval"
	if cfg.Samples > 0 {
		interval = fmt.Sprintf("%g%% interval from %d bootstrap resamples of the criteria, seed %d", 100*agree.Level, cfg.Samples, cfg.Seed)
	}
	return fmt.Sprintf("Krippendorff's alpha, %s metric, on %s levels; %s", cfg.Metric, textfmt.AgreeLevels(cfg), interval)
}

func buildPanels(rep Report) []PanelView {
	var out []PanelView
	for k, p := range rep.Panels {
		v := NewPanelView(p, rep.Results, rep.PanelOptions, func(i int) string { return fmt.Sprintf("a%d", i+1) })
		v.Anchor = fmt.Sprintf("panel-%d", k+1)
		out = append(out, v)
	}
	return out
}

// NewPanelView lays out one panel for a page: results are those the
// panel's member indices refer to, and anchor, when not nil, names the
// element of the page that shows result i.
func NewPanelView(p agree.Panel, results []*score.Result, cfg agree.Options, anchor func(i int) string) PanelView {
	v := PanelView{About: PanelAbout(cfg), Spread: agree.Disputed}
	if len(p.Members) > 0 && p.Members[0] < len(results) {
		first := results[p.Members[0]]
		v.Title = textfmt.ResultLabel(first)
		if first.Code != "" {
			v.Title += " (" + first.Code + ")"
		}
	}
	if anchor == nil {
		anchor = func(int) string { return "" }
	}
	ag := p.Agreement
	if p.Err != nil || ag == nil {
		v.Error = "The agreement of this panel cannot be measured"
		if p.Err != nil {
			v.Error += ": " + p.Err.Error()
		}
		return v
	}
	v.Alphas = append(v.Alphas, alphaOf("All criteria", &ag.All, true))
	for _, pa := range ag.Pillars {
		v.Alphas = append(v.Alphas, alphaOf(pa.Title, pa.Estimate, false))
	}
	v.Notes = ag.Notes
	for _, m := range ag.Members {
		v.Assessors = append(v.Assessors, m.Label)
	}
	v.Criteria = len(ag.Criteria)
	for _, c := range ag.Criteria {
		if !c.Disputed {
			continue
		}
		row := DisputedRow{ID: c.ID, Title: c.Title, Pillar: c.Pillar, Spread: strconv.Itoa(*c.Spread)}
		for _, r := range c.Ratings {
			row.Ratings = append(row.Ratings, textfmt.Rating(r))
		}
		v.Disputed = append(v.Disputed, row)
	}
	v.Effect = PanelEffect(p, anchor)
	return v
}

// PanelEffect is what the disagreement does, a row each: every assessor's
// overall and tier, the lowest, the highest and the consensus.
func PanelEffect(p agree.Panel, anchor func(i int) string) []EffectRow {
	ag := p.Agreement
	if ag == nil {
		return nil
	}
	var rows []EffectRow
	anchors := map[string]string{}
	for j, m := range ag.Members {
		row := EffectRow{Kind: "assessor", Show: "Assessor", Label: m.Label, File: m.File, Overall: textfmt.Num1(m.Overall), Tier: textfmt.TierName(m.Tier)}
		if j < len(p.Members) && anchor != nil {
			row.Anchor = anchor(p.Members[j])
			anchors[m.Label] = row.Anchor
		}
		rows = append(rows, row)
	}
	for _, o := range []struct {
		kind, show string
		out        *agree.Outcome
	}{{"lowest", "Lowest", ag.Effect.Min}, {"highest", "Highest", ag.Effect.Max}} {
		if o.out != nil {
			rows = append(rows, EffectRow{Kind: o.kind, Show: o.show, Label: o.out.Label, Anchor: anchors[o.out.Label],
				Overall: textfmt.Num1(o.out.Overall), Tier: textfmt.TierName(o.out.Tier)})
		}
	}
	c := ag.Effect.Consensus
	return append(rows, EffectRow{Kind: "consensus", Show: "Consensus", Label: "median levels", Overall: textfmt.Num1(c.Overall), Tier: textfmt.TierName(c.Tier)})
}

func alphaOf(scope string, e *agree.Estimate, all bool) AlphaRow {
	if e == nil {
		return AlphaRow{Scope: scope, Alpha: "—", Interval: "—", Pairable: "0", Criteria: "0", All: all}
	}
	return AlphaRow{Scope: scope, Alpha: textfmt.Alpha(e.Alpha), Interval: textfmt.AlphaInterval(e),
		Pairable: strconv.Itoa(e.Pairable), Criteria: strconv.Itoa(e.Units), All: all}
}

// auditView is one assessment's evidence audit.
type auditView struct {
	Anchor, Label, File, Summary string
	SinglePublisher              []auditCriterion
	StaleClaims                  []staleClaimRow
	StaleFacts                   []staleFactRow
	Concentrated                 []sourceUseRow
	Uncited                      []sourceRef
}

type auditCriterion struct{ ID, Title string }

type sourceRef struct {
	ID, Anchor, Line string
}

type staleClaimRow struct {
	Criterion auditCriterion
	Claim     int
	Newest    sourceRef
	Date, Age string
	Line      string
}

type staleFactRow struct {
	Fact, AsOf, Age, Allowed, Line string
	Criterion                      auditCriterion
}

type sourceUseRow struct {
	Source   sourceRef
	Findings int
	Criteria string
}

// auditSection holds the audits and the thresholds they used.
type auditSection struct {
	Stale, Concentration int
	Reports              []auditView
}

func buildAudits(rep Report, labels []string) *auditSection {
	if len(rep.Audits) == 0 {
		return nil
	}
	s := &auditSection{Stale: rep.AuditOptions.Stale, Concentration: rep.AuditOptions.Concentration}
	for i, a := range rep.Audits {
		if a == nil {
			continue
		}
		// The bibliography numbers sources in the order of their ids;
		// the audit links to the same entries.
		nums := map[string]int{}
		if i < len(rep.Results) && rep.Results[i].Source != nil {
			for n, id := range rep.Results[i].Source.SourceIDs() {
				nums[id] = n + 1
			}
		}
		src := func(id string, line int) sourceRef {
			ref := sourceRef{ID: id}
			if n, ok := nums[id]; ok {
				ref.Anchor = refAnchor(i, n)
			}
			if line > 0 {
				ref.Line = "line " + strconv.Itoa(line)
			}
			return ref
		}
		v := auditView{Anchor: fmt.Sprintf("a%d", i+1), Label: a.Label, File: a.File, Summary: a.Summary()}
		if i < len(labels) {
			v.Label = labels[i]
		}
		for _, id := range a.SinglePublisher {
			v.SinglePublisher = append(v.SinglePublisher, criterionRef(rep.Rubric, id))
		}
		for _, c := range a.StaleClaims {
			v.StaleClaims = append(v.StaleClaims, staleClaimRow{Criterion: criterionRef(rep.Rubric, c.Criterion), Claim: c.Claim,
				Newest: src(c.Newest.ID, 0), Date: c.Newest.Date.String(), Age: textfmt.Years(c.Newest.Years) + " years", Line: textfmt.Line(c.Pos)})
		}
		for _, f := range a.StaleFacts {
			v.StaleFacts = append(v.StaleFacts, staleFactRow{Fact: f.Fact, Criterion: criterionRef(rep.Rubric, f.Criterion),
				AsOf: f.AsOf.String(), Age: textfmt.Years(f.Years) + " years", Allowed: strconv.Itoa(f.MaxAge) + " years", Line: textfmt.Line(f.Pos)})
		}
		for _, u := range a.Concentrated {
			v.Concentrated = append(v.Concentrated, sourceUseRow{Source: src(u.ID, u.Pos.Line), Findings: len(u.Findings),
				Criteria: strings.Join(u.Findings, ", ")})
		}
		for _, u := range a.Uncited {
			v.Uncited = append(v.Uncited, src(u.ID, u.Pos.Line))
		}
		s.Reports = append(s.Reports, v)
	}
	return s
}

func criterionRef(r *rubric.Rubric, id string) auditCriterion {
	c := auditCriterion{ID: id}
	if ref, ok := r.Lookup(id); ok && ref.Criterion >= 0 {
		c.Title = r.Pillars[ref.Pillar].Criteria[ref.Criterion].Title
	}
	return c
}

// AuditAll audits every result's assessment under opt, in order; a result
// without its assessment gets none.
func AuditAll(r *rubric.Rubric, results []*score.Result, opt audit.Options) []*audit.Report {
	out := make([]*audit.Report, len(results))
	for i, res := range results {
		if res.Source != nil {
			out[i] = audit.Audit(r, res.Source, opt)
		}
	}
	return out
}
