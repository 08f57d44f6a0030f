// Package audit measures the health of an assessment's evidence: how old its
// sources are at the assessment's date, how many publishers stand behind each
// finding, which claims and facts have gone stale, which sources carry too
// many findings and which are never cited. It reads a rubric and an
// assessment and does no I/O.
package audit

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
)

// Options are the thresholds of the audit.
type Options struct {
	// Stale is how many years old a claim's newest source, or a fact, may
	// be at as_of before it is called stale (a criterion's measure.max_age
	// overrides it for its fact).
	Stale int
	// Concentration is how many findings one source may support before it
	// is listed as a concentration.
	Concentration int
}

// Defaults are the thresholds used when none are given.
var Defaults = Options{Stale: 3, Concentration: 5}

// Report is the audit of one assessment.
type Report struct {
	File     string
	Label    string
	AsOf     assessment.Date
	Sources  int // defined
	Cited    int // defined and cited by a claim or a measured fact
	Undated  int // cited sources without a date
	Newest   Age // the newest cited source
	Findings []Finding

	// Publishers counts distinct publishers over the cited sources.
	Publishers int

	SinglePublisher []string // criteria whose level rests on one publisher
	StaleClaims     []StaleClaim
	StaleFacts      []StaleFact
	Concentrated    []SourceUse
	Uncited         []Uncited
}

// Age is a source date and how old it was at as_of.
type Age struct {
	ID    string          // the source id; "" when nothing is dated
	Date  assessment.Date // as written
	Years float64         // at as_of, counted from the last day the date can mean
}

// Finding is the evidence behind one finding.
type Finding struct {
	Criterion  string
	Pillar     string
	Pos        diag.Pos
	Level      *int // stated, or read from the fact for a measured criterion
	Sources    int  // distinct sources: claims', plus the fact's for a measured criterion
	Publishers int
	Newest     Age
	// SinglePublisher is set when the level is above the scale's minimum
	// and every source comes from one publisher.
	SinglePublisher bool
	StaleClaims     int
}

// StaleClaim is a claim whose every dated source is older than allowed.
type StaleClaim struct {
	Criterion string
	Claim     int // 1-based, in file order
	Pos       diag.Pos
	Newest    Age
}

// StaleFact is a fact older than its criterion allows.
type StaleFact struct {
	Fact      string
	Criterion string
	Pos       diag.Pos
	AsOf      assessment.Date
	Years     float64
	MaxAge    int
}

// SourceUse is a source that supports many findings.
type SourceUse struct {
	ID       string
	Pos      diag.Pos
	Findings []string // criterion ids, in rubric order
}

// Uncited is a defined source that nothing cites.
type Uncited struct {
	ID  string
	Pos diag.Pos
}

