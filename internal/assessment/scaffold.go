package assessment

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/yamlread"
	"go.yaml.in/yaml/v3"
)

// Header is what a new assessment or revision says about itself.
type Header struct {
	Country  string
	Code     string
	Revision string
	AsOf     Date
}

// commentWidth is where scaffold comments wrap, so the file reads in an
// ordinary editor window.
const commentWidth = 78

// Scaffold returns the text of a new assessment with every criterion of r
// listed under findings, level empty (null), and the rubric's question and
// level descriptors as comments above each. It validates against r with
// warnings for the empty findings and no errors.
func Scaffold(r *rubric.Rubric, h Header) ([]byte, error) {
	var b bytes.Buffer
	comment(&b, "", fmt.Sprintf("Assessment of %s against rubric %s %s. Judge each criterion below: set its level, confidence (low, medium or high), rationale and evidence (claims citing ids under sources), then run capscore validate on this file.", h.Country, r.ID, r.Version), "")
	for _, kv := range []struct {
		key, value string
		quote      bool
	}{{"country", h.Country, false}, {"code", h.Code, false}, {"rubric", r.ID, false}, {"rubric_version", r.Version, true}, {"revision", h.Revision, true}} {
		line, err := pair(kv.key, kv.value, kv.quote)
		if err != nil {
			return nil, err
		}
		b.WriteString(line + "\n")
	}
	fmt.Fprintf(&b, "as_of: %s\n", h.AsOf)
	b.WriteString("supersedes: null\nassessors: []\nsummary: \"\"\n\n")
	comment(&b, "", "Every work a claim or fact cites, keyed by id, each as {title: ..., publisher: ..., date: YYYY-MM-DD, url: ...}", "")
	b.WriteString("sources: {}\n\n")
	comment(&b, "", "Quantities the measured criteria read, keyed by fact id, each as {value: N, as_of: YYYY-MM-DD, sources: [id]}. This rubric reads:", "")
	for _, p := range r.Pillars {
		for _, c := range p.Criteria {
			if c.Measure != nil {
				comment(&b, "", fmt.Sprintf("  %s (%s), for %s", c.Measure.Fact, c.Measure.Unit, c.ID), "    ")
			}
		}
	}
	b.WriteString("facts: {}\n\n")
	comment(&b, "", "One finding per criterion, keyed by criterion id, each with level (null until judged), confidence, rationale and evidence: [{claim: ..., sources: [id]}].", "")
	b.WriteString("findings:\n")
	for i, p := range r.Pillars {
		if i > 0 {
			b.WriteByte('\n')
		}
		comment(&b, "  ", fmt.Sprintf("---- %s: %s", p.ID, p.Title), "")
		for j := range p.Criteria {
			if j > 0 {
				b.WriteByte('\n')
			}
			writeFinding(&b, r, &p.Criteria[j], "  ")
		}
	}
	return b.Bytes(), nil
}

// writeFinding writes one empty finding with its question and descriptors.
func writeFinding(b *bytes.Buffer, r *rubric.Rubric, c *rubric.Criterion, indent string) {
	comment(b, indent, fmt.Sprintf("%s — %s", c.ID, c.Title), "")
	if c.Question != "" {
		comment(b, indent, c.Question, "")
	}
	if m := c.Measure; m != nil {
		ts := make([]string, len(m.Thresholds))
		for i, t := range m.Thresholds {
			ts[i] = strconv.FormatFloat(t, 'g', -1, 64)
		}
		comment(b, indent, fmt.Sprintf("Measured: the level comes from fact %s (%s) at thresholds %s; level may stay empty.", m.Fact, m.Unit, strings.Join(ts, ", ")), "")
	}
	for l := r.Scale.Min; l <= r.Scale.Max; l++ {
		label := r.Scale.Label(l)
		if label != "" {
			label = " " + label
		}
		comment(b, indent, fmt.Sprintf("  %d%s: %s", l, label, c.Descriptor(r.Scale, l)), "    ")
	}
	fmt.Fprintf(b, "%s%s:\n%s  level: null\n%s  evidence: []\n", indent, c.ID, indent, indent)
}

