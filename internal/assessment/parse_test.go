package assessment

import (
	"strings"
	"testing"
)

// Ids are compared in NFC: a source defined with é as one code point and
// cited with e and a combining accent is the one source, and revision
// labels compare the same way.
func TestIDsComparedInNFC(t *testing.T) {
	const composed, decomposed = "caf\u00e9", "cafe\u0301"
	doc := `country: Testland
code: TST
rubric: mini
revision: "r` + decomposed + `"
as_of: 2021
supersedes: "r` + composed + `"
sources:
  ` + composed + `: {title: A source}
findings:
  doctrine: {level: 1, evidence: [{claim: A claim., sources: [` + decomposed + `]}]}
`
	a, ds := Parse("f.yaml", []byte(doc))
	want := `f.yaml:6:13: supersedes "r` + composed + `" names this file's own revision; name the revision this one replaces, or leave supersedes out`
	if got := ds.Error(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if a.Revision != "r"+composed || a.Findings["doctrine"].Evidence[0].Sources[0] != composed {
		t.Errorf("ids not in NFC: revision %+q, cited %+q", a.Revision, a.Findings["doctrine"].Evidence[0].Sources)
	}

	// Two forms of one source id in one file: an error naming both places.
	dup := strings.Replace(doc, "sources:\n", "sources:\n  "+decomposed+": {title: The same source}\n", 1)
	dup = strings.Replace(dup, `supersedes: "r`+composed+`"`+"\n", "", 1)
	_, ds = Parse("f.yaml", []byte(dup))
	want = `f.yaml:8:3: sources: key "caf\u00e9" and key "cafe\u0301" at 7:3 are one id written in two Unicode forms (ids are compared in NFC); keep one`
	if got := ds.Error(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
