package assessment

import (
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/textrule"
	"github.com/capscore/capscore/internal/yamlread"
	"go.yaml.in/yaml/v3"
)

// Parse reads an assessment's structure. Checks that need the rubric are in
// Validate. The assessment is nil when the file could not be decoded at all.
func Parse(file string, data []byte) (*Assessment, diag.List) {
	return ParseWith(nil, file, data)
}

// ParseWith is Parse decoding through buf, whose memory it reuses: a
// loader reading file after file gives each worker one. No node of the
// tree outlives the call.
func ParseWith(buf *yamlread.Buffer, file string, data []byte) (*Assessment, diag.List) {
	rd, root := yamlread.ParseWith(buf, file, data)
	if root == nil {
		return nil, rd.Diags
	}
	a := &Assessment{
		File:     rd.File, // the name as it may be printed
		Sources:  map[string]*Source{},
		Facts:    map[string]*Fact{},
		Findings: map[string]*Finding{},
		Pos:      rd.Pos(root),
	}
	p := parser{rd: rd, a: a}
	p.decode(root)
	if !rd.Exhausted() {
		p.checkSources()
		if a.Supersedes != "" && a.Supersedes == a.Revision {
			rd.ErrorAt(a.SupersedesPos, "supersedes %q names this file's own revision; name the revision this one replaces, or leave supersedes out", a.Supersedes)
		}
	}
	return a, rd.Diags
}

type parser struct {
	rd     *yamlread.Reader
	a      *Assessment
	listed map[*yaml.Node]bool // source lists already checked for repeats
	// The ids in the order the file gives them.
	sourceOrder, factOrder, findingOrder []string
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

// id is label for the words compared as ids (rubric, revision,
// supersedes), which are compared in NFC like every id.
func (p *parser) id(dst *string, what string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if s, ok := p.rd.String(n, what); ok {
			*dst = strings.Clone(textrule.ID(s))
		}
	}
}

func (p *parser) date(dst *Date, what string) func(*yaml.Node) {
	return func(n *yaml.Node) { p.dateIn(dst, n, what, "") }
}

// text and dateIn read a field of what, naming it what+field in messages.
// The decoders of the many sources, findings and claims are made once per
// file and call them, so no name is built unless a message needs it.
func (p *parser) text(dst *string, n *yaml.Node, what, field string) {
	if s, ok := p.rd.Text(n, what, field); ok {
		*dst = s
	}
}

func (p *parser) dateIn(dst *Date, n *yaml.Node, what, field string) {
	s, ok := p.rd.Text(n, what, field)
	if !ok {
		return
	}
	d, err := ParseDate(s)
	if err != nil {
		p.rd.Errorf(n, "%s%s: %v", what, field, err)
		return
	}
	*dst = d
}

