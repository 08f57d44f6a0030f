package textsafe

import "testing"

func TestMarkdownEscape(t *testing.T) {
	for _, tt := range []struct{ in, text, cell string }{
		// Ordinary prose stays as it is.
		{"Japan 2021 (draft), v1.0.0 - see p. 3; a>b, 12:30, as_of, 50% & more.", "", ""},
		{"rubrics/iiss-seven-pillars.yaml:85:9", "", ""},
		{"[100 500 2000] and [n1]", "\\[100 500 2000] and [n1]", "[100 500 2000] and [n1]"},
		// Markup that acts anywhere in a line.
		{"<script>alert(1)</script>", `\<script>alert(1)\</script>`, ""},
		{"**bold** _em_ ~~del~~ `code` a|b", `\*\*bold\*\* \_em\_ \~\~del\~\~ \` + "`code\\`" + ` a\|b`, ""},
		{"[x](javascript:alert(1)) ![i](http://x/y.png)", `\[x\](javascript\:alert(1)) ![i\](http\://x/y.png)`, `[x\](javascript\:alert(1)) ![i\](http\://x/y.png)`},
		{"<javascript:alert(1)> <http://a>", `\<javascript\:alert(1)> \<http\://a>`, ""},
		{"&lt; &#60; AT&T", `\&lt; \&#60; AT\&T`, ""},
		{"see www.evil.example or mail@evil.example", `see www\.evil.example or mail\@evil.example`, ""},
		{`back\slash`, `back\\slash`, ""},
		{"title ##", `title \##`, ""},
		// Line breaks become spaces; the ends are trimmed.
		{"  one\ntwo\r\n\tthree  ", "one two  three", ""},
		{"a\n# heading\n- item", "a # heading - item", ""},
		// What opens a block at the start of a line.
		{"# heading", `\# heading`, "# heading"},
		{"#hashtag", "", ""},
		{"- item", `\- item`, "- item"},
		{"-3 degrees", "", ""},
		{"+ item", `\+ item`, "+ item"},
		{"1. item", `1\. item`, "1. item"},
		{"2021) item", `2021\) item`, "2021) item"},
		{"1.0.0", "", ""},
		{"> quote", `\> quote`, "> quote"},
		{"[ref]: javascript:x", `\[ref\]: javascript\:x`, `[ref\]: javascript\:x`},
		{"---", `\---`, "---"},
		{"===", `\===`, "==="},
		{"    indented", "indented", "indented"},
		{"```", "\\`\\`\\`", ""},
	} {
		want := tt.text
		if want == "" {
			want = tt.in
		}
		if got := MarkdownText(tt.in); got != want {
			t.Errorf("MarkdownText(%q) = %q, want %q", tt.in, got, want)
		}
		wantCell := tt.cell
		if wantCell == "" {
			wantCell = want
		}
		if got := MarkdownCell(tt.in); got != wantCell {
			t.Errorf("MarkdownCell(%q) = %q, want %q", tt.in, got, wantCell)
		}
	}
}

func TestMarkdownCode(t *testing.T) {
	for in, want := range map[string]string{
		"a.yaml:3:1":        "`a.yaml:3:1`",
		"a`b.yaml":          "``a`b.yaml``",
		"``x":               "``` ``x ```",
		"<b>\n*x*":          "`<b> *x*`",
		"":                  "",
		"x\x1b[31mred.yaml": "`xred.yaml`",
	} {
		if got := MarkdownCode(in); got != want {
			t.Errorf("MarkdownCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/a?b=1&c=2": "<https://example.org/a?b=1&c=2>",
		"https://example.org/<x> y`z|w": "<https://example.org/%3Cx%3E%20y%60z%7Cw>",
		"http://example.org/é":          "<http://example.org/%C3%A9>",
		"javascript:alert(1)":           `javascript\:alert(1)`,
		"data:text/html,<script>":       `data\:text/html,\<script>`,
		"//evil.example/x":              "//evil.example/x",
		"https://example.org/a>b<c":     "<https://example.org/a%3Eb%3Cc>",
		" https://example.org/trimmed ": "<https://example.org/trimmed>",
	} {
		if got := MarkdownLink(in); got != want {
			t.Errorf("MarkdownLink(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsWebAddress(t *testing.T) {
	for s, want := range map[string]bool{
		"https://www.nisc.go.jp/eng/pdf/cs-senryaku2018-en.pdf": true,
		"http://example.org/a?b=<c>":                            true,
		" https://example.org/":                                 true,
		"HTTPS://EXAMPLE.ORG/":                                  true,
		"javascript:alert(1)":                                   false,
		"JavaScript:alert(1)":                                   false,
		"data:text/html,<script>":                               false,
		"//evil.example/x":                                      false,
		"/etc/passwd":                                           false,
		"ftp://example.org/":                                    false,
		"https:///no-host":                                      false,
		"":                                                      false,
	} {
		if got := IsWebAddress(s); got != want {
			t.Errorf("IsWebAddress(%q) = %v, want %v", s, got, want)
		}
	}
}

// Hostile text must come out escaped; the browser test checks it stays
// inert, this one that it is there to see.
