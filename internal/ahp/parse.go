package ahp

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/yamlread"
	"go.yaml.in/yaml/v3"
)

// Pillars is the value of `over` that compares the pillars themselves.
const Pillars = "pillars"

// Judgements is a comparisons file read against a rubric:
//
//	over: pillars                 # or a pillar id, to weigh its criteria
//	comparisons:                  # every pair once: how many times more
//	  strategy>governance: 3      # the left one matters, 1–9 or 1/2…1/9
//	  ...
//
// or, instead of comparisons, a full reciprocal matrix:
//
//	ids: [strategy, governance, ...]   # optional; default the rubric's order
//	matrix:
//	  - [1, 3, 1/2, ...]
type Judgements struct {
	File string
	Over string
	// Pillar is the index of the pillar whose criteria are compared, -1
	// when the pillars are.
	Pillar int
	// IDs are the items compared, in rubric order; Matrix is indexed alike.
	IDs    []string
	Matrix [][]float64
	// Pos[i][j] is where the judgement of IDs[i] against IDs[j] is written.
	Pos [][]diag.Pos
	// written[i][j] marks the way round each pair was written: a>b for
	// comparisons, the cell of 1 or more for a matrix.
	written [][]bool
}

// Written returns the pair i, k in the order the analyst wrote it, so a
// message can quote the judgement as written.
func (j *Judgements) Written(i, k int) (first, second int) {
	if j.written[k][i] {
		return k, i
	}
	return i, k
}

// Parse reads a comparisons file, reporting every problem at FILE:LINE:COL.
func Parse(file string, data []byte, r *rubric.Rubric) (*Judgements, diag.List) {
	rd, root := yamlread.Parse(file, data)
	if root == nil {
		return nil, rd.Diags
	}
	j := &Judgements{File: file, Pillar: -1}
	var overNode, compNode, matrixNode, idsNode *yaml.Node
	ok := rd.Object(root, "comparisons file",
		yamlread.Field{Key: "over", Required: true, Decode: func(n *yaml.Node) { overNode = n }},
		yamlread.Field{Key: "comparisons", Decode: func(n *yaml.Node) { compNode = n }},
		yamlread.Field{Key: "ids", Decode: func(n *yaml.Node) { idsNode = n }},
		yamlread.Field{Key: "matrix", Decode: func(n *yaml.Node) { matrixNode = n }},
	)
	if !ok || overNode == nil || !j.over(rd, overNode, r) {
		return nil, rd.Diags
	}
	n := len(j.IDs)
	j.Matrix = make([][]float64, n)
	j.Pos = make([][]diag.Pos, n)
	j.written = make([][]bool, n)
	for i := range j.Matrix {
		j.Matrix[i] = make([]float64, n)
		j.Matrix[i][i] = 1
		j.Pos[i] = make([]diag.Pos, n)
		j.written[i] = make([]bool, n)
	}
	switch {
	case compNode != nil && matrixNode != nil:
		rd.Errorf(matrixNode, "give comparisons or a matrix, not both")
	case compNode != nil:
		if idsNode != nil {
			rd.Errorf(idsNode, "ids: only for a matrix; comparisons name their ids")
		}
		j.comparisons(rd, compNode, r)
	case matrixNode != nil:
		j.matrix(rd, idsNode, matrixNode, r)
	default:
		rd.Errorf(root, "comparisons file: give comparisons (a>b: 3 for every pair) or a matrix")
	}
	if rd.Diags.HasErrors() {
		return nil, rd.Diags
	}
	return j, rd.Diags
}

// over reads what is compared and sets the ids.
func (j *Judgements) over(rd *yamlread.Reader, n *yaml.Node, r *rubric.Rubric) bool {
	s, ok := rd.String(n, "over")
	if !ok {
		return false
	}
	j.Over = s
	if s == Pillars {
		for _, p := range r.Pillars {
			j.IDs = append(j.IDs, p.ID)
		}
	} else {
		ref, found := r.Lookup(s)
		switch {
		case !found:
			choices := append([]string{Pillars}, pillarIDs(r)...)
			rd.Errorf(n, "over: %q is not %q or a pillar of rubric %s%s", s, Pillars, r.ID, diag.DidYouMean(s, choices))
			return false
		case ref.Criterion >= 0:
			rd.Errorf(n, "over: %q is a criterion; compare the pillars (over: pillars) or one pillar's criteria (over: %s)", s, r.Pillars[ref.Pillar].ID)
			return false
		}
		j.Pillar = ref.Pillar
		for _, c := range r.Pillars[ref.Pillar].Criteria {
			j.IDs = append(j.IDs, c.ID)
		}
	}
	switch {
	case len(j.IDs) < 2:
		rd.Errorf(n, "over: %s has %d item(s); there is nothing to compare", s, len(j.IDs))
		return false
	case len(j.IDs) > MaxItems:
		rd.Errorf(n, "over: %s has %d items; the consistency ratio is defined for at most %d", s, len(j.IDs), MaxItems)
		return false
	}
	return true
}

