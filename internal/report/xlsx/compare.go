package xlsx

import (
	"io"

	"github.com/capscore/capscore/internal/compare"
	"github.com/capscore/capscore/internal/score"
)

// Comparison is what `capscore compare --format xlsx` writes.
type Comparison struct {
	Comparison *compare.Comparison
	// Sides give each column's rubric and weights.
	Sides []compare.Side
	// Options are resolved against the first column's rubric.
	Options score.Options
	Profile string
	Config  string
}

// WriteComparison writes a comparison as a workbook: overall (a row per
// column with its change against its base and that change split into
// evidence and weights), pillars (with each column's weight and
// contribution and their changes, so a change of weights shows pillar by
// pillar), changes (the findings that changed), evidence (claims added and
// removed, a row per cited source, and the sources a measured fact cites on
// one side only), warnings (including criteria that are not
// comparable), weights (every column's, with their origin) and run.
func WriteComparison(w io.Writer, doc Comparison) error {
	c := doc.Comparison
	wb, err := newWorkbook()
	if err != nil {
		return err
	}
	defer wb.close()
	var overall, pillars, changes, evidence, warnings, wsht, run *sheet
	step := map[int]*compare.Step{}
	for i := range c.Steps {
		step[c.Steps[i].To] = &c.Steps[i]
	}
	colID := []column{col("column"), wide("label")}
	steps := []column{wide("from"), wide("to")}
	for _, s := range []struct {
		dst    **sheet
		name   string
		header []column
	}{
		{&overall, "overall", concat(colID, []column{wide("file")}, cols("country", "code", "revision", "as_of", "profile", "rubric", "rubric_version",
			"overall", "tier", "tier_label", "coverage"),
			[]column{wide("against"), col("change"), col("evidence"), col("weights"), col("other_effect"), col("weights_differ")})},
		{&pillars, "pillars", concat(colID, []column{col("pillar"), wide("title")}, cols("weight", "score", "contribution"), []column{wide("against")},
			cols("change", "weight_change", "contribution_change"))},
		{&changes, "changes", concat(steps, cols("pillar", "criterion"), []column{wide("title")}, cols("stated_from", "stated_to", "credited_from",
			"credited_to", "effect", "confidence_from", "confidence_to"), []column{wide("change_note")}, cols("rationale_changed",
			"fact", "fact_from", "fact_to"), []column{wide("not_comparable")}, cols("claims_added", "claims_removed", "fact_sources_added", "fact_sources_removed"))},
		{&evidence, "evidence", concat(steps, cols("pillar", "criterion", "evidence", "item"), []column{wide("claim"), col("source"), wide("source_title")})},
		{&warnings, "warnings", []column{col("kind"), wide("from"), wide("to"), col("criterion"), wide("text")}},
		{&wsht, "weights", weightsHeader(true)},
		{&run, "run", []column{col("setting"), wide("value")}},
	} {
		if *s.dst, err = wb.addSheet(s.name, s.header); err != nil {
			return err
		}
	}
	// Each column after the first is followed by its change against its
	// base column ("against"), as the table prints it.
	for i, col := range c.Columns {
		wb.setAsOf(col.AsOf)
		tier, label := "", ""
		if col.Tier != nil {
			tier, label = col.Tier.ID, col.Tier.Label
		}
		row := []any{i + 1, col.Label, col.File, col.Country, col.Code, col.Revision, col.AsOf, col.Profile, col.Rubric.ID, col.Rubric.Version,
			col.Overall, tier, label, col.Coverage}
		if st := step[i]; st != nil {
			row = append(row, c.Columns[st.From].Label, st.Overall.Change)
			if at := st.Attribution; at != nil {
				row = append(row, at.Evidence, at.Weights)
			} else {
				row = append(row, nil, nil)
			}
			row = append(row, st.Other, st.WeightsDiffer)
		}
		if err := overall.add(row...); err != nil {
			return err
		}
		for p, pl := range col.Result.Pillars {
			row := []any{i + 1, col.Label, pl.ID, pl.Title, pl.Weight, pl.Score, pl.Contribution}
			if st := step[i]; st != nil && p < len(st.Pillars) {
				d := st.Pillars[p]
				row = append(row, c.Columns[st.From].Label, d.Change, d.Weight.Change, d.Contribution.Change)
			}
			if err := pillars.add(row...); err != nil {
				return err
			}
		}
	}
	for _, st := range c.Steps {
		from, to := c.Columns[st.From].Label, c.Columns[st.To].Label
		for _, ch := range st.Changes {
			var fact string
			var ff, ft *float64
			var srcAdded, srcRemoved []compare.SourceRef
			if ch.Fact != nil {
				fact, ff, ft = ch.Fact.ID, ch.Fact.From, ch.Fact.To
				srcAdded, srcRemoved = ch.Fact.SourcesAdded, ch.Fact.SourcesRemoved
			}
			if err := changes.add(from, to, ch.Pillar, ch.Criterion, ch.Title, ch.Stated.From, ch.Stated.To, ch.Credited.From, ch.Credited.To,
				ch.Effect, ch.Confidence.From, ch.Confidence.To, ch.Note, ch.RationaleChanged, fact, ff, ft, ch.NotComparable,
				len(ch.Added), len(ch.Removed), len(srcAdded), len(srcRemoved)); err != nil {
				return err
			}
			// A fact's sources are listed like a claim's, the fact's id in
			// place of the claim.
			for _, set := range []struct {
				kind string
				refs []compare.SourceRef
			}{{"fact-source-added", srcAdded}, {"fact-source-removed", srcRemoved}} {
				for i, s := range set.refs {
					if err := evidence.add(from, to, ch.Pillar, ch.Criterion, set.kind, i+1, "fact "+fact, s.ID, s.Title); err != nil {
						return err
					}
				}
			}
			for _, set := range []struct {
				kind   string
				claims []compare.Claim
			}{{"added", ch.Added}, {"removed", ch.Removed}} {
				for i, cl := range set.claims {
					if len(cl.Sources) == 0 {
						if err := evidence.add(from, to, ch.Pillar, ch.Criterion, set.kind, i+1, cl.Text, "", ""); err != nil {
							return err
						}
					}
					for _, s := range cl.Sources {
						if err := evidence.add(from, to, ch.Pillar, ch.Criterion, set.kind, i+1, cl.Text, s.ID, s.Title); err != nil {
							return err
						}
					}
				}
			}
		}
		if d := st.Rubrics; d != nil {
			for _, n := range d.Notes {
				if err := warnings.add("rubrics-differ", from, to, "", n); err != nil {
					return err
				}
			}
			for _, ic := range d.Criteria {
				if err := warnings.add("not-comparable", from, to, ic.ID, ic.Reason); err != nil {
					return err
				}
			}
		}
	}
	for _, msg := range c.Warnings {
		if err := warnings.add("warning", "", "", "", msg); err != nil {
			return err
		}
	}
	for i, s := range doc.Sides {
		label := c.Columns[i].Label
		if err := addWeights(wsht, s.Rubric, s.Weights, &label); err != nil {
			return err
		}
	}
	if err := addSettings(run, [][2]any{
		{"against", string(c.Against)}, {"aggregation", c.Aggregation}, {"missing", string(doc.Options.Missing)},
		{"profile", doc.Profile}, {"config", doc.Config},
	}); err != nil {
		return err
	}
	return wb.write(w, "capscore compare")
}
