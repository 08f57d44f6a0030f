package compare

import (
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// Scored is one side's inputs to the overall score: the evidence (rubric,
// assessment and its weight-free evaluation) and the weights.
type Scored struct {
	Rubric     *rubric.Rubric
	Assessment *assessment.Assessment
	Evaluation *score.Evaluation
	Weights    *weights.Set
}

// Attribution splits the change of the overall score between two sides
// into the part due to evidence and the part due to weights.
//
// With O(e, w) the overall of evidence e under weights w, the split is the
// two-factor Shapley value, which treats both factors alike and whose parts
// add up to the total whatever the order of the changes:
//
//	evidence = ½[(O(eB,wA) − O(eA,wA)) + (O(eB,wB) − O(eA,wB))]
//	weights  = ½[(O(eA,wB) − O(eA,wA)) + (O(eB,wB) − O(eB,wA))]
//
// Every O is computed by score.Aggregate.
type Attribution struct {
	Total    float64 `json:"total"`
	Evidence float64 `json:"evidence"`
	Weights  float64 `json:"weights"`
	// The four corners: evidence of A or B under weights of A or B.
	EvidenceAWeightsA float64 `json:"o_ea_wa"`
	EvidenceBWeightsA float64 `json:"o_eb_wa"`
	EvidenceAWeightsB float64 `json:"o_ea_wb"`
	EvidenceBWeightsB float64 `json:"o_eb_wb"`
}

// Attribute computes the evidence/weights split from a to b, or nil when
// one of the four overalls does not exist (no pillar could be scored).
//
// When the rubrics differ, a side's weights are carried to the other
// rubric by id: every pillar, and every criterion present in both. A
// criterion found in one rubric only keeps that rubric's own side's weight,
// since the other side has none to lend it.
func Attribute(a, b Scored, opt score.Options) *Attribution {
	waOnB := transfer(a.Rubric, a.Weights, b.Rubric, b.Weights)
	wbOnA := transfer(b.Rubric, b.Weights, a.Rubric, a.Weights)
	o := func(s Scored, w *weights.Set) *float64 {
		return score.Aggregate(s.Rubric, s.Assessment, s.Evaluation, w, opt).Overall
	}
	aa, ba, ab, bb := o(a, a.Weights), o(b, waOnB), o(a, wbOnA), o(b, b.Weights)
	if aa == nil || ba == nil || ab == nil || bb == nil {
		return nil
	}
	return &Attribution{
		Total:             *bb - *aa,
		Evidence:          ((*ba - *aa) + (*bb - *ab)) / 2,
		Weights:           ((*ab - *aa) + (*bb - *ba)) / 2,
		EvidenceAWeightsA: *aa, EvidenceBWeightsA: *ba, EvidenceAWeightsB: *ab, EvidenceBWeightsB: *bb,
	}
}

// transfer carries the weights w of rubric from onto rubric to, by id;
// ids that from lacks keep their weight in fallback (a set on to).
func transfer(from *rubric.Rubric, w *weights.Set, to *rubric.Rubric, fallback *weights.Set) *weights.Set {
	if from == to {
		return w
	}
	out := fallback.Clone()
	for p, pl := range to.Pillars {
		if ref, ok := from.Lookup(pl.ID); ok && ref.Criterion < 0 {
			out.Pillar[p] = w.Pillar[ref.Pillar]
			out.PillarOrigin[p] = w.PillarOrigin[ref.Pillar]
		}
		for c, cr := range pl.Criteria {
			if ref, ok := from.Lookup(cr.ID); ok && ref.Criterion >= 0 {
				out.Criterion[p][c] = w.Criterion[ref.Pillar][ref.Criterion]
				out.CriterionOrigin[p][c] = w.CriterionOrigin[ref.Pillar][ref.Criterion]
			}
		}
	}
	return out
}
