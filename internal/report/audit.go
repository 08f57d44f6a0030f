package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/audit"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
)

// Audits is what `capscore audit` prints.
type Audits struct {
	Options audit.Options
	Reports []*audit.Report
}

// WriteAudits renders evidence audits in format f.
func WriteAudits(w io.Writer, f Format, doc Audits) error {
	switch f {
	case JSON:
		return auditsJSON(w, doc)
	case CSV:
		return auditsCSV(w, doc)
	}
	return auditsText(w, doc, f == Markdown)
}

// ageText is "n12 2021-05 (0.2 y)", or a dash when nothing is dated.
func ageText(a audit.Age) string {
	if a.ID == "" {
		return "—"
	}
	return fmt.Sprintf("%s %s (%s y)", textsafe.Clean(a.ID), a.Date, textfmt.Years(a.Years))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func auditsText(w io.Writer, doc Audits, md bool) error {
	mk := newTable
	if md {
		mk = newMarkdownTable
	}
	for i, r := range doc.Reports {
		if i > 0 {
			fmt.Fprintln(w)
		}
		title := fmt.Sprintf("Evidence audit: %s, as of %s — %s", textsafe.Clean(r.Label), r.AsOf, textsafe.Clean(r.File))
		if md {
			fmt.Fprintf(w, "## %s\n\n%s\n\n", textsafe.MarkdownText(title), textsafe.MarkdownText(r.Summary()))
		} else {
			fmt.Fprintf(w, "%s\n%s\n", title, textsafe.Clean(r.Summary()))
		}
		t := mk(w, []string{"Criterion", "Level", "Sources", "Publishers", "Newest source", "Stale claims", "One publisher"}, 1, 2, 3, 5)
		for _, f := range r.Findings {
			if err := t.Append([]string{f.Criterion, intText(f.Level), strconv.Itoa(f.Sources), strconv.Itoa(f.Publishers),
				ageText(f.Newest), countText(f.StaleClaims), yesNo(f.SinglePublisher)}); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
		section := func(heading string, n int, header []string, right []int, rows func(add func(cells ...string) error) error) error {
			if n == 0 {
				return nil
			}
			if md {
				fmt.Fprintf(w, "\n### %s\n\n", heading)
			} else {
				fmt.Fprintf(w, "\n%s\n", heading)
			}
			t := mk(w, header, right...)
			if err := rows(func(cells ...string) error { return t.Append(cells) }); err != nil {
				return err
			}
			return t.Render()
		}
		err := section(fmt.Sprintf("Stale claims (every source older than %d years at as_of)", doc.Options.Stale), len(r.StaleClaims), []string{"Criterion", "Claim", "Newest source", "At"}, []int{1}, func(add func(...string) error) error {
			for _, c := range r.StaleClaims {
				if err := add(c.Criterion, strconv.Itoa(c.Claim), ageText(c.Newest), textfmt.Line(c.Pos)); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			err = section("Stale facts", len(r.StaleFacts), []string{"Fact", "Criterion", "As of", "Allowed", "At"}, nil, func(add func(...string) error) error {
				for _, f := range r.StaleFacts {
					if err := add(f.Fact, f.Criterion, fmt.Sprintf("%s (%s y)", f.AsOf, textfmt.Years(f.Years)), strconv.Itoa(f.MaxAge)+" y", textfmt.Line(f.Pos)); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err == nil {
			err = section(fmt.Sprintf("Concentrated sources (supporting more than %d findings)", doc.Options.Concentration), len(r.Concentrated), []string{"Source", "Findings", "Criteria"}, []int{1}, func(add func(...string) error) error {
				for _, s := range r.Concentrated {
					if err := add(textsafe.Clean(s.ID), strconv.Itoa(len(s.Findings)), firstFew(s.Findings, 4)); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err == nil {
			err = section("Sources never cited", len(r.Uncited), []string{"Source", "At"}, nil, func(add func(...string) error) error {
				for _, s := range r.Uncited {
					if err := add(textsafe.Clean(s.ID), textfmt.Line(s.Pos)); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// firstFew lists up to n ids and counts the rest, so a table stays as wide
// as a screen; JSON and CSV carry every id.
func firstFew(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s, … (%d more)", strings.Join(ids[:n], ", "), len(ids)-n)
}

func countText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func auditsCSV(w io.Writer, doc Audits) error {
	c := textsafe.NewCSV(w)
	if err := c.Write("file", "kind", "id", "line", "level", "sources", "publishers", "newest_source", "newest_date", "age_years", "cited_by", "flags"); err != nil {
		return err
	}
	for _, r := range doc.Reports {
		stale := map[string]bool{}
		for _, f := range r.StaleFacts {
			stale[f.Criterion] = true
		}
		for _, f := range r.Findings {
			var flags []string
			if f.SinglePublisher {
				flags = append(flags, "single-publisher")
			}
			if f.StaleClaims > 0 {
				flags = append(flags, fmt.Sprintf("stale-claims:%d", f.StaleClaims))
			}
			if stale[f.Criterion] {
				flags = append(flags, "stale-fact")
			}
			if err := c.Write(r.File, "finding", f.Criterion, lineText(f.Pos), intText(f.Level), strconv.Itoa(f.Sources),
				strconv.Itoa(f.Publishers), f.Newest.ID, f.Newest.Date.String(), ageYears(f.Newest), "", strings.Join(flags, ";")); err != nil {
				return err
			}
		}
		for _, s := range r.Concentrated {
			if err := c.Write(r.File, "source", s.ID, lineText(s.Pos), "", "", "", "", "", "", strconv.Itoa(len(s.Findings)), "concentrated"); err != nil {
				return err
			}
		}
		for _, s := range r.Uncited {
			if err := c.Write(r.File, "source", s.ID, lineText(s.Pos), "", "", "", "", "", "", "0", "uncited"); err != nil {
				return err
			}
		}
	}
	return c.Flush()
}

func lineText(p diag.Pos) string {
	if p.Line == 0 {
		return ""
	}
	return strconv.Itoa(p.Line)
}

func ageYears(a audit.Age) string {
	if a.ID == "" {
		return ""
	}
	return strconv.FormatFloat(a.Years, 'f', 2, 64)
}

type ageJSON struct {
	ID    string  `json:"id"`
	Date  string  `json:"date"`
	Years float64 `json:"age_years"`
}

func ageDoc(a audit.Age) *ageJSON {
	if a.ID == "" {
		return nil
	}
	return &ageJSON{ID: a.ID, Date: a.Date.String(), Years: a.Years}
}

func auditsJSON(w io.Writer, doc Audits) error {
	type finding struct {
		Criterion       string   `json:"criterion"`
		Pillar          string   `json:"pillar"`
		At              string   `json:"at"`
		Level           *int     `json:"level"`
		Sources         int      `json:"sources"`
		Publishers      int      `json:"publishers"`
		Newest          *ageJSON `json:"newest_source"`
		SinglePublisher bool     `json:"single_publisher"`
		StaleClaims     int      `json:"stale_claims"`
	}
	type claim struct {
		Criterion string   `json:"criterion"`
		Claim     int      `json:"claim"`
		At        string   `json:"at"`
		Newest    *ageJSON `json:"newest_source"`
	}
	type fact struct {
		Fact      string  `json:"fact"`
		Criterion string  `json:"criterion"`
		At        string  `json:"at"`
		AsOf      string  `json:"as_of"`
		Years     float64 `json:"age_years"`
		MaxAge    int     `json:"max_age_years"`
	}
	type use struct {
		Source   string   `json:"source"`
		At       string   `json:"at"`
		Findings []string `json:"findings"`
	}
	type uncited struct {
		Source string `json:"source"`
		At     string `json:"at"`
	}
	type one struct {
		File            string    `json:"file"`
		Assessment      string    `json:"assessment"`
		AsOf            string    `json:"as_of"`
		Summary         string    `json:"summary"`
		Sources         int       `json:"sources"`
		Cited           int       `json:"cited"`
		Undated         int       `json:"undated"`
		Publishers      int       `json:"publishers"`
		Newest          *ageJSON  `json:"newest_source"`
		Findings        []finding `json:"findings"`
		SinglePublisher []string  `json:"single_publisher"`
		StaleClaims     []claim   `json:"stale_claims"`
		StaleFacts      []fact    `json:"stale_facts"`
		Concentrated    []use     `json:"concentrated"`
		Uncited         []uncited `json:"uncited"`
	}
	out := struct {
		Stale         int   `json:"stale_years"`
		Concentration int   `json:"concentration"`
		Assessments   []one `json:"assessments"`
	}{Stale: doc.Options.Stale, Concentration: doc.Options.Concentration, Assessments: []one{}}
	for _, r := range doc.Reports {
		o := one{File: r.File, Assessment: r.Label, AsOf: r.AsOf.String(), Summary: r.Summary(), Sources: r.Sources,
			Cited: r.Cited, Undated: r.Undated, Publishers: r.Publishers, Newest: ageDoc(r.Newest),
			Findings: []finding{}, SinglePublisher: append([]string{}, r.SinglePublisher...), StaleClaims: []claim{},
			StaleFacts: []fact{}, Concentrated: []use{}, Uncited: []uncited{}}
		for _, f := range r.Findings {
			o.Findings = append(o.Findings, finding{f.Criterion, f.Pillar, f.Pos.String(), f.Level, f.Sources, f.Publishers,
				ageDoc(f.Newest), f.SinglePublisher, f.StaleClaims})
		}
		for _, c := range r.StaleClaims {
			o.StaleClaims = append(o.StaleClaims, claim{c.Criterion, c.Claim, c.Pos.String(), ageDoc(c.Newest)})
		}
		for _, f := range r.StaleFacts {
			o.StaleFacts = append(o.StaleFacts, fact{f.Fact, f.Criterion, f.Pos.String(), f.AsOf.String(), f.Years, f.MaxAge})
		}
		for _, s := range r.Concentrated {
			o.Concentrated = append(o.Concentrated, use{s.ID, s.Pos.String(), s.Findings})
		}
		for _, s := range r.Uncited {
			o.Uncited = append(o.Uncited, uncited{s.ID, s.Pos.String()})
		}
		out.Assessments = append(out.Assessments, o)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
