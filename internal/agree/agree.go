package agree

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Options choose what agreement is measured on.
type Options struct {
	Metric Metric
	// Stated measures the levels the assessors wrote; by default the
	// credited levels (after the evidence rule and any measure).
	Stated  bool
	Samples int
	Seed    uint64
}

// MaxSamples bounds the bootstrap: every draw's alpha is kept to take the
// percentiles.
const MaxSamples = 1_000_000

// Check reports options that cannot be used.
func (o Options) Check() error {
	if _, err := ParseMetric(string(o.Metric)); err != nil {
		return err
	}
	if o.Samples < 0 || o.Samples > MaxSamples {
		return fmt.Errorf("samples %d: use 0 (no interval) to %d", o.Samples, MaxSamples)
	}
	return nil
}

// Disputed is the spread, in levels, from which a criterion is disputed.
const Disputed = 2

// Agreement is what a panel agrees and disagrees on, and what the
// disagreement does to the score.
type Agreement struct {
	Country  string   `json:"country"`
	Code     string   `json:"code"`
	Revision string   `json:"revision"`
	Members  []Member `json:"assessments"`
	// All is alpha over every criterion; Pillars is alpha within each.
	All      Estimate      `json:"all"`
	Pillars  []PillarAlpha `json:"pillars"`
	Criteria []Criterion   `json:"criteria"`
	Effect   Effect        `json:"effect"`
	// Notes say where a number needs a word: a uniform panel, a pillar
	// without pairs.
	Notes []string `json:"notes"`
	// Consensus is the panel's consensus assessment, scored.
	Consensus *score.Result `json:"-"`
}

// Member is one assessment of the panel.
type Member struct {
	Label     string      `json:"label"`
	File      string      `json:"file"`
	Assessors []string    `json:"assessors"`
	Overall   *float64    `json:"overall"`
	Tier      *score.Tier `json:"tier"`
}

// PillarAlpha is alpha over one pillar's criteria; Estimate is nil when no
// criterion of the pillar has two levels, and Note says so.
type PillarAlpha struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Estimate *Estimate `json:"estimate"`
	Note     string    `json:"note,omitempty"`
}

// Criterion is what each member made of one criterion.
type Criterion struct {
	ID     string `json:"id"`
	Pillar string `json:"pillar"`
	Title  string `json:"title"`
	// Ratings are in the order of the members.
	Ratings []Rating `json:"ratings"`
	// Spread is the highest level less the lowest, over the levels
	// measured (credited, or stated with Options.Stated); nil when no
	// member gave one.
	Spread   *int `json:"spread"`
	Disputed bool `json:"disputed"`
}

// Rating is one member's finding on a criterion.
type Rating struct {
	Assessor   string `json:"assessor"`
	Stated     *int   `json:"stated"`
	Credited   *int   `json:"credited"`
	Confidence string `json:"confidence"`
}

// Outcome is an overall score and tier.
type Outcome struct {
	Label   string      `json:"label"`
	Overall *float64    `json:"overall"`
	Tier    *score.Tier `json:"tier"`
}

// Effect is what the disagreement does: the lowest and highest overall
// among the members and the consensus's.
type Effect struct {
	Min       *Outcome `json:"min"`
	Max       *Outcome `json:"max"`
	Consensus Outcome  `json:"consensus"`
}

