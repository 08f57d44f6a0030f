package xlsx

import (
	"io"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
)

// ScoresRun is what shaped every score of a run besides the assessments.
type ScoresRun struct {
	Rubric  *rubric.Rubric
	Options score.Options // resolved
	Profile string
	// Config is the config file read, "" when none.
	Config  string
	Weights *weights.Set
}

// ScoresWorkbook writes `capscore score --format xlsx`: sheets overall,
// pillars, criteria, evidence, sources, weights and run. Results are added
// one at a time as they are scored and their rows written at once, so only
// one row per assessment stays in memory.
//
// Evidence has a row per claim and cited source, each carrying the
// source's title, publisher, date and URL: a reviewer filters and sorts
// rows, and a row that stands alone survives any filter, where a lookup
// into another sheet does not. Sources lists each source once with how
// many claims and facts cite it, which shows the sources relied on most
// and those nothing cites.
type ScoresWorkbook struct {
	run    ScoresRun
	wb     *workbook
	titles map[string]string
	// results keep each assessment's identity and overall only, for the
	// overall sheet and its ranks, written last.
	results                                             []*score.Result
	overall, pillars, criteria, evidence, sources, wsht *sheet
	runSheet                                            *sheet
}

// NewScoresWorkbook starts a score workbook; Close it when done.
func NewScoresWorkbook(run ScoresRun) (*ScoresWorkbook, error) {
	wb, err := newWorkbook()
	if err != nil {
		return nil, err
	}
	b := &ScoresWorkbook{run: run, wb: wb, titles: map[string]string{}}
	for _, p := range run.Rubric.Pillars {
		for _, c := range p.Criteria {
			b.titles[c.ID] = c.Title
		}
	}
	id := []column{wide("file"), col("country"), col("code"), col("revision")}
	for _, s := range []struct {
		dst    **sheet
		name   string
		header []column
	}{
		{&b.overall, "overall", concat(id, cols("as_of", "overall", "rank", "tier", "tier_label", "coverage"))},
		{&b.pillars, "pillars", concat(id, []column{col("pillar"), wide("title")}, cols("weight", "score", "contribution", "mean_level", "level_label"))},
		{&b.criteria, "criteria", concat(id, cols("pillar", "criterion"), []column{wide("title")}, cols("weight", "stated_level", "measured_level",
			"level", "score", "contribution", "counted", "capped", "sources", "confidence"), []column{wide("rationale")})},
		{&b.evidence, "evidence", concat(id, cols("pillar", "criterion", "kind", "item"), []column{wide("text")}, cols("fact", "value", "source"),
			[]column{wide("source_title")}, cols("author", "publisher", "date"), []column{wide("url")})},
		{&b.sources, "sources", concat(id, []column{col("source"), wide("title")}, cols("author", "publisher", "date"), []column{wide("url"), col("cited")})},
		{&b.wsht, "weights", weightsHeader(false)},
		{&b.runSheet, "run", []column{col("setting"), wide("value")}},
	} {
		if *s.dst, err = wb.addSheet(s.name, s.header); err != nil {
			wb.close()
			return nil, err
		}
	}
	return b, nil
}

// Add writes one result's rows; res.Source gives the evidence and is not
// kept.
func (b *ScoresWorkbook) Add(res *score.Result) error {
	r := b.run.Rubric
	b.wb.setAsOf(res.AsOf)
	kept := *res
	kept.Pillars, kept.Warnings, kept.Source = nil, nil, nil
	b.results = append(b.results, &kept)
	id := []any{res.File, res.Country, res.Code, res.Revision}
	row := func(s *sheet, cells ...any) error { return s.add(append(id[:4:4], cells...)...) }
	src := res.Source
	for _, p := range res.Pillars {
		var mean *float64
		label := ""
		if p.Score != nil {
			l, name := textfmt.MeanLevel(r, *p.Score)
			mean, label = &l, name
		}
		if err := row(b.pillars, p.ID, p.Title, p.Weight, p.Score, p.Contribution, mean, label); err != nil {
			return err
		}
		for _, c := range p.Criteria {
			rationale := ""
			if src != nil && src.Findings[c.ID] != nil {
				rationale = src.Findings[c.ID].Rationale
			}
			if err := row(b.criteria, p.ID, c.ID, b.titles[c.ID], c.Weight, c.StatedLevel, c.MeasuredLevel, c.Level,
				c.Score, c.Contribution, c.Counted, c.Capped, c.Sources, c.Confidence, rationale); err != nil {
				return err
			}
		}
	}
	if src == nil {
		return nil
	}
	return b.addEvidence(src, row)
}

