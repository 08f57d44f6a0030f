package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// fileCalls are the calls that read or list files. Inputs (rubrics,
// assessments, config files, AHP judgements) are read through load only,
// so that every command takes the same names (bundled ones included),
// applies the same size limit and refuses the same kinds of file.
var fileCalls = map[string]bool{
	"os.Open": true, "os.OpenFile": true, "os.ReadFile": true, "os.ReadDir": true, "os.DirFS": true,
	"filepath.Walk": true, "filepath.WalkDir": true, "fs.WalkDir": true, "fs.ReadFile": true, "fs.ReadDir": true,
	"ioutil.ReadFile": true, "ioutil.ReadDir": true,
}

// allowed are the functions that may make such a call, each with why it
// reads no input.
var allowed = map[string]string{
	"cli/output.go:createTemp":   "creates the temporary file that --output and export write (O_WRONLY|O_CREATE|O_EXCL)",
	"cli/compare.go:yamlEntries": "lists a folder's names for shell completion; reads no file",
}

// TestOnlyLoadReadsInputs fails when code in cli or server calls a function
// that reads or lists files outside the allowed list: such code would be a
// second way in beside load.
func TestOnlyLoadReadsInputs(t *testing.T) {
	var found []string
	used := map[string]bool{}
	for _, dir := range []string{".", "../server"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			pkg := filepath.Base(filepath.Dir(mustAbs(t, file)))
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok {
					continue
				}
				where := pkg + "/" + filepath.Base(file) + ":" + fn.Name.Name
				ast.Inspect(fn, func(n ast.Node) bool {
					sel, ok := n.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					id, ok := sel.X.(*ast.Ident)
					if !ok || !fileCalls[id.Name+"."+sel.Sel.Name] {
						return true
					}
					if _, ok := allowed[where]; ok {
						used[where] = true
						return true
					}
					found = append(found, fset.Position(sel.Pos()).String()+": "+where+" calls "+id.Name+"."+sel.Sel.Name)
					return true
				})
			}
		}
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("%s; read inputs through internal/load, or add the function to allowed with the reason it reads no input", f)
	}
	for where := range allowed {
		if !used[where] {
			t.Errorf("%s is allowed to touch files but no longer does; drop it from allowed", where)
		}
	}
}

func mustAbs(t *testing.T, name string) string {
	t.Helper()
	abs, err := filepath.Abs(name)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
