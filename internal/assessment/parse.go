package assessment

import (
	"fmt"
	"strings"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/yamlread"
	"go.yaml.in/yaml/v3"
)

// Parse reads an assessment's structure. Checks that need the rubric are in
// Validate. The assessment is nil when the file could not be decoded at all.
func Parse(file string, data []byte) (*Assessment, diag.List) {
	rd, root := yamlread.Parse(file, data)
	if root == nil {
		return nil, rd.Diags
	}
	a := &Assessment{
		File:     file,
		Sources:  map[string]*Source{},
		Facts:    map[string]*Fact{},
		Findings: map[string]*Finding{},
		Pos:      rd.Pos(root),
	}
	p := parser{rd: rd, a: a}
	p.decode(root)
	if !rd.Exhausted() {
		p.checkSources()
	}
	return a, rd.Diags
}

type parser struct {
	rd     *yamlread.Reader
	a      *Assessment
	listed map[*yaml.Node]bool // source lists already checked for repeats
}

func (p *parser) str(dst *string, what string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if s, ok := p.rd.String(n, what); ok {
			*dst = s
		}
	}
}

// label is str for the few words that outlive the assessment in results
// and revision checks. They are copied: parsed text shares the file's
// bytes, which would otherwise be kept whole for a word.
func (p *parser) label(dst *string, what string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if s, ok := p.rd.String(n, what); ok {
			*dst = strings.Clone(s)
		}
	}
}

func (p *parser) date(dst *Date, what string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		s, ok := p.rd.String(n, what)
		if !ok {
			return
		}
		d, err := ParseDate(s)
		if err != nil {
			p.rd.Errorf(n, "%s: %v", what, err)
			return
		}
		*dst = d
	}
}

func (p *parser) decode(root *yaml.Node) {
	rd, a := p.rd, p.a
	rd.Object(root, "assessment",
		yamlread.Field{Key: "country", Required: true, Decode: p.label(&a.Country, "country")},
		yamlread.Field{Key: "code", Required: true, Decode: func(n *yaml.Node) {
			if s, ok := rd.String(n, "code"); ok {
				a.Code = strings.Clone(s)
				if !isAlpha3(s) {
					rd.Errorf(n, "code %q: use the ISO 3166-1 alpha-3 code, three capital letters (JPN)", s)
				}
			}
		}},
		yamlread.Field{Key: "rubric", Required: true, Decode: func(n *yaml.Node) {
			a.RubricPos = rd.Pos(n)
			p.label(&a.Rubric, "rubric")(n)
		}},
		yamlread.Field{Key: "rubric_version", Decode: p.label(&a.RubricVersion, "rubric_version")},
		yamlread.Field{Key: "revision", Required: true, Decode: p.label(&a.Revision, "revision")},
		yamlread.Field{Key: "as_of", Required: true, Decode: p.date(&a.AsOf, "as_of")},
		yamlread.Field{Key: "supersedes", Decode: func(n *yaml.Node) {
			if !rd.IsNull(n) {
				a.SupersedesPos = rd.Pos(n)
				p.label(&a.Supersedes, "supersedes")(n)
			}
		}},
		yamlread.Field{Key: "assessors", Decode: func(n *yaml.Node) { a.Assessors = rd.Strings(n, "assessors") }},
		yamlread.Field{Key: "summary", Decode: p.str(&a.Summary, "summary")},
		yamlread.Field{Key: "sources", Decode: p.sources},
		yamlread.Field{Key: "facts", Decode: p.facts},
		yamlread.Field{Key: "findings", Required: true, Decode: func(n *yaml.Node) {
			a.FindingsPos = rd.Pos(n)
			p.findings(n)
		}},
	)
}

func isAlpha3(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func (p *parser) sources(n *yaml.Node) {
	rd := p.rd
	rd.Entries(n, "sources", func(id string, k, v *yaml.Node) {
		s := &Source{ID: id, Pos: rd.Pos(k)}
		what := "source " + id
		rd.Object(v, what,
			yamlread.Field{Key: "title", Required: true, Decode: p.str(&s.Title, what+".title")},
			yamlread.Field{Key: "author", Decode: p.str(&s.Author, what+".author")},
			yamlread.Field{Key: "publisher", Decode: p.str(&s.Publisher, what+".publisher")},
			yamlread.Field{Key: "date", Decode: p.date(&s.Date, what+".date")},
			yamlread.Field{Key: "url", Decode: p.str(&s.URL, what+".url")},
		)
		p.a.Sources[id] = s
	})
}

func (p *parser) idList(n *yaml.Node, what string) []string {
	ids := p.rd.Strings(n, what)
	// A list reached again through aliases was checked the first time;
	// checking it again costs a message per id for nothing.
	list := n
	for list != nil && list.Kind == yaml.AliasNode {
		list = list.Alias
	}
	if p.listed[list] {
		return ids
	}
	if p.listed == nil {
		p.listed = map[*yaml.Node]bool{}
	}
	p.listed[list] = true
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			// Not named by finding: a list shared through an alias is
			// then reported once.
			p.rd.Warnf(n, "source %s is cited twice in this list; it counts once", id)
		}
		seen[id] = true
	}
	return ids
}