// comment writes text as # lines wrapped at commentWidth; continuation
// lines start with hang, so a list item's text lines up under itself.
func comment(b *bytes.Buffer, indent, text, hang string) {
	lead := text[:len(text)-len(strings.TrimLeft(text, " "))]
	line := indent + "# " + lead
	start := len(line)
	for _, w := range strings.Fields(text) {
		if len(line) > start && len(line)+1+len(w) > commentWidth {
			b.WriteString(line + "\n")
			line = indent + "# " + hang
			start = len(line)
		}
		if len(line) > start {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
}

// pair encodes key: value as one YAML line, quoting the value as YAML
// needs; quote forces double quotes, so number-like text stays text.
func pair(key, value string, quote bool) (string, error) {
	v := &yaml.Node{Kind: yaml.ScalarNode, Value: value}
	if _, err := ParseDate(value); err == nil && !quote {
		// A date is written bare, as the files write as_of.
		v.Tag = "!!timestamp"
	}
	if quote {
		v.Style = yaml.DoubleQuotedStyle
	}
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: key}, v}})
	if err != nil {
		return "", fmt.Errorf("%s %q: %w", key, value, err)
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

// Revise starts a new revision from the text of an existing assessment:
// revision, as_of and rubric_version are set, supersedes names the old
// revision, country and code change only when h gives them, and every
// criterion of r without a finding is added empty. Sources, facts and
// findings are kept as written, comments and layout included, except each
// finding's change note, which described the old revision.
func Revise(r *rubric.Rubric, file string, data []byte, h Header) ([]byte, error) {
	old, ds := Parse(file, data)
	if ds.HasErrors() {
		return nil, ds.Errors()
	}
	rd, root := yamlread.Parse(file, data)
	if root == nil {
		return nil, rd.Diags.Errors()
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Style&yaml.FlowStyle != 0 {
		// Edits go line by line, which a one-line {…} file does not allow.
		return nil, fmt.Errorf("%s:%d:%d: write the assessment as a block mapping (one key per line) to revise it", file, root.Line, root.Column)
	}
	t := newText(data)
	set := func(key, value string, quote bool) error {
		line, err := pair(key, value, quote)
		if err != nil {
			return err
		}
		k, v := entry(root, key)
		if k == nil {
			return nil
		}
		if v.Line != k.Line || v.Kind != yaml.ScalarNode || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return fmt.Errorf("%s:%d:%d: %s must be written on one line to be revised", file, k.Line, k.Column, key)
		}
		t.replace(k.Line, line)
		return nil
	}
	insertAfter := func(after, key, value string) error {
		if k, _ := entry(root, key); k != nil {
			return nil
		}
		line, err := pair(key, value, true)
		if err != nil {
			return err
		}
		k, _ := entry(root, after)
		t.insert(t.entryEnd(k.Line, k.Column-1), line)
		return nil
	}
	country, code := old.Country, old.Code
	if h.Country != "" {
		country = h.Country
	}
	if h.Code != "" {
		code = h.Code
	}
	for _, s := range []struct {
		key, value string
		quote      bool
	}{{"country", country, false}, {"code", code, false}, {"revision", h.Revision, true},
		{"as_of", h.AsOf.String(), false}, {"supersedes", old.Revision, true}, {"rubric_version", r.Version, true}} {
		if err := set(s.key, s.value, s.quote); err != nil {
			return nil, err
		}
	}
	if err := insertAfter("rubric", "rubric_version", r.Version); err != nil {
		return nil, err
	}
	if err := insertAfter("as_of", "supersedes", old.Revision); err != nil {
		return nil, err
	}

	fk, fv := entry(root, "findings")
	if fv.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d:%d: findings must be a mapping", file, fk.Line, fk.Column)
	}
	for i := 0; i+1 < len(fv.Content); i += 2 {
		f := fv.Content[i+1]
		// A flow mapping keeps its note: it cannot be cut out line by line.
		if ck, _ := entry(f, "change"); ck != nil && f.Style&yaml.FlowStyle == 0 && ck.Line > fv.Content[i].Line {
			t.drop(ck.Line, t.entryEnd(ck.Line, ck.Column-1))
		}
	}
	var add bytes.Buffer
	indent := "  "
	if len(fv.Content) > 0 {
		indent = strings.Repeat(" ", fv.Content[0].Column-1)
	}
	for _, p := range r.Pillars {
		for j := range p.Criteria {
			c := &p.Criteria[j]
			if _, ok := old.Findings[c.ID]; ok {
				continue
			}
			add.WriteByte('\n')
			writeFinding(&add, r, c, indent)
		}
	}
	if add.Len() > 0 {
		if fv.Style&yaml.FlowStyle != 0 {
			if len(fv.Content) > 0 || fv.Line != fk.Line {
				return nil, fmt.Errorf("%s:%d:%d: write findings as a block mapping to be revised", file, fk.Line, fk.Column)
			}
			t.replace(fk.Line, "findings:")
		}
		end := t.entryEnd(fk.Line, fk.Column-1)
		t.insert(end, strings.TrimSuffix(add.String(), "\n"))
	}
	return t.bytes(), nil
}

// entry finds key in a mapping node.
func entry(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// text edits a file by line numbers of the original (1-based), so every
// edit can be located with the positions yaml.Node gives.
type text struct {
	lines   []string
	dropped []bool
	before  map[int][]string // lines to insert after original line n
}

func newText(data []byte) *text {
	s := strings.TrimSuffix(string(data), "\n")
	lines := strings.Split(s, "\n")
	return &text{lines: lines, dropped: make([]bool, len(lines)+1), before: map[int][]string{}}
}

func (t *text) replace(line int, s string) { t.lines[line-1] = s }

func (t *text) insert(after int, s string) { t.before[after] = append(t.before[after], s) }

func (t *text) drop(from, to int) {
	for l := from; l <= to; l++ {
		t.dropped[l] = true
	}
}

// entryEnd is the last line of the block-mapping entry whose key is on
// line, at indent col (0-based): the lines after it that are indented
// deeper, or blank between such lines.
func (t *text) entryEnd(line, col int) int {
	end := line
	for l := line + 1; l <= len(t.lines); l++ {
		s := t.lines[l-1]
		if strings.TrimSpace(s) == "" {
			continue
		}
		if len(s)-len(strings.TrimLeft(s, " ")) <= col {
			break
		}
		end = l
	}
	return end
}

func (t *text) bytes() []byte {
	var b bytes.Buffer
	for _, s := range t.before[0] {
		b.WriteString(s + "\n")
	}
	for i, s := range t.lines {
		if !t.dropped[i+1] {
			b.WriteString(s + "\n")
		}
		for _, ins := range t.before[i+1] {
			b.WriteString(ins + "\n")
		}
	}
	return b.Bytes()
}
