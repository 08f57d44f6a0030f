package server

import (
	"context"
	"slices"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/report/htmlreport"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// panelState is a panel among the served assessments, measured once when
// the server starts: agreement depends on the levels only, never on the
// weights. What the disagreement does to the overall does, so the
// consensus is kept evaluated and scored again with every state.
type panelState struct {
	panel     agree.Panel
	consensus *score.Evaluation
}

// panelEffect is what a panel's disagreement does under one state.
type panelEffect struct {
	Index int                    `json:"index"`
	Rows  []htmlreport.EffectRow `json:"rows"`
}

// measurePanels finds the panels among the opening results and measures
// them as `capscore agree` does by default; it also audits every
// assessment's evidence, for the report.
func (s *Server) measurePanels(ctx context.Context, first *response) error {
	panels, err := agree.AnalysePanels(ctx, s.cfg.Rubric, first.set, s.cfg.Options, first.results, agree.Defaults)
	if err != nil {
		return err
	}
	for _, p := range panels {
		st := panelState{panel: p}
		if p.Agreement != nil && p.Agreement.Consensus != nil {
			st.consensus = score.Evaluate(s.cfg.Rubric, p.Agreement.Consensus.Source)
		}
		s.panels = append(s.panels, st)
	}
	s.audits = htmlreport.AuditAll(s.cfg.Rubric, first.results, audit.Defaults)
	return nil
}

// panelsAt is every panel with its members' and consensus's overall and
// tier under the weights of one state; alpha and the disputed criteria
// stay as measured.
func (s *Server) panelsAt(results []*score.Result, set *weights.Set) []agree.Panel {
	out := make([]agree.Panel, len(s.panels))
	for k, st := range s.panels {
		out[k] = st.panel
		if st.panel.Agreement == nil || st.consensus == nil {
			continue
		}
		ag := *st.panel.Agreement
		ag.Members = slices.Clone(ag.Members)
		group := make([]*score.Result, len(st.panel.Members))
		labels := make([]string, len(st.panel.Members))
		for j, i := range st.panel.Members {
			group[j], labels[j] = results[i], ag.Members[j].Label
			ag.Members[j].Overall, ag.Members[j].Tier = results[i].Overall, results[i].Tier
		}
		ag.Effect.Min, ag.Effect.Max = agree.Extremes(labels, group)
		ag.Consensus = score.Aggregate(s.cfg.Rubric, ag.Consensus.Source, st.consensus, set, s.cfg.Options)
		ag.Effect.Consensus = agree.Outcome{Label: ag.Effect.Consensus.Label, Overall: ag.Consensus.Overall, Tier: ag.Consensus.Tier}
		out[k].Agreement = &ag
	}
	return out
}

func panelEffects(panels []agree.Panel) []panelEffect {
	out := make([]panelEffect, 0, len(panels))
	for k, p := range panels {
		out = append(out, panelEffect{Index: k, Rows: htmlreport.PanelEffect(p, nil)})
	}
	return out
}
