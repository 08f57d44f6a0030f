package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// TestBundledFilesConform validates every bundled rubric and assessment
// against the schema editors are pointed to, so the schema never rejects a
// file capscore accepts.
func TestBundledFilesConform(t *testing.T) {
	for _, tt := range []struct {
		schema string
		glob   string
	}{
		{"rubric", "../../rubrics/*.yaml"},
		{"assessment", "../../assessments/*/*.yaml"},
		{"assessment", "../cli/testdata/countries/*/*.yaml"},
	} {
		sch := compile(t, tt.schema)
		files, _ := filepath.Glob(tt.glob)
		if len(files) == 0 {
			t.Fatalf("no files match %s", tt.glob)
		}
		for _, f := range files {
			if err := sch.Validate(load(t, f)); err != nil {
				t.Errorf("%s does not conform to the %s schema:\n%v", f, tt.schema, err)
			}
		}
	}
}

// TestSchemaRejects checks the schema catches the slips editors should flag.
func TestSchemaRejects(t *testing.T) {
	sch := compile(t, "assessment")
	for name, doc := range map[string]string{
		"unknown key":      "country: X\ncode: XXX\nrubric: r\nrevision: '1'\nas_of: 2020-01-01\nfindings: {}\ncolour: red\n",
		"bad code":         "country: X\ncode: xx\nrubric: r\nrevision: '1'\nas_of: 2020-01-01\nfindings: {}\n",
		"bad confidence":   "country: X\ncode: XXX\nrubric: r\nrevision: '1'\nas_of: 2020-01-01\nfindings: {a: {confidence: sure}}\n",
		"missing findings": "country: X\ncode: XXX\nrubric: r\nrevision: '1'\nas_of: 2020-01-01\n",
	} {
		if err := sch.Validate(decode(t, []byte(doc))); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	data, err := JSON(name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	url := name + ".schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func load(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, data)
}

// decode turns YAML into the JSON data model the validator expects.
func decode(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(jsonable(v))
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
		return x
	case time.Time:
		return x.Format("2006-01-02")
	}
	return v
}
