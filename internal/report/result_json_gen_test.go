package report

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/score"
)

var updateEncoder = flag.Bool("update-encoder", false, "rewrite result_json_gen.go from the json tags of score.Result")

// TestResultEncoderIsCurrent holds result_json_gen.go to what genEncoder
// writes from the json tags of score.Result: the struct is the one
// definition of the document's shape, and changing it without
// `go test ./internal/report -run TestResultEncoderIsCurrent -update-encoder`
// fails here.
func TestResultEncoderIsCurrent(t *testing.T) {
	src, err := genEncoder(reflect.TypeFor[score.Result]())
	if err != nil {
		t.Fatal(err)
	}
	if *updateEncoder {
		if err := os.WriteFile("result_json_gen.go", src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile("result_json_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Error("result_json_gen.go is not what the json tags of score.Result make; run go test ./internal/report -run TestResultEncoderIsCurrent -update-encoder")
	}
}

// genEncoder writes one append function for root and for every struct it
// reaches, member for member as encoding/json lays them out: in field
// order, under the tag's name, omitempty honoured, fields tagged "-" left
// out. A kind it cannot write is an error rather than a guess.
func genEncoder(root reflect.Type) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated from the json tags of score.Result by TestResultEncoderIsCurrent; DO NOT EDIT.\n\npackage report\n\nimport \"github.com/capscore/capscore/internal/score\"\n")
	done := map[reflect.Type]bool{}
	queue := []reflect.Type{root}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if done[t] {
			continue
		}
		done[t] = true
		fmt.Fprintf(&b, "\nfunc (w *jsonWriter) %s(b []byte, v *score.%s) []byte {\n\tb = w.open(b, '{')\n", encName(t), t.Name())
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" || !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" || strings.ContainsAny(name, "\"\\<>&") || f.Anonymous {
				return nil, fmt.Errorf("%s.%s: tag %q: the encoder writes only plainly named fields", t.Name(), f.Name, tag)
			}
			val, more, err := genValue(f.Type, "v."+f.Name)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", t.Name(), f.Name, err)
			}
			queue = append(queue, more...)
			member := fmt.Sprintf("\tb = w.key(b, %q)\n\tb = %s\n", name, val)
			if opts == "omitempty" {
				fmt.Fprintf(&b, "\tif %s {\n%s\t}\n", nonEmpty(f.Type, "v."+f.Name), member)
			} else if opts != "" {
				return nil, fmt.Errorf("%s.%s: tag option %q", t.Name(), f.Name, opts)
			} else {
				b.WriteString(member)
			}
		}
		b.WriteString("\treturn w.close(b, '}')\n}\n")
	}
	return format.Source(b.Bytes())
}

func encName(t reflect.Type) string { return "score" + t.Name() }

// genValue is the expression that appends x, of type t, to b, and the
// structs it needs functions for.
func genValue(t reflect.Type, x string) (string, []reflect.Type, error) {
	switch t.Kind() {
	case reflect.String:
		return fmt.Sprintf("w.str(b, %s)", x), nil, nil
	case reflect.Bool:
		return fmt.Sprintf("w.bool(b, %s)", x), nil, nil
	case reflect.Int:
		return fmt.Sprintf("w.int(b, %s)", x), nil, nil
	case reflect.Float64:
		return fmt.Sprintf("w.float(b, %s)", x), nil, nil
	case reflect.Struct:
		if t.PkgPath() != reflect.TypeFor[score.Result]().PkgPath() {
			return "", nil, fmt.Errorf("struct %s is outside package score", t)
		}
		ptr := "&" + x
		if strings.HasPrefix(x, "*") {
			ptr = x[1:]
		} else if strings.HasPrefix(x, "(*") {
			ptr = x[2 : len(x)-1]
		}
		return fmt.Sprintf("w.%s(b, %s)", encName(t), ptr), []reflect.Type{t}, nil
	case reflect.Pointer:
		switch e := t.Elem(); e.Kind() {
		case reflect.Int:
			return fmt.Sprintf("w.intPtr(b, %s)", x), nil, nil
		case reflect.Float64:
			return fmt.Sprintf("w.floatPtr(b, %s)", x), nil, nil
		case reflect.Struct:
			v, more, err := genValue(e, "(*"+x+")")
			return fmt.Sprintf("nullOr(w, b, %s == nil, func(b []byte) []byte { return %s })", x, v), more, err
		}
	case reflect.Slice:
		e := t.Elem()
		v, more, err := genValue(e, "*e")
		return fmt.Sprintf("array(w, b, %s, func(b []byte, e *%s) []byte { return %s })", x, typeText(e), v), more, err
	}
	return "", nil, fmt.Errorf("the encoder cannot write %s", t)
}

func typeText(t reflect.Type) string {
	if t.Kind() == reflect.Struct {
		return "score." + t.Name()
	}
	return t.String()
}

// nonEmpty is the condition under which omitempty writes x.
func nonEmpty(t reflect.Type, x string) string {
	switch t.Kind() {
	case reflect.Pointer:
		return x + " != nil"
	case reflect.Bool:
		return x
	case reflect.String:
		return x + ` != ""`
	case reflect.Slice:
		return "len(" + x + ") > 0"
	}
	return x + " != 0"
}
