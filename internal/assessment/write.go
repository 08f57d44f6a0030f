package assessment

import (
	"bytes"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Marshal writes an assessment as YAML in the layout of the bundled files:
// header, sources and facts in natural id order, then the findings in the
// order given (criteria not in order follow, sorted). Parse reads back what
// it writes.
func Marshal(a *Assessment, order []string) ([]byte, error) {
	root := mapping()
	add := func(m *yaml.Node, key string, v *yaml.Node) {
		m.Content = append(m.Content, str(key), v)
	}
	supersedes := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	if a.Supersedes != "" {
		supersedes = quoted(a.Supersedes)
	}
	assessors := &yaml.Node{Kind: yaml.SequenceNode}
	for _, n := range a.Assessors {
		assessors.Content = append(assessors.Content, str(n))
	}
	add(root, "country", str(a.Country))
	add(root, "code", str(a.Code))
	add(root, "rubric", str(a.Rubric))
	if a.RubricVersion != "" {
		add(root, "rubric_version", quoted(a.RubricVersion))
	}
	add(root, "revision", quoted(a.Revision))
	add(root, "as_of", date(a.AsOf))
	add(root, "supersedes", supersedes)
	add(root, "assessors", assessors)
	if a.Summary != "" {
		add(root, "summary", str(a.Summary))
	}

	sources := mapping()
	for _, id := range a.SourceIDs() {
		s := a.Sources[id]
		m := mapping()
		add(m, "title", str(s.Title))
		for _, kv := range [][2]string{{"author", s.Author}, {"publisher", s.Publisher}} {
			if kv[1] != "" {
				add(m, kv[0], str(kv[1]))
			}
		}
		if !s.Date.IsZero() {
			add(m, "date", date(s.Date))
		}
		if s.URL != "" {
			add(m, "url", str(s.URL))
		}
		add(sources, id, m)
	}
	add(root, "sources", sources)

	facts := mapping()
	for _, id := range sortedKeys(a.Facts) {
		f := a.Facts[id]
		m := mapping()
		add(m, "value", &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(f.Value, 'g', -1, 64)})
		if !f.AsOf.IsZero() {
			add(m, "as_of", date(f.AsOf))
		}
		if f.Basis != "" {
			add(m, "basis", str(f.Basis))
		}
		if len(f.Sources) > 0 {
			add(m, "sources", idList(f.Sources))
		}
		if f.Note != "" {
			add(m, "note", str(f.Note))
		}
		add(facts, id, m)
	}
	add(root, "facts", facts)

	findings := mapping()
	done := map[string]bool{}
	ids := append([]string(nil), order...)
	ids = append(ids, sortedKeys(a.Findings)...)
	for _, id := range ids {
		f := a.Findings[id]
		if f == nil || done[id] {
			continue
		}
		done[id] = true
		m := mapping()
		if f.Level != nil {
			add(m, "level", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(*f.Level)})
		}
		if f.Confidence != "" {
			add(m, "confidence", str(string(f.Confidence)))
		}
		if f.Rationale != "" {
			add(m, "rationale", str(f.Rationale))
		}
		if f.Change != "" {
			add(m, "change", str(f.Change))
		}
		ev := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range f.Evidence {
			cm := mapping()
			add(cm, "claim", str(c.Claim))
			add(cm, "sources", idList(c.Sources))
			ev.Content = append(ev.Content, cm)
		}
		add(m, "evidence", ev)
		add(findings, id, m)
	}
	add(root, "findings", findings)

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// quoted keeps number-like labels ("2021") text.
func quoted(s string) *yaml.Node {
	n := str(s)
	n.Style = yaml.DoubleQuotedStyle
	return n
}

// date is written bare, as the files write dates.
func date(d Date) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: d.String()}
}

// idList is a source list on one line: [n1, n2].
func idList(ids []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, id := range ids {
		n.Content = append(n.Content, str(id))
	}
	return n
}
