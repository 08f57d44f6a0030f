package sensitivity

import (
	"errors"
	"fmt"
	"strings"

	"github.com/capscore/capscore/internal/agree"
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/score"
)

// Member is one assessment of a panel, scored under the nominal weights.
type Member struct {
	agree.Member
	// Diagnostics are the member's own scoring warnings, placed in its
	// file, for the caller to show.
	Diagnostics diag.List `json:"-"`
}

// choice is a criterion of a panel whose members' credited scores differ:
// a sample takes one of choiceScores[from:to], each member's equally
// likely.
type choice struct {
	c        int // flat criterion index
	from, to int
}

// Panels groups assessments into panels, one per country (code) and
// revision, in the order of each panel's first member. Every assessment
// must have a fellow member: one alone has no panel to draw levels from,
// and treating it as a panel of one would fix its levels silently, so it
// is an error naming the file. That the members' assessors differ is the
// loader's rule for any two files of one revision.
func Panels(as []*assessment.Assessment) ([][]*assessment.Assessment, error) {
	var groups [][]*assessment.Assessment
	for _, idx := range assessment.Panels(as) {
		g := make([]*assessment.Assessment, len(idx))
		for j, i := range idx {
			g[j] = as[i]
		}
		groups = append(groups, g)
	}
	var errs []error
	for _, g := range groups {
		if len(g) == 1 {
			a := g[0]
			errs = append(errs, fmt.Errorf("%s: no other assessment of %s revision %q is given, so it has no fellow assessors to draw levels from; give every panel member's file (one country and revision, different assessors), or leave this file out",
				a.File, a.Code, a.Revision))
		}
	}
	if len(groups) == 0 {
		return nil, errors.New("no assessment to perturb")
	}
	return groups, errors.Join(errs...)
}

// AddPanel evaluates a panel (several assessments of one country and
// revision by different assessors) as one assessment. Its nominal levels
// are the panel's consensus (agree.Consensus: each criterion at the median
// of the members' credited levels, of two middle levels the lower), so the
// nominal overall is the one `agree` gives the consensus. With
// Config.Panel, every sample draws each criterion's level independently
// from the members' credited levels for it, each member equally likely;
// a criterion a member left out is drawn among the members that credit
// it, and one that none credits stays missing. Measured criteria are
// drawn too: members may read different facts. The confidence rule does
// not apply to a panel.
func (b *Builder) AddPanel(members []*assessment.Assessment) error {
	m, r := b.m, b.m.r
	results := make([]*score.Result, len(members))
	evs := make([]*score.Evaluation, len(members))
	labels := make([]string, len(members))
	files := make([]string, len(members))
	for j, a := range members {
		evs[j] = score.Evaluate(r, a)
		results[j] = score.Aggregate(r, a, evs[j], b.w, m.opt)
		labels[j] = agree.Label(results[j])
		files[j] = a.File
	}
	cons, err := agree.Consensus(r, results, labels)
	if err != nil {
		return err
	}
	cons.File = strings.Join(files, ", ")
	ev := score.Evaluate(r, cons)
	i := m.n
	if err := b.add(cons, ev, false); err != nil {
		return err
	}
	m.nominal[i].Source.Assessors = cons.Assessors
	group := make([]Member, len(members))
	for j, res := range results {
		group[j] = Member{Member: agree.Member{Label: labels[j], File: files[j], Assessors: members[j].Assessors, Overall: res.Overall, Tier: res.Tier}, Diagnostics: res.Diagnostics()}
	}
	m.panels[i] = group
	for p := range m.np {
		for c := range m.start[p+1] - m.start[p] {
			f := m.start[p] + c
			if m.mask[i*m.nc+f] == 0 {
				continue
			}
			from := len(m.choiceScores)
			for _, e := range evs {
				if e.Has[p][c] {
					m.choiceScores = append(m.choiceScores, e.Scores[p][c])
				}
			}
			if differ(m.choiceScores[from:]) {
				m.choices = append(m.choices, choice{c: f, from: from, to: len(m.choiceScores)})
			} else {
				// All members agree (or none credits it): nothing to draw.
				m.choiceScores = m.choiceScores[:from]
			}
		}
	}
	m.choiceStart[i+1] = len(m.choices)
	return nil
}

// differ reports whether xs holds two different values.
func differ(xs []float64) bool {
	if len(xs) < 2 {
		return false
	}
	for _, x := range xs[1:] {
		if x != xs[0] {
			return true
		}
	}
	return false
}
