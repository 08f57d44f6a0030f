package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmePipe runs one stage of a pipe from the README's examples on text,
// as the real tool would for the forms the README uses:
//
//	head -N, head -n N          the first N lines
//	sed -n 'ADDR[,ADDR]p'       lines by number, /re/, $ and ,+N
//	grep [-E|-v] RE             the lines that match, or (-v) do not
//	jq FILTER                   paths (.a.b, .[0], .a[1]), pipes, [ ... ]
//	                            and { key, key: FILTER }, printed as jq does,
//	                            numbers as written
//
// Regular expressions are Go's, which read the README's patterns as sed and
// grep -E do.
func readmePipe(args []string, text string) (string, error) {
	if len(args) == 0 {
		return "", fmt.Errorf("empty pipe stage")
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	switch {
	case args[0] == "head":
		n, err := -1, error(nil)
		switch {
		case len(args) == 2 && strings.HasPrefix(args[1], "-"):
			n, err = strconv.Atoi(args[1][1:])
		case len(args) == 3 && args[1] == "-n":
			n, err = strconv.Atoi(args[2])
		}
		if err != nil || n < 0 {
			return "", fmt.Errorf("head: use head -N or head -n N")
		}
		return strings.Join(lines[:min(n, len(lines))], ""), nil
	case args[0] == "sed" && len(args) == 3 && args[1] == "-n":
		return readmeSed(args[2], lines)
	case args[0] == "grep" && (len(args) == 2 || len(args) == 3 && (args[1] == "-E" || args[1] == "-v")):
		re, err := regexp.Compile(args[len(args)-1])
		if err != nil {
			return "", err
		}
		invert := args[1] == "-v"
		var b strings.Builder
		for _, l := range lines {
			if re.MatchString(strings.TrimSuffix(l, "\n")) != invert {
				b.WriteString(l)
			}
		}
		return b.String(), nil
	case args[0] == "jq" && len(args) == 2:
		return readmeJQ(args[1], text)
	}
	return "", fmt.Errorf("%s: not a pipe the README test runs (head -N, sed -n, grep -E or -v, jq)", strings.Join(args, " "))
}

// sedAddress is one address of a sed range: a line number, a pattern, the
// last line ($), or (as the end of a range) +N lines after its start.
type sedAddress struct {
	line   int
	re     *regexp.Regexp
	last   bool
	isPlus bool
	plus   int
}

func (a sedAddress) match(i, n int, l string) bool {
	switch {
	case a.re != nil:
		return a.re.MatchString(strings.TrimSuffix(l, "\n"))
	case a.last:
		return i == n-1
	}
	return i+1 == a.line
}

// readmeSed prints the lines that sed -n 'EXPR' prints, for EXPR made of
// one or more ADDR[,ADDR]p commands separated by ;.
func readmeSed(expr string, lines []string) (string, error) {
	type command struct {
		from, to sedAddress
		isRange  bool
	}
	var cmds []command
	for _, part := range strings.Split(expr, ";") {
		rest, ok := strings.CutSuffix(part, "p")
		if !ok {
			return "", fmt.Errorf("sed %q: only ADDR[,ADDR]p commands", expr)
		}
		var c command
		var err error
		if c.from, rest, err = sedParseAddress(rest); err != nil {
			return "", err
		}
		if strings.HasPrefix(rest, ",") {
			c.isRange = true
			if c.to, rest, err = sedParseAddress(rest[1:]); err != nil {
				return "", err
			}
		}
		if rest != "" {
			return "", fmt.Errorf("sed %q: cannot read %q", expr, rest)
		}
		cmds = append(cmds, c)
	}
	var b strings.Builder
	start := make([]int, len(cmds)) // line where an open range started, or -1
	for k := range start {
		start[k] = -1
	}
	n := len(lines)
	for i, l := range lines {
		print := false
		for k, c := range cmds {
			switch {
			case !c.isRange:
				print = print || c.from.match(i, n, l)
			case start[k] >= 0:
				print = true
				if c.to.ends(i, start[k], n, l) {
					start[k] = -1
				}
			case c.from.match(i, n, l):
				print = true
				start[k] = i
				// A line number at or before the start, or +0, closes the range at once.
				if c.to.isPlus && c.to.plus == 0 || c.to.line > 0 && c.to.line <= i+1 {
					start[k] = -1
				}
			}
		}
		if print {
			b.WriteString(l)
		}
	}
	return b.String(), nil
}

// ends reports whether line i closes a range opened at line start.
func (a sedAddress) ends(i, start, n int, l string) bool {
	switch {
	case a.isPlus:
		return i >= start+a.plus
	case a.re != nil:
		return a.re.MatchString(strings.TrimSuffix(l, "\n"))
	case a.last:
		return i == n-1
	}
	return i+1 >= a.line
}

func sedParseAddress(s string) (sedAddress, string, error) {
	switch {
	case strings.HasPrefix(s, "/"):
		end := strings.IndexByte(s[1:], '/')
		if end < 0 {
			return sedAddress{}, "", fmt.Errorf("sed: unclosed /pattern/")
		}
		re, err := regexp.Compile(s[1 : 1+end])
		return sedAddress{re: re}, s[2+end:], err
	case strings.HasPrefix(s, "$"):
		return sedAddress{last: true}, s[1:], nil
	case strings.HasPrefix(s, "+"):
		n, rest := sedNumber(s[1:])
		return sedAddress{isPlus: true, plus: n}, rest, nil
	}
	n, rest := sedNumber(s)
	if n <= 0 {
		return sedAddress{}, "", fmt.Errorf("sed: expected an address at %q", s)
	}
	return sedAddress{line: n}, rest, nil
}

func sedNumber(s string) (int, string) {
	k := 0
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	n, _ := strconv.Atoi(s[:k])
	return n, s[k:]
}

// jqObject is a JSON object that keeps the order of its keys, as jq does.
type jqObject struct {
	keys []string
	vals []any
}

func (o *jqObject) get(k string) any {
	for i, key := range o.keys {
		if key == k {
			return o.vals[i]
		}
	}
	return nil
}

// readmeJQ evaluates a jq filter of the README's kind on one JSON document
// and prints each result as jq does by default (two-space indent).
func readmeJQ(filter, text string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	doc, err := jqDecode(dec)
	if err != nil {
		return "", fmt.Errorf("jq: %v", err)
	}
	p := &jqParser{src: filter}
	f, err := p.pipe()
	if err != nil {
		return "", err
	}
	if p.skip(); p.pos < len(p.src) {
		return "", fmt.Errorf("jq %q: cannot read from %q", filter, p.src[p.pos:])
	}
	results, err := f(doc)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	for _, r := range results {
		jqPrint(&b, r, "")
		b.WriteByte('\n')
	}
	return b.String(), nil
}

func jqDecode(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := &jqObject{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := jqDecode(dec)
			if err != nil {
				return nil, err
			}
			o.keys, o.vals = append(o.keys, k.(string)), append(o.vals, v)
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := jqDecode(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return tok, nil
}

func jqPrint(b *bytes.Buffer, v any, indent string) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		b.WriteString(v.String())
	case string:
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		enc.Encode(v)
		b.Truncate(b.Len() - 1)
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range v {
			b.WriteString(indent + "  ")
			jqPrint(b, e, indent+"  ")
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case *jqObject:
		if len(v.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range v.keys {
			b.WriteString(indent + "  ")
			jqPrint(b, k, "")
			b.WriteString(": ")
			jqPrint(b, v.vals[i], indent+"  ")
			if i < len(v.keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	}
}

// jqFilter maps one input to its results.
type jqFilter func(any) ([]any, error)

type jqParser struct {
	src string
	pos int
}

func (p *jqParser) skip() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *jqParser) peek() byte {
	p.skip()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *jqParser) fail(what string) error {
	return fmt.Errorf("jq %q: %s at %d", p.src, what, p.pos)
}

// pipe: term ('|' term)*
func (p *jqParser) pipe() (jqFilter, error) {
	f, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.peek() == '|' {
		p.pos++
		g, err := p.term()
		if err != nil {
			return nil, err
		}
		left := f
		f = func(v any) ([]any, error) {
			var out []any
			mid, err := left(v)
			if err != nil {
				return nil, err
			}
			for _, m := range mid {
				r, err := g(m)
				if err != nil {
					return nil, err
				}
				out = append(out, r...)
			}
			return out, nil
		}
	}
	return f, nil
}

// term: path | '[' pipe ']' | '{' entries '}'
func (p *jqParser) term() (jqFilter, error) {
	switch p.peek() {
	case '.':
		return p.path()
	case '[':
		p.pos++
		f, err := p.pipe()
		if err != nil {
			return nil, err
		}
		if p.peek() != ']' {
			return nil, p.fail("expected ]")
		}
		p.pos++
		return func(v any) ([]any, error) {
			r, err := f(v)
			if r == nil {
				r = []any{}
			}
			return []any{r}, err
		}, nil
	case '{':
		p.pos++
		var keys []string
		var vals []jqFilter
		for p.peek() != '}' {
			key := p.ident()
			if key == "" {
				return nil, p.fail("expected a key")
			}
			val := jqKey(key)
			if p.peek() == ':' {
				p.pos++
				f, err := p.termPipe()
				if err != nil {
					return nil, err
				}
				val = f
			}
			keys, vals = append(keys, key), append(vals, val)
			if p.peek() == ',' {
				p.pos++
			} else if p.peek() != '}' {
				return nil, p.fail("expected , or }")
			}
		}
		p.pos++
		return func(v any) ([]any, error) {
			o := &jqObject{keys: keys}
			for _, f := range vals {
				r, err := f(v)
				if err != nil {
					return nil, err
				}
				if len(r) != 1 {
					return nil, fmt.Errorf("jq: an object value must give one result")
				}
				o.vals = append(o.vals, r[0])
			}
			return []any{o}, nil
		}, nil
	}
	return nil, p.fail("expected ., [ or {")
}

// termPipe is an object's value: one term (pipes need parentheses in jq).
func (p *jqParser) termPipe() (jqFilter, error) { return p.term() }

func (p *jqParser) ident() string {
	p.skip()
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && p.pos > start {
			p.pos++
			continue
		}
		break
	}
	return p.src[start:p.pos]
}

func jqKey(k string) jqFilter {
	return func(v any) ([]any, error) {
		switch o := v.(type) {
		case nil:
			return []any{nil}, nil
		case *jqObject:
			return []any{o.get(k)}, nil
		}
		return nil, fmt.Errorf("jq: cannot index %T with %q", v, k)
	}
}

// path: '.' | ('.' ident | '[' N ']')+
func (p *jqParser) path() (jqFilter, error) {
	p.skip()
	var steps []jqFilter
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '.':
			p.pos++
			if p.pos < len(p.src) && p.src[p.pos] != '[' {
				if key := p.ident(); key != "" {
					steps = append(steps, jqKey(key))
				}
			}
		case c == '[':
			p.pos++
			n, rest := sedNumber(p.src[p.pos:])
			p.pos = len(p.src) - len(rest)
			if p.peek() != ']' {
				return nil, p.fail("expected [N]")
			}
			p.pos++
			steps = append(steps, func(v any) ([]any, error) {
				a, ok := v.([]any)
				if !ok {
					return nil, fmt.Errorf("jq: cannot index %T with a number", v)
				}
				if n >= len(a) {
					return []any{nil}, nil
				}
				return []any{a[n]}, nil
			})
		default:
			return jqChain(steps), nil
		}
	}
	return jqChain(steps), nil
}

func jqChain(steps []jqFilter) jqFilter {
	return func(v any) ([]any, error) {
		for _, s := range steps {
			r, err := s(v)
			if err != nil {
				return nil, err
			}
			v = r[0]
		}
		return []any{v}, nil
	}
}

// TestReadmePipe holds the pipes of the README test to what head, sed, grep
// and jq print for the same input.
func TestReadmePipe(t *testing.T) {
	const text = "one\ntwo\nthree\nfour\nfive\nsix\n"
	const doc = `{"a": {"b": [1.5, {"c": "x<y"}], "d": null}, "e": [], "f": 0.8}`
	for _, tc := range []struct {
		args []string
		in   string
		want string
	}{
		{[]string{"head", "-2"}, text, "one\ntwo\n"},
		{[]string{"head", "-n", "9"}, text, text},
		{[]string{"sed", "-n", "2,3p"}, text, "two\nthree\n"},
		{[]string{"sed", "-n", "4p"}, text, "four\n"},
		{[]string{"sed", "-n", "/^t/,+1p"}, text, "two\nthree\n"},
		{[]string{"sed", "-n", "/^f/,/x/p"}, text, "four\nfive\nsix\n"},
		{[]string{"sed", "-n", "/two/,/^f/p"}, text, "two\nthree\nfour\n"},
		{[]string{"sed", "-n", "5,$p"}, text, "five\nsix\n"},
		{[]string{"sed", "-n", "1p;/six/p"}, text, "one\nsix\n"},
		{[]string{"grep", "-v", "o"}, text, "three\nfive\nsix\n"},
		{[]string{"grep", "-E", "^(one|six)$"}, text, "one\nsix\n"},
		{[]string{"jq", ".a.b[1]"}, doc, "{\n  \"c\": \"x<y\"\n}\n"},
		{[]string{"jq", "{f, e, first: .a.b[0], g: .a.d}"}, doc, "{\n  \"f\": 0.8,\n  \"e\": [],\n  \"first\": 1.5,\n  \"g\": null\n}\n"},
		{[]string{"jq", ".a | [.b[0]]"}, doc, "[\n  1.5\n]\n"},
	} {
		got, err := readmePipe(tc.args, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.args, got, err, tc.want)
		}
	}
	for _, bad := range [][]string{{"head", "-x"}, {"sed", "-n", "2d"}, {"sort"}, {"jq", ".a +"}} {
		if _, err := readmePipe(bad, text); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