func (p *parser) decode(root *yaml.Node) {
	rd, a := p.rd, p.a
	rd.Object(root, "assessment",
		yamlread.Field{Key: "country", Required: true, Decode: p.label(&a.Country, "country")},
		yamlread.Field{Key: "code", Required: true, Decode: func(n *yaml.Node) {
			if s, ok := rd.String(n, "code"); ok {
				a.Code = strings.Clone(textrule.ID(s))
				if !isAlpha3(s) {
					rd.Errorf(n, "code %q: use the ISO 3166-1 alpha-3 code, three capital letters (JPN)", s)
				}
			}
		}},
		yamlread.Field{Key: "rubric", Required: true, Decode: func(n *yaml.Node) {
			a.RubricPos = rd.Pos(n)
			p.id(&a.Rubric, "rubric")(n)
		}},
		yamlread.Field{Key: "rubric_version", Decode: p.label(&a.RubricVersion, "rubric_version")},
		yamlread.Field{Key: "revision", Required: true, Decode: p.id(&a.Revision, "revision")},
		yamlread.Field{Key: "as_of", Required: true, Decode: p.date(&a.AsOf, "as_of")},
		yamlread.Field{Key: "supersedes", Decode: func(n *yaml.Node) {
			if !rd.IsNull(n) {
				a.SupersedesPos = rd.Pos(n)
				p.id(&a.Supersedes, "supersedes")(n)
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
	var s *Source
	var what string
	fields := []yamlread.Field{
		{Key: "title", Required: true, Decode: func(n *yaml.Node) { p.text(&s.Title, n, what, ".title") }},
		{Key: "author", Decode: func(n *yaml.Node) { p.text(&s.Author, n, what, ".author") }},
		{Key: "publisher", Decode: func(n *yaml.Node) { p.text(&s.Publisher, n, what, ".publisher") }},
		{Key: "date", Decode: func(n *yaml.Node) { p.dateIn(&s.Date, n, what, ".date") }},
		{Key: "url", Decode: func(n *yaml.Node) { p.text(&s.URL, n, what, ".url") }},
	}
	if n.Kind == yaml.MappingNode {
		p.a.Sources = make(map[string]*Source, len(n.Content)/2)
	}
	rd.Entries(n, "sources", func(id string, k, v *yaml.Node) {
		s = &Source{ID: id, Pos: rd.Pos(k)}
		what = "source " + id
		rd.Object(v, what, fields...)
		p.a.Sources[id] = s
		p.sourceOrder = append(p.sourceOrder, id)
	})
}

func (p *parser) idList(n *yaml.Node, what string) []string {
	ids := p.rd.Strings(n, what)
	for i, id := range ids {
		ids[i] = textrule.ID(id)
	}
	if p.rd.Revisits() {
		// A list reached again through aliases was checked the first
		// time; checking it again costs a message per id for nothing.
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
	}
	var set IDSet
	for _, id := range ids {
		if !set.Add(id) {
			// Not named by finding: a list shared through an alias is
			// then reported once.
			p.rd.Warnf(n, "source %s is cited twice in this list; it counts once", id)
		}
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
			yamlread.Field{Key: "basis", Decode: p.str(&f.Basis, what+".basis")},
		)
		p.a.Facts[id] = f
		p.factOrder = append(p.factOrder, id)
	})
}

func (p *parser) findings(n *yaml.Node) {
	rd := p.rd
	var f *Finding
	var what string
	var c *Claim
	var cw string
	claimFields := []yamlread.Field{
		{Key: "claim", Required: true, Decode: func(n *yaml.Node) { p.text(&c.Claim, n, cw, ".claim") }},
		{Key: "sources", Required: true, Decode: func(n *yaml.Node) { c.Sources = p.idList(n, cw+".sources") }},
	}
	fields := []yamlread.Field{
		{Key: "level", Decode: func(n *yaml.Node) {
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
		{Key: "confidence", Decode: func(n *yaml.Node) {
			s, ok := rd.Text(n, what, ".confidence")
			if !ok {
				return
			}
			// The constants, not the parsed text, which shares the file's bytes.
			switch Confidence(s) {
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
		{Key: "rationale", Decode: func(n *yaml.Node) { p.text(&f.Rationale, n, what, ".rationale") }},
		{Key: "change", Decode: func(n *yaml.Node) { p.text(&f.Change, n, what, ".change") }},
		{Key: "evidence", Decode: func(n *yaml.Node) {
			if n.Kind == yaml.SequenceNode {
				f.Evidence = make([]Claim, 0, len(n.Content))
			}
			rd.Seq(n, what+".evidence", func(i int, item *yaml.Node) {
				f.Evidence = append(f.Evidence, Claim{Pos: rd.Pos(item)})
				c = &f.Evidence[len(f.Evidence)-1]
				cw = what + ".evidence[" + strconv.Itoa(i) + "]"
				rd.Object(item, cw, claimFields...)
			})
		}},
	}
	if n.Kind == yaml.MappingNode {
		p.a.Findings = make(map[string]*Finding, len(n.Content)/2)
	}
	rd.Entries(n, "findings", func(id string, k, v *yaml.Node) {
		f = &Finding{Criterion: id, Pos: rd.Pos(k)}
		what = "finding " + id
		if !rd.IsNull(v) {
			rd.Object(v, what, fields...)
		}
		// A scaffolded finding not yet written (null) is kept so it can be
		// warned about.
		p.a.Findings[id] = f
		p.findingOrder = append(p.findingOrder, id)
	})
}

// checkSources checks what needs no rubric: every cited source is defined,
// every defined source is cited, and nothing cited postdates as_of.
func (p *parser) checkSources() {
	a := p.a
	cited := make(map[string]bool, len(a.Sources))
	cite := func(ids []string, pos diag.Pos, kind, where string) {
		for _, id := range ids {
			cited[id] = true
			if _, ok := a.Sources[id]; !ok {
				p.rd.ErrorAt(pos, "%s %s cites source %q, which is not defined under sources%s", kind, where, id, diag.DidYouMean(id, a.SourceIDs()))
			}
		}
	}
	// In the order of the file, which needs no sorting: the problems are
	// sorted by position afterwards.
	for _, id := range p.factOrder {
		f := a.Facts[id]
		cite(f.Sources, f.Pos, "fact", id)
	}
	for _, id := range p.findingOrder {
		for _, c := range a.Findings[id].Evidence {
			cite(c.Sources, c.Pos, "finding", id)
		}
	}
	for _, id := range p.sourceOrder {
		s := a.Sources[id]
		if !cited[id] {
			p.rd.WarnAt(s.Pos, "source %s is defined but never cited; cite it or remove it", id)
		}
		if !a.AsOf.IsZero() && !s.Date.IsZero() && s.Date.After(a.AsOf) {
			p.rd.ErrorAt(s.Pos, "source %s is dated %s, after the assessment's as_of %s; an assessment cannot cite what did not yet exist", id, s.Date, a.AsOf)
		}
	}
	for _, id := range p.factOrder {
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
