package weights

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const importPath = "github.com/capscore/capscore/internal/weights"

// TestOneStack reads every Go file of the module outside this package and
// fails where one builds weights other than through a Stack:
//
//   - a weights.Set written as a literal or made with new, anywhere;
//   - outside tests, a call of weights.Defaults (tests may use the
//     rubric's weights as a fixture) or a write to PillarOrigin or
//     CriterionOrigin, the record of which layer set a weight.
//
// Layers are applied only inside this package (apply is unexported, and
// there is no resolving of a list of layers in any order but the stack's),
// so these are the ways left. Engine code may
// still clone resolved weights and change their values to ask "what if"
// (sensitivity, break-even, a compare column's weights carried onto
// another rubric with Carry): that derives from effective weights, it
// resolves none.
func TestOneStack(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	importers := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			abs, err := filepath.Abs(path)
			if err != nil {
				return err
			}
			if name := d.Name(); abs == self || name == "testdata" || name == "vendor" || (strings.HasPrefix(name, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		problems, imports, err := stackBypasses(rel, src)
		if err != nil {
			return err
		}
		if imports {
			importers++
		}
		found = append(found, problems...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The walk must have seen the commands and the server, which all
	// resolve weights.
	if importers < 10 {
		t.Fatalf("only %d files import the weights package; is the walk reading the module?", importers)
	}
	for _, p := range found {
		t.Error(p + "; resolve a weights.Stack instead")
	}
}

// The check finds each kind of bypass, under any import name, and leaves
// the stack alone.
func TestOneStackFindsBypasses(t *testing.T) {
	src := `package x

import w "` + importPath + `"

func f(r any) {
	_ = &w.Set{}
	_ = new(w.Set)
	_ = []w.Set{{}}
	s := w.Defaults(nil)
	s.PillarOrigin[0] = w.Origin{}
	s.CriterionOrigin[0][1] = w.Origin{}
	s.PillarOrigin = nil
	_, _ = w.Stack{}.Resolve()
	s.Pillar[0] = 2
	_ = s.Clone()
}
`
	problems, imports, err := stackBypasses("x.go", []byte(src))
	if err != nil || !imports {
		t.Fatalf("%v, imports %v", err, imports)
	}
	want := []string{
		"x.go:6:7: a weights.Set literal",
		"x.go:7:6: a new weights.Set",
		"x.go:8:6: a weights.Set literal",
		"x.go:9:7: weights.Defaults",
		"x.go:10:2: a write to PillarOrigin",
		"x.go:11:2: a write to CriterionOrigin",
		"x.go:12:2: a write to PillarOrigin",
	}
	if len(problems) != len(want) {
		t.Fatalf("found %d:\n%s\nwant %d", len(problems), strings.Join(problems, "\n"), len(want))
	}
	for i, p := range problems {
		if !strings.HasPrefix(p, want[i]) {
			t.Errorf("found %q, want %q...", p, want[i])
		}
	}
	// In a test, the rubric's weights are a fixture.
	problems, _, _ = stackBypasses("x_test.go", []byte(src))
	if len(problems) != 3 {
		t.Errorf("in a test file, found %d, want the 3 literals: %v", len(problems), problems)
	}
}

// stackBypasses lists where file builds weights other than through a
// Stack, and says whether it imports the weights package at all.
func stackBypasses(file string, src []byte) ([]string, bool, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, false, err
	}
	name := ""
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p == importPath {
			name = "weights"
			if im.Name != nil {
				name = im.Name.Name
			}
		}
	}
	if name == "" || name == "_" {
		return nil, false, nil
	}
	test := strings.HasSuffix(file, "_test.go")
	isSet := func(e ast.Expr) bool { return isSel(e, name, "Set") }
	var out []string
	report := func(n ast.Node, what string) {
		out = append(out, fmt.Sprintf("%s: %s", fset.Position(n.Pos()), what))
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			if isSet(n.Type) || elemIsSet(n.Type, isSet) {
				report(n, "a weights.Set literal")
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "new" && len(n.Args) == 1 && isSet(n.Args[0]) {
				report(n, "a new weights.Set")
			}
			if !test && isSel(n.Fun, name, "Defaults") {
				report(n, "weights.Defaults, the rubric's weights without the stack")
			}
		case *ast.AssignStmt:
			if test {
				break
			}
			for _, lhs := range n.Lhs {
				if field := originField(lhs); field != "" {
					report(lhs, "a write to "+field+", which only the stack records")
				}
			}
		}
		return true
	})
	return out, true, nil
}

// isSel reports whether e is pkg.name.
func isSel(e ast.Expr, pkg, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok || s.Sel.Name != name {
		return false
	}
	id, ok := s.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// elemIsSet reports whether t is a slice, array or map of weights.Set
// (or of pointers to it), whose elements a literal may write as {...}.
func elemIsSet(t ast.Expr, isSet func(ast.Expr) bool) bool {
	var elem ast.Expr
	switch t := t.(type) {
	case *ast.ArrayType:
		elem = t.Elt
	case *ast.MapType:
		elem = t.Value
	default:
		return false
	}
	if star, ok := elem.(*ast.StarExpr); ok {
		elem = star.X
	}
	return isSet(elem)
}

// originField names the origin field that e writes through, if any:
// s.PillarOrigin, s.PillarOrigin[i], s.CriterionOrigin[i][j].
func originField(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.IndexExpr:
			e = x.X
		case *ast.SelectorExpr:
			if x.Sel.Name == "PillarOrigin" || x.Sel.Name == "CriterionOrigin" {
				return x.Sel.Name
			}
			return ""
		case *ast.ParenExpr:
			e = x.X
		default:
			return ""
		}
	}
}