func pillarIDs(r *rubric.Rubric) []string {
	ids := make([]string, len(r.Pillars))
	for i, p := range r.Pillars {
		ids[i] = p.ID
	}
	return ids
}

// index finds a compared id, explaining a near miss or an id of the wrong
// level.
func (j *Judgements) index(rd *yamlread.Reader, n *yaml.Node, what, id string, r *rubric.Rubric) (int, bool) {
	for i, x := range j.IDs {
		if x == id {
			return i, true
		}
	}
	scope := "the pillars"
	if j.Pillar >= 0 {
		scope = "the criteria of pillar " + j.Over
	}
	if ref, found := r.Lookup(id); found {
		kind := "a pillar"
		if ref.Criterion >= 0 {
			kind = "a criterion of pillar " + r.Pillars[ref.Pillar].ID
		}
		rd.Errorf(n, "%s: %q is %s; this file compares %s (over: %s)", what, id, kind, scope, j.Over)
	} else {
		rd.Errorf(n, "%s: %q is not one of %s%s", what, id, scope, diag.DidYouMean(id, j.IDs))
	}
	return 0, false
}

func (j *Judgements) comparisons(rd *yamlread.Reader, n *yaml.Node, r *rubric.Rubric) {
	given := map[[2]int]int{} // pair (low, high) -> line
	rd.Entries(n, "comparisons", func(key string, k, v *yaml.Node) {
		a, b, found := strings.Cut(key, ">")
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		if !found || a == "" || b == "" || strings.Contains(b, ">") {
			rd.Errorf(k, "comparisons: key %q: write first>second, e.g. strategy>governance: 3", key)
			return
		}
		what := "comparisons." + key
		i, okA := j.index(rd, k, what, a, r)
		jj, okB := j.index(rd, k, what, b, r)
		if !okA || !okB {
			return
		}
		if i == jj {
			rd.Errorf(k, "%s: an item compared with itself is always 1; remove it", what)
			return
		}
		pair := [2]int{min(i, jj), max(i, jj)}
		if line, dup := given[pair]; dup {
			rd.Errorf(k, "%s: %s and %s are already compared at line %d; keep one", what, a, b, line)
			return
		}
		x, ok := judgement(rd, v, what)
		if !ok {
			return
		}
		given[pair] = k.Line
		j.Matrix[i][jj], j.Matrix[jj][i] = x, 1/x
		j.Pos[i][jj], j.Pos[jj][i] = rd.Pos(k), rd.Pos(k)
		j.written[i][jj] = true
	})
	if rd.Diags.HasErrors() {
		return
	}
	var missing []string
	total := 0
	for a := range j.IDs {
		for b := a + 1; b < len(j.IDs); b++ {
			total++
			if _, ok := given[[2]int{a, b}]; !ok {
				missing = append(missing, j.IDs[a]+">"+j.IDs[b])
			}
		}
	}
	if len(missing) > 0 {
		shown := missing
		more := ""
		if len(shown) > 6 {
			shown, more = shown[:6], fmt.Sprintf(" and %d more", len(missing)-6)
		}
		rd.Errorf(n, "comparisons: %d of %d pairs have no judgement: %s%s; compare every pair (1 when they matter equally)",
			len(missing), total, strings.Join(shown, ", "), more)
	}
}

