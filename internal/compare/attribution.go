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
//
// A criterion whose measured fact changed its counting basis is not
// evidence of a change in capability. Its part is split off first: with
// eB' the evidence of B in which those criteria keep A's levels,
//
//	not comparable = ½[(O(eB,wA) − O(eB',wA)) + (O(eB,wB) − O(eB',wB))]
//	evidence       = ½[(O(eB',wA) − O(eA,wA)) + (O(eB',wB) − O(eA,wB))]
//
// so the three parts still add up to the total.
type Attribution struct {
	Total    float64 `json:"total"`
	Evidence float64 `json:"evidence"`
	Weights  float64 `json:"weights"`
	// NotComparable is the part carried by criteria whose counting basis
	// changed (see BasisChanged); zero, and left out, when none did.
	NotComparable float64 `json:"not_comparable,omitempty"`
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
	waOnB := weights.Carry(a.Rubric, a.Weights, b.Rubric, b.Weights)
	wbOnA := weights.Carry(b.Rubric, b.Weights, a.Rubric, a.Weights)
	o := func(s Scored, w *weights.Set) *float64 {
		return score.Aggregate(s.Rubric, s.Assessment, s.Evaluation, w, opt).Overall
	}
	aa, ba, ab, bb := o(a, a.Weights), o(b, waOnB), o(a, wbOnA), o(b, b.Weights)
	if aa == nil || ba == nil || ab == nil || bb == nil {
		return nil
	}
	at := &Attribution{
		Total:             *bb - *aa,
		Evidence:          ((*ba - *aa) + (*bb - *ab)) / 2,
		Weights:           ((*ab - *aa) + (*bb - *ba)) / 2,
		EvidenceAWeightsA: *aa, EvidenceBWeightsA: *ba, EvidenceAWeightsB: *ab, EvidenceBWeightsB: *bb,
	}
	if sameEvidence(a, b) {
		// One assessment under one rubric: the whole change is the weights',
		// stated exactly rather than as a difference of equal sums.
		at.Evidence, at.Weights = 0, at.Total
		return at
	}
	if ids := BasisChanged(a.Rubric, a.Assessment, b.Rubric, b.Assessment); len(ids) > 0 {
		kept := b
		kept.Evaluation = keepLevels(a, b, ids)
		kba, kbb := o(kept, waOnB), o(kept, b.Weights)
		if kba != nil && kbb != nil {
			at.NotComparable = ((*ba - *kba) + (*bb - *kbb)) / 2
			at.Evidence -= at.NotComparable
		}
	}
	return at
}

// sameEvidence reports whether both sides score the same assessment with
// the same rubric, so that only their weights can differ.
func sameEvidence(a, b Scored) bool {
	return a.Rubric == b.Rubric && a.Assessment == b.Assessment
}

// keepLevels returns b's evaluation with the criteria ids credited as in a.
func keepLevels(a, b Scored, ids []string) *score.Evaluation {
	ev := *b.Evaluation
	ev.Scores = make([][]float64, len(ev.Scores))
	ev.Has = make([][]bool, len(ev.Has))
	ev.Criteria = make([][]score.Criterion, len(ev.Criteria))
	for p := range ev.Scores {
		ev.Scores[p] = append([]float64(nil), b.Evaluation.Scores[p]...)
		ev.Has[p] = append([]bool(nil), b.Evaluation.Has[p]...)
		ev.Criteria[p] = append([]score.Criterion(nil), b.Evaluation.Criteria[p]...)
	}
	for _, id := range ids {
		rb, okb := b.Rubric.Lookup(id)
		ra, oka := a.Rubric.Lookup(id)
		if !okb || !oka || rb.Criterion < 0 || ra.Criterion < 0 {
			continue
		}
		ev.Scores[rb.Pillar][rb.Criterion] = a.Evaluation.Scores[ra.Pillar][ra.Criterion]
		ev.Has[rb.Pillar][rb.Criterion] = a.Evaluation.Has[ra.Pillar][ra.Criterion]
		ev.Criteria[rb.Pillar][rb.Criterion] = a.Evaluation.Criteria[ra.Pillar][ra.Criterion]
	}
	return &ev
}