// Label names a member by its assessors, or by its file when it names none.
func Label(res *score.Result) string {
	var names []string
	if res.Source != nil {
		for _, n := range res.Source.Assessors {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return filepath.Base(res.File)
	}
	return strings.Join(names, ", ")
}

// CheckPanel reports why results are not one panel: fewer than two, or
// more than one country or revision.
func CheckPanel(results []*score.Result) error {
	if len(results) < 2 {
		return fmt.Errorf("a panel needs two assessments or more of one country and revision by different assessors; got %d", len(results))
	}
	first := results[0]
	for _, res := range results[1:] {
		if res.Code != first.Code || res.Revision != first.Revision {
			return fmt.Errorf("%s is %s revision %q, but %s is %s revision %q; a panel is one country and one revision: name only its files",
				res.File, res.Code, res.Revision, first.File, first.Code, first.Revision)
		}
		if res.Source == nil {
			return fmt.Errorf("%s: the assessment is not at hand", res.File)
		}
	}
	if first.Source == nil {
		return fmt.Errorf("%s: the assessment is not at hand", first.File)
	}
	return nil
}

// Analyse measures the agreement of a panel scored with r, w and opt, and
// scores its consensus the same way.
func Analyse(ctx context.Context, r *rubric.Rubric, w *weights.Set, opt score.Options, results []*score.Result, o Options) (*Agreement, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if err := CheckPanel(results); err != nil {
		return nil, err
	}
	first := results[0]
	ag := &Agreement{Country: first.Country, Code: first.Code, Revision: first.Revision, Pillars: []PillarAlpha{}, Notes: []string{}}
	labels := make([]string, len(results))
	for i, res := range results {
		labels[i] = Label(res)
		ag.Members = append(ag.Members, Member{Label: labels[i], File: res.File, Assessors: res.Source.Assessors, Overall: res.Overall, Tier: res.Tier})
	}
	disambiguate(labels, ag.Members)

	var all [][]int
	var rows []Criterion
	for p, pl := range r.Pillars {
		var units [][]int
		for c, cr := range pl.Criteria {
			row := Criterion{ID: cr.ID, Pillar: pl.ID, Title: cr.Title}
			var values []int
			for i, res := range results {
				rc := res.Pillars[p].Criteria[c]
				stated := rc.StatedLevel
				if stated == nil {
					stated = rc.MeasuredLevel
				}
				row.Ratings = append(row.Ratings, Rating{Assessor: labels[i], Stated: stated, Credited: rc.Level, Confidence: rc.Confidence})
				v := rc.Level
				if o.Stated {
					v = stated
				}
				if v != nil {
					values = append(values, *v)
				}
			}
			if len(values) > 0 {
				s := spread(values)
				row.Spread = &s
				row.Disputed = s >= Disputed
			}
			units = append(units, values)
			rows = append(rows, row)
		}
		all = append(all, units...)
		e, err := EstimateAlpha(ctx, units, o.Metric, o.Samples, o.Seed, uint64(p+1))
		pa := PillarAlpha{ID: pl.ID, Title: pl.Title}
		switch {
		case err == ErrNoPairs:
			pa.Note = "no criterion of this pillar has levels from two assessors"
		case err != nil:
			return nil, err
		default:
			pa.Estimate = &e
			if e.Uniform {
				pa.Note = uniformNote
			}
		}
		ag.Pillars = append(ag.Pillars, pa)
	}
	e, err := EstimateAlpha(ctx, all, o.Metric, o.Samples, o.Seed, 0)
	if err != nil {
		return nil, err
	}
	ag.All = e
	if e.Uniform {
		ag.Notes = append(ag.Notes, "every criterion: "+uniformNote)
	}
	for _, pa := range ag.Pillars {
		if pa.Note != "" {
			ag.Notes = append(ag.Notes, pa.ID+": "+pa.Note)
		}
	}
	// Disputed criteria first, widest spread first; otherwise rubric order.
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Disputed != rows[j].Disputed {
			return rows[i].Disputed
		}
		return rows[i].Disputed && *rows[i].Spread > *rows[j].Spread
	})
	ag.Criteria = rows

	for i, res := range results {
		if res.Overall == nil {
			continue
		}
		out := &Outcome{Label: labels[i], Overall: res.Overall, Tier: res.Tier}
		if ag.Effect.Min == nil || *res.Overall < *ag.Effect.Min.Overall {
			ag.Effect.Min = out
		}
		if ag.Effect.Max == nil || *res.Overall > *ag.Effect.Max.Overall {
			ag.Effect.Max = out
		}
	}
	cons, err := Consensus(r, results, labels)
	if err != nil {
		return nil, err
	}
	ag.Consensus = score.Score(r, cons, w, opt)
	ag.Effect.Consensus = Outcome{Label: "consensus", Overall: ag.Consensus.Overall, Tier: ag.Consensus.Tier}
	return ag, nil
}

const uniformNote = "every level given is the same, so no disagreement is expected; alpha is taken as 1"

// disambiguate adds the file to labels that two members share.
func disambiguate(labels []string, members []Member) {
	n := map[string]int{}
	for _, l := range labels {
		n[l]++
	}
	for i, l := range labels {
		if n[l] > 1 {
			labels[i] = l + " (" + filepath.Base(members[i].File) + ")"
			members[i].Label = labels[i]
		}
	}
}

func spread(values []int) int {
	lo, hi := values[0], values[0]
	for _, v := range values[1:] {
		lo, hi = min(lo, v), max(hi, v)
	}
	return hi - lo
}