func (j *Judgements) matrix(rd *yamlread.Reader, idsNode, n *yaml.Node, r *rubric.Rubric) {
	size := len(j.IDs)
	// perm[k] is the rubric index of the matrix's k-th row.
	perm := make([]int, size)
	for k := range perm {
		perm[k] = k
	}
	if idsNode != nil {
		var got []int
		seen := map[int]bool{}
		rd.Seq(idsNode, "ids", func(_ int, item *yaml.Node) {
			id, ok := rd.String(item, "ids")
			if !ok {
				return
			}
			i, ok := j.index(rd, item, "ids", id, r)
			if !ok {
				return
			}
			if seen[i] {
				rd.Errorf(item, "ids: %q is listed twice", id)
				return
			}
			seen[i] = true
			got = append(got, i)
		})
		if rd.Diags.HasErrors() {
			return
		}
		if len(got) != size {
			var missing []string
			for i, id := range j.IDs {
				if !seen[i] {
					missing = append(missing, id)
				}
			}
			rd.Errorf(idsNode, "ids: %s missing; list all %d of %s", strings.Join(missing, ", "), size, j.Over)
			return
		}
		perm = got
	}
	rows := 0
	rd.Seq(n, "matrix", func(a int, row *yaml.Node) {
		rows++
		if a >= size {
			rd.Errorf(row, "matrix: row %d is one too many; %s has %d items", a+1, j.Over, size)
			return
		}
		cols := 0
		rd.Seq(row, fmt.Sprintf("matrix row %d", a+1), func(b int, cell *yaml.Node) {
			cols++
			if b >= size {
				return
			}
			x, ok := judgement(rd, cell, fmt.Sprintf("matrix row %d (%s), column %d (%s)", a+1, j.IDs[perm[a]], b+1, j.IDs[perm[b]]))
			if !ok {
				return
			}
			if a == b && x != 1 {
				rd.Errorf(cell, "matrix row %d, column %d: %s compared with itself is 1", a+1, b+1, j.IDs[perm[a]])
				return
			}
			j.Matrix[perm[a]][perm[b]] = x
			j.Pos[perm[a]][perm[b]] = rd.Pos(cell)
			j.written[perm[a]][perm[b]] = x > 1 || x == 1 && a < b
		})
		if row.Kind == yaml.SequenceNode && cols != size {
			rd.Errorf(row, "matrix row %d has %d entries; %s needs %d", a+1, cols, j.Over, size)
		}
	})
	if rd.Diags.HasErrors() {
		return
	}
	if rows < size {
		rd.Errorf(n, "matrix: %d rows; %s needs %d", rows, j.Over, size)
		return
	}
	for a := range size {
		for b := a + 1; b < size; b++ {
			x, y := j.Matrix[perm[a]][perm[b]], j.Matrix[perm[b]][perm[a]]
			if x*y < 1-1e-9 || x*y > 1+1e-9 {
				rd.Diags.Errorf(j.Pos[perm[b]][perm[a]], "matrix row %d, column %d is %s but row %d, column %d is %s; write %s, the reciprocal",
					b+1, a+1, Format(y), a+1, b+1, Format(x), Format(1/x))
			}
		}
	}
}

// judgement reads a value on Saaty's scale: a whole number 1–9, or 1/2 to
// 1/9 for the reverse.
func judgement(rd *yamlread.Reader, n *yaml.Node, what string) (float64, bool) {
	bad := func() (float64, bool) {
		rd.Errorf(n, "%s: %s is not on Saaty's scale; write a whole number 1–9 (how many times more the first matters) or 1/2 to 1/9", what, kindOf(n))
		return 0, false
	}
	if n.Kind != yaml.ScalarNode {
		return bad()
	}
	switch n.Tag {
	case "!!int":
		k, err := strconv.Atoi(n.Value)
		if err != nil || k < 1 || k > 9 {
			return bad()
		}
		return float64(k), true
	case "!!str":
		num, den, ok := strings.Cut(strings.ReplaceAll(n.Value, " ", ""), "/")
		k, err := strconv.Atoi(den)
		if !ok || num != "1" || err != nil || k < 2 || k > 9 {
			return bad()
		}
		return 1 / float64(k), true
	}
	return bad()
}

func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return strconv.Quote(n.Value)
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "this"
}

// Format writes a judgement as on Saaty's scale: "3", "1/3", or for a
// ratio between scale values "2.37" and "1/2.37".
func Format(x float64) string {
	if r := math.Round(x); math.Abs(x-r) < 1e-9 && r >= 1 {
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	if x < 1 {
		return "1/" + Format(1/x)
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}