func (p *parser) facts(n *yaml.Node) {
	rd := p.rd
	rd.Entries(n, "facts", func(id string, k, v *yaml.Node) {
		f := &Fact{ID: id, Pos: rd.Pos(k)}
		what := "fact " + id
		rd.Object(v, what,
			yamlread.Field{Key: "value", Required: true, Decode: func(n *yaml.Node) {
				f.Value, _ = rd.Float(n, what+".value")
			}},
			yamlread.Field{Key: "as_of", Decode: p.date(&f.AsOf, what+".as_of")},
			yamlread.Field{Key: "sources", Decode: func(n *yaml.Node) { f.Sources = p.idList(n, what+".sources") }},
			yamlread.Field{Key: "note", Decode: p.str(&f.Note, what+".note")},
		)
		p.a.Facts[id] = f
	})
}

func (p *parser) findings(n *yaml.Node) {
	rd := p.rd
	rd.Entries(n, "findings", func(id string, k, v *yaml.Node) {
		f := &Finding{Criterion: id, Pos: rd.Pos(k)}
		what := "finding " + id
		if rd.IsNull(v) {
			// A scaffolded finding not yet written: kept so it can be warned about.
			p.a.Findings[id] = f
			return
		}
		rd.Object(v, what,
			yamlread.Field{Key: "level", Decode: func(n *yaml.Node) {
				if rd.IsNull(n) {
					return
				}
				// The position is kept even when the level is malformed, so
				// validation knows a level was given and does not also
				// report it as missing.
				f.LevelPos = rd.Pos(n)
				if l, ok := rd.Int(n, what+".level"); ok {
					f.Level = &l
				}
			}},
			yamlread.Field{Key: "confidence", Decode: func(n *yaml.Node) {
				s, ok := rd.String(n, what+".confidence")
				if !ok {
					return
				}
				// The constants, not the parsed text, which shares the file's bytes.
				switch c := Confidence(s); c {
				case Low:
					f.Confidence = Low
				case Medium:
					f.Confidence = Medium
				case High:
					f.Confidence = High
				default:
					rd.Errorf(n, "%s.confidence %q: use low, medium or high", what, s)
				}
			}},
			yamlread.Field{Key: "rationale", Decode: p.str(&f.Rationale, what+".rationale")},
			yamlread.Field{Key: "change", Decode: p.str(&f.Change, what+".change")},
			yamlread.Field{Key: "evidence", Decode: func(n *yaml.Node) {
				rd.Seq(n, what+".evidence", func(i int, item *yaml.Node) {
					c := Claim{Pos: rd.Pos(item)}
					cw := fmt.Sprintf("%s.evidence[%d]", what, i)
					rd.Object(item, cw,
						yamlread.Field{Key: "claim", Required: true, Decode: p.str(&c.Claim, cw+".claim")},
						yamlread.Field{Key: "sources", Required: true, Decode: func(n *yaml.Node) { c.Sources = p.idList(n, cw+".sources") }},
					)
					f.Evidence = append(f.Evidence, c)
				})
			}},
		)
		p.a.Findings[id] = f
	})
}

// checkSources checks what needs no rubric: every cited source is defined,
// every defined source is cited, and nothing cited postdates as_of.
func (p *parser) checkSources() {
	a := p.a
	cited := map[string]bool{}
	cite := func(ids []string, pos diag.Pos, where string) {
		for _, id := range ids {
			cited[id] = true
			if _, ok := a.Sources[id]; !ok {
				p.rd.ErrorAt(pos, "%s cites source %q, which is not defined under sources%s", where, id, diag.DidYouMean(id, a.SourceIDs()))
			}
		}
	}
	for _, id := range sortedKeys(a.Facts) {
		f := a.Facts[id]
		cite(f.Sources, f.Pos, "fact "+id)
	}
	for _, id := range sortedKeys(a.Findings) {
		for _, c := range a.Findings[id].Evidence {
			cite(c.Sources, c.Pos, "finding "+id)
		}
	}
	for _, id := range a.SourceIDs() {
		s := a.Sources[id]
		if !cited[id] {
			p.rd.WarnAt(s.Pos, "source %s is defined but never cited; cite it or remove it", id)
		}
		if !a.AsOf.IsZero() && !s.Date.IsZero() && s.Date.After(a.AsOf) {
			p.rd.ErrorAt(s.Pos, "source %s is dated %s, after the assessment's as_of %s; an assessment cannot cite what did not yet exist", id, s.Date, a.AsOf)
		}
	}
	for _, id := range sortedKeys(a.Facts) {
		f := a.Facts[id]
		if !a.AsOf.IsZero() && !f.AsOf.IsZero() && f.AsOf.After(a.AsOf) {
			p.rd.ErrorAt(f.Pos, "fact %s is as of %s, after the assessment's as_of %s", id, f.AsOf, a.AsOf)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	SortIDs(ks)
	return ks
}