// Summary is the one-line account of a report.
func (r *Report) Summary() string {
	newest := "no dated source"
	if r.Newest.ID != "" {
		newest = fmt.Sprintf("newest source %s (%s, %.1f years before as_of)", r.Newest.ID, r.Newest.Date, r.Newest.Years)
	}
	return fmt.Sprintf("%s: %d of %d sources cited, %d publishers, %s; %d single-publisher %s, %d stale %s, %d stale %s, %d concentrated %s, %d uncited %s",
		r.Label, r.Cited, r.Sources, r.Publishers, newest,
		len(r.SinglePublisher), plural(len(r.SinglePublisher), "finding", "findings"),
		len(r.StaleClaims), plural(len(r.StaleClaims), "claim", "claims"),
		len(r.StaleFacts), plural(len(r.StaleFacts), "fact", "facts"),
		len(r.Concentrated), plural(len(r.Concentrated), "source", "sources"),
		len(r.Uncited), plural(len(r.Uncited), "source", "sources"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Audit examines one assessment judged against r.
func Audit(r *rubric.Rubric, a *assessment.Assessment, opt Options) *Report {
	// A source counts from the last day its date can mean and as_of from
	// the first, so no age is overstated either way.
	asOf := firstDay(a.AsOf)
	rep := &Report{File: a.File, Label: a.Label(), AsOf: a.AsOf, Sources: len(a.Sources)}
	cited := map[string][]string{} // source id -> criteria, in rubric order
	claimStale := asOf.AddDate(-opt.Stale, 0, 0)

	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			f := a.Findings[c.ID]
			var fact *assessment.Fact
			if c.Measure != nil {
				fact = a.Facts[c.Measure.Fact]
			}
			if f == nil && fact == nil {
				continue
			}
			fr := Finding{Criterion: c.ID, Pillar: p.ID}
			var ids assessment.IDSet
			if f != nil {
				fr.Pos, fr.Level = f.Pos, f.Level
				for i, cl := range f.Evidence {
					for _, s := range cl.Sources {
						ids.Add(s)
					}
					if newest := newestOf(a, cl.Sources, asOf); newest.ID != "" && lastDay(newest.Date).Before(claimStale) {
						rep.StaleClaims = append(rep.StaleClaims, StaleClaim{Criterion: c.ID, Claim: i + 1, Pos: cl.Pos, Newest: newest})
						fr.StaleClaims++
					}
				}
			}
			if fact != nil {
				if f == nil {
					fr.Pos = fact.Pos
				}
				level := c.Measure.Level(r.Scale.Min, fact.Value)
				fr.Level = &level
				for _, s := range fact.Sources {
					ids.Add(s)
				}
				maxAge := c.Measure.MaxAge
				if maxAge == 0 {
					maxAge = opt.Stale
				}
				if !fact.AsOf.IsZero() && lastDay(fact.AsOf).Before(asOf.AddDate(-maxAge, 0, 0)) {
					rep.StaleFacts = append(rep.StaleFacts, StaleFact{Fact: fact.ID, Criterion: c.ID, Pos: fact.Pos,
						AsOf: fact.AsOf, Years: years(lastDay(fact.AsOf), asOf), MaxAge: maxAge})
				}
			}
			srcs := ids.IDs()
			fr.Sources = len(srcs)
			fr.Publishers = len(publishers(a, srcs))
			fr.Newest = newestOf(a, srcs, asOf)
			fr.SinglePublisher = fr.Publishers == 1 && fr.Level != nil && *fr.Level > r.Scale.Min
			if fr.SinglePublisher {
				rep.SinglePublisher = append(rep.SinglePublisher, c.ID)
			}
			for _, s := range srcs {
				if a.Sources[s] != nil {
					cited[s] = append(cited[s], c.ID)
				}
			}
			rep.Findings = append(rep.Findings, fr)
		}
	}

	all := make([]string, 0, len(cited))
	for _, id := range a.SourceIDs() {
		s := a.Sources[id]
		uses, ok := cited[id]
		if !ok {
			rep.Uncited = append(rep.Uncited, Uncited{ID: id, Pos: s.Pos})
			continue
		}
		all = append(all, id)
		if s.Date.IsZero() {
			rep.Undated++
		}
		if len(uses) > opt.Concentration {
			rep.Concentrated = append(rep.Concentrated, SourceUse{ID: id, Pos: s.Pos, Findings: uses})
		}
	}
	// Most used first; ties keep the sources' natural order.
	slices.SortStableFunc(rep.Concentrated, func(x, y SourceUse) int { return len(y.Findings) - len(x.Findings) })
	rep.Cited = len(all)
	rep.Publishers = len(publishers(a, all))
	rep.Newest = newestOf(a, all, asOf)
	return rep
}

// newestOf finds the most recent dated source among ids.
func newestOf(a *assessment.Assessment, ids []string, asOf time.Time) Age {
	var best Age
	var bestDay time.Time
	for _, id := range ids {
		s := a.Sources[id]
		if s == nil || s.Date.IsZero() {
			continue
		}
		d := lastDay(s.Date)
		if best.ID == "" || d.After(bestDay) {
			best, bestDay = Age{ID: id, Date: s.Date}, d
		}
	}
	if best.ID != "" {
		best.Years = years(bestDay, asOf)
	}
	return best
}

// publishers returns the distinct publishers of the sources: the publisher
// as written (case and spacing folded), else the host of its address, else
// the source itself, so that an unnamed publisher is never merged with
// another.
func publishers(a *assessment.Assessment, ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		s := a.Sources[id]
		if s == nil {
			continue
		}
		out[PublisherKey(s)] = true
	}
	return out
}

// PublisherKey names who stands behind a source.
func PublisherKey(s *assessment.Source) string {
	if p := strings.Join(strings.Fields(strings.ToLower(s.Publisher)), " "); p != "" {
		return p
	}
	if u, err := url.Parse(s.URL); err == nil && u.Host != "" {
		return "host:" + strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return "source:" + s.ID
}

// firstDay is the first day a date can mean: 1 January of a year, the
// first of a month.
func firstDay(d assessment.Date) time.Time {
	return time.Date(d.Year, time.Month(max(d.Month, 1)), max(d.Day, 1), 0, 0, 0, 0, time.UTC)
}

// lastDay is the last day a date can mean: a year stands for 31 December,
// a month for its last day, so that no age is overstated.
func lastDay(d assessment.Date) time.Time {
	switch {
	case d.Month == 0:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	case d.Day == 0:
		return time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// years is the time from d to asOf in years of 365.25 days, never negative.
func years(d, asOf time.Time) float64 {
	days := asOf.Sub(d).Hours() / 24
	if days < 0 {
		return 0
	}
	return days / 365.25
}
