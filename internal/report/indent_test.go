package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestAppendIndentMatchesJSONIndent(t *testing.T) {
	for _, src := range []string{
		`{}`, `[]`, `{"a":[]}`, `{"a":{},"b":[1,2,{"c":null}]}`, `"x"`, `1`,
		`{"q":"a\"b\\","r":"{[,:]}"}`, `[[],[[]],{"":{}}]`, `{"h":"\u003c\u2028"}`,
	} {
		assertIndent(t, []byte(src))
	}
}

func assertIndent(t *testing.T, src []byte) {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, src); err != nil {
		return
	}
	for _, style := range [][2]string{{"", "  "}, {"    ", "  "}, {"", "\t"}} {
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), style[0], style[1]); err != nil {
			t.Fatal(err)
		}
		if got := appendIndent(nil, compact.Bytes(), style[0], style[1]); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("indenting %s with %q %q:\n got %s\nwant %s", compact.Bytes(), style[0], style[1], got, want.Bytes())
		}
	}
}

// FuzzAppendIndent holds the indenter to json.Indent on any valid JSON.
func FuzzAppendIndent(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"c\"]"}],"d":{}}`))
	f.Add([]byte(`[ [ ] , { } , "\\" ]`))
	f.Fuzz(func(t *testing.T, src []byte) {
		assertIndent(t, src)
	})
}