// addEvidence writes a row per claim, or measured fact, and cited source,
// in rubric order, then a row per source.
func (b *ScoresWorkbook) addEvidence(src *assessment.Assessment, row func(*sheet, ...any) error) error {
	cited := map[string]int{}
	cite := func(pillar, crit, kind string, item int, text, fact string, value any, ids []string) error {
		if len(ids) == 0 {
			return row(b.evidence, pillar, crit, kind, item, text, fact, value, "", "", "", "", "", "")
		}
		for _, id := range ids {
			cited[id]++
			s := src.Sources[id]
			if s == nil {
				s = &assessment.Source{ID: id}
			}
			if err := row(b.evidence, pillar, crit, kind, item, text, fact, value, id, s.Title, s.Author, s.Publisher, dateText(s.Date), s.URL); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range b.run.Rubric.Pillars {
		for _, c := range p.Criteria {
			if f := src.Findings[c.ID]; f != nil {
				for i, cl := range f.Evidence {
					if err := cite(p.ID, c.ID, "claim", i+1, cl.Claim, "", nil, cl.Sources); err != nil {
						return err
					}
				}
			}
			if m := c.Measure; m != nil {
				if fact := src.Facts[m.Fact]; fact != nil {
					if err := cite(p.ID, c.ID, "fact", 1, fact.Note, fact.ID, fact.Value, fact.Sources); err != nil {
						return err
					}
				}
			}
		}
	}
	ids := make([]string, 0, len(src.Sources))
	for id := range src.Sources {
		ids = append(ids, id)
	}
	assessment.SortIDs(ids)
	for _, id := range ids {
		s := src.Sources[id]
		if err := row(b.sources, id, s.Title, s.Author, s.Publisher, dateText(s.Date), s.URL, cited[id]); err != nil {
			return err
		}
	}
	return nil
}

func dateText(d assessment.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// Write writes the workbook: the overall sheet, ranked as the table
// ranks, the weights and the run's settings.
func (b *ScoresWorkbook) Write(w io.Writer) error {
	rank := map[*score.Result]int{}
	for i, res := range score.Ranked(b.results) {
		rank[res] = i + 1
	}
	for _, res := range b.results {
		tier, label := "", ""
		if res.Tier != nil {
			tier, label = res.Tier.ID, res.Tier.Label
		}
		var rk any
		if res.Overall != nil {
			rk = rank[res]
		}
		if err := b.overall.add(res.File, res.Country, res.Code, res.Revision, res.AsOf, res.Overall, rk, tier, label, res.Coverage); err != nil {
			return err
		}
	}
	run := b.run
	if err := addWeights(b.wsht, run.Rubric, run.Weights, nil); err != nil {
		return err
	}
	if err := addSettings(b.runSheet, rubricSettings(run.Rubric, run.Options, run.Profile, run.Config)); err != nil {
		return err
	}
	return b.wb.write(w, "capscore score")
}

// Close removes any temporary file the workbook used.
func (b *ScoresWorkbook) Close() error { return b.wb.close() }

// rubricSettings are the settings that shaped every score of a run.
func rubricSettings(r *rubric.Rubric, opt score.Options, profile, config string) [][2]any {
	return [][2]any{
		{"rubric", r.ID}, {"rubric_version", r.Version}, {"rubric_file", r.File},
		{"aggregation", string(opt.Aggregation)}, {"missing", string(opt.Missing)},
		{"profile", profile}, {"config", config},
	}
}

// addSettings writes a setting and its value per row.
func addSettings(s *sheet, rows [][2]any) error {
	for _, kv := range rows {
		if err := s.add(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
