// Code generated from the json tags of score.Result by TestResultEncoderIsCurrent; DO NOT EDIT.

package report

import "github.com/capscore/capscore/internal/score"

func (w *jsonWriter) scoreResult(b []byte, v *score.Result) []byte {
	b = w.open(b, '{')
	b = w.key(b, "file")
	b = w.str(b, v.File)
	b = w.key(b, "country")
	b = w.str(b, v.Country)
	b = w.key(b, "code")
	b = w.str(b, v.Code)
	b = w.key(b, "revision")
	b = w.str(b, v.Revision)
	b = w.key(b, "as_of")
	b = w.str(b, v.AsOf)
	b = w.key(b, "overall")
	b = w.floatPtr(b, v.Overall)
	b = w.key(b, "tier")
	b = nullOr(w, b, v.Tier == nil, func(b []byte) []byte { return w.scoreTier(b, v.Tier) })
	b = w.key(b, "coverage")
	b = w.float(b, v.Coverage)
	b = w.key(b, "pillars")
	b = array(w, b, v.Pillars, func(b []byte, e *score.Pillar) []byte { return w.scorePillar(b, e) })
	b = w.key(b, "warnings")
	b = array(w, b, v.Warnings, func(b []byte, e *string) []byte { return w.str(b, *e) })
	return w.close(b, '}')
}

func (w *jsonWriter) scoreTier(b []byte, v *score.Tier) []byte {
	b = w.open(b, '{')
	b = w.key(b, "id")
	b = w.str(b, v.ID)
	b = w.key(b, "label")
	b = w.str(b, v.Label)
	return w.close(b, '}')
}

func (w *jsonWriter) scorePillar(b []byte, v *score.Pillar) []byte {
	b = w.open(b, '{')
	b = w.key(b, "id")
	b = w.str(b, v.ID)
	b = w.key(b, "title")
	b = w.str(b, v.Title)
	b = w.key(b, "weight")
	b = w.float(b, v.Weight)
	b = w.key(b, "score")
	b = w.floatPtr(b, v.Score)
	b = w.key(b, "contribution")
	b = w.floatPtr(b, v.Contribution)
	b = w.key(b, "criteria")
	b = array(w, b, v.Criteria, func(b []byte, e *score.Criterion) []byte { return w.scoreCriterion(b, e) })
	return w.close(b, '}')
}

func (w *jsonWriter) scoreCriterion(b []byte, v *score.Criterion) []byte {
	b = w.open(b, '{')
	b = w.key(b, "id")
	b = w.str(b, v.ID)
	b = w.key(b, "weight")
	b = w.float(b, v.Weight)
	b = w.key(b, "stated_level")
	b = w.intPtr(b, v.StatedLevel)
	if v.MeasuredLevel != nil {
		b = w.key(b, "measured_level")
		b = w.intPtr(b, v.MeasuredLevel)
	}
	b = w.key(b, "level")
	b = w.intPtr(b, v.Level)
	b = w.key(b, "score")
	b = w.floatPtr(b, v.Score)
	b = w.key(b, "contribution")
	b = w.floatPtr(b, v.Contribution)
	b = w.key(b, "counted")
	b = w.bool(b, v.Counted)
	if v.Capped {
		b = w.key(b, "capped")
		b = w.bool(b, v.Capped)
	}
	b = w.key(b, "sources")
	b = w.int(b, v.Sources)
	if v.Confidence != "" {
		b = w.key(b, "confidence")
		b = w.str(b, v.Confidence)
	}
	return w.close(b, '}')
}
