package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// book is a workbook read back: every sheet's rows as stored (raw values).
type book struct {
	sheets []string
	rows   map[string][][]string
	f      *excelize.File
}

// readBook opens a workbook and checks what must hold of every cell: no
// formula anywhere, numbers stored as numbers, and no text a spreadsheet
// would run as a formula.
func readBook(t *testing.T, path string) *book {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	b := &book{sheets: f.GetSheetList(), rows: map[string][][]string{}, f: f}
	for _, name := range b.sheets {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		b.rows[name] = rows
		for r, row := range rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, _ := f.GetCellFormula(name, ref); fm != "" {
					t.Errorf("%s!%s is a formula: %q", name, ref, fm)
				}
				typ, _ := f.GetCellType(name, ref)
				switch typ {
				case excelize.CellTypeUnset, excelize.CellTypeNumber:
					if _, err := strconv.ParseFloat(v, 64); err != nil {
						t.Errorf("%s!%s: number cell holds %q", name, ref, v)
					}
				case excelize.CellTypeInlineString, excelize.CellTypeSharedString:
					if strings.ContainsAny(v[:1], "=+-@\t\r") {
						t.Errorf("%s!%s: text %q would run as a formula", name, ref, v)
					}
				}
			}
		}
	}
	return b
}

// header is a sheet's first row.
func (b *book) header(t *testing.T, sheet string) []string {
	t.Helper()
	rows := b.rows[sheet]
	if len(rows) == 0 {
		t.Fatalf("sheet %s is empty", sheet)
	}
	return rows[0]
}

// records are a sheet's rows after the header as maps by column name.
func (b *book) records(t *testing.T, sheet string) []map[string]string {
	t.Helper()
	h := b.header(t, sheet)
	var out []map[string]string
	for _, row := range b.rows[sheet][1:] {
		m := map[string]string{}
		for i, v := range row {
			m[h[i]] = v
		}
		out = append(out, m)
	}
	return out
}

// number reads a numeric cell; "" for an empty one gives ok false.
func number(t *testing.T, s string) (float64, bool) {
	t.Helper()
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v, true
}

// sameNumber checks a cell against a JSON number, exactly; nil wants an
// empty cell.
func sameNumber(t *testing.T, what, cell string, want *float64) {
	t.Helper()
	got, ok := number(t, cell)
	switch {
	case want == nil && ok:
		t.Errorf("%s: cell %v, want empty", what, got)
	case want != nil && !ok:
		t.Errorf("%s: empty cell, want %v", what, *want)
	case want != nil && got != *want:
		t.Errorf("%s: cell %v, want %v", what, got, *want)
	}
}

// writeXLSX runs a command writing a workbook into a temporary folder and
// returns its path.
func writeXLSX(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.xlsx")
	res := runCLI(t, nil, append(args, "--format", "xlsx", "-o", out)...)
	if res.code != ExitOK || res.stdout != "" {
		t.Fatalf("%v: exit %d, stdout %q: %s", args, res.code, res.stdout, res.stderr)
	}
	return out
}

// jsonOf runs a command with --format json and decodes what it printed.
func jsonOf(t *testing.T, v any, args ...string) {
	t.Helper()
	res := runCLI(t, nil, append(args, "--format", "json")...)
	if res.code != ExitOK {
		t.Fatalf("%v: exit %d: %s", args, res.code, res.stderr)
	}
	if err := json.Unmarshal([]byte(res.stdout), v); err != nil {
		t.Fatal(err)
	}
}

// sameBytes writes the workbook again and wants the same bytes.
func sameBytes(t *testing.T, path string, args ...string) {
	t.Helper()
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		again, err := os.ReadFile(writeXLSX(t, args...))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatalf("%v: two runs wrote different workbooks", args)
		}
	}
}

func wantSheets(t *testing.T, b *book, want ...string) {
	t.Helper()
	if !slices.Equal(b.sheets, want) {
		t.Fatalf("sheets %v, want %v", b.sheets, want)
	}
}

func wantHeader(t *testing.T, b *book, sheet string, want ...string) {
	t.Helper()
	if got := b.header(t, sheet); !slices.Equal(got, want) {
		t.Errorf("%s header %v, want %v", sheet, got, want)
	}
}

func TestScoreXLSX(t *testing.T) {
	chdirRepo(t)
	args := []string{"score", "--weight", "offence=2"}
	path := writeXLSX(t, args...)
	b := readBook(t, path)
	wantSheets(t, b, "overall", "pillars", "criteria", "evidence", "sources", "weights", "run")
	wantHeader(t, b, "overall", "file", "country", "code", "revision", "as_of", "overall", "rank", "tier", "tier_label", "coverage")
	wantHeader(t, b, "pillars", "file", "country", "code", "revision", "pillar", "title", "weight", "score", "contribution", "mean_level", "level_label")
	wantHeader(t, b, "criteria", "file", "country", "code", "revision", "pillar", "criterion", "title", "weight", "stated_level", "measured_level",
		"level", "score", "contribution", "counted", "capped", "sources", "confidence", "rationale")
	wantHeader(t, b, "evidence", "file", "country", "code", "revision", "pillar", "criterion", "kind", "item", "text", "fact", "value",
		"source", "source_title", "author", "publisher", "date", "url")
	wantHeader(t, b, "sources", "file", "country", "code", "revision", "source", "title", "author", "publisher", "date", "url", "cited")
	wantHeader(t, b, "weights", "pillar", "criterion", "title", "relative", "normalised", "of_overall", "layer", "origin")

	// Every number the JSON prints, the workbook holds exactly.
	var doc struct {
		Assessments []struct {
			File    string   `json:"file"`
			Overall *float64 `json:"overall"`
			Tier    *struct {
				ID string `json:"id"`
			} `json:"tier"`
			Coverage float64 `json:"coverage"`
			Pillars  []struct {
				ID           string   `json:"id"`
				Weight       float64  `json:"weight"`
				Score        *float64 `json:"score"`
				Contribution *float64 `json:"contribution"`
				Criteria     []struct {
					ID    string   `json:"id"`
					Score *float64 `json:"score"`
					Level *int     `json:"level"`
				} `json:"criteria"`
			} `json:"pillars"`
		} `json:"assessments"`
	}
	jsonOf(t, &doc, args...)
	overall, pillars, criteria := b.records(t, "overall"), b.records(t, "pillars"), b.records(t, "criteria")
	if len(overall) != len(doc.Assessments) || len(doc.Assessments) < 2 {
		t.Fatalf("%d overall rows for %d assessments", len(overall), len(doc.Assessments))
	}
	p, c := 0, 0
	for i, a := range doc.Assessments {
		row := overall[i]
		if row["file"] != a.File || a.Tier == nil || row["tier"] != a.Tier.ID {
			t.Errorf("overall row %d: %v, want %s tier %v", i, row, a.File, a.Tier)
		}
		sameNumber(t, a.File+" overall", row["overall"], a.Overall)
		sameNumber(t, a.File+" coverage", row["coverage"], &a.Coverage)
		for _, pl := range a.Pillars {
			row := pillars[p]
			p++
			if row["file"] != a.File || row["pillar"] != pl.ID {
				t.Fatalf("pillar row %v, want %s %s", row, a.File, pl.ID)
			}
			sameNumber(t, a.File+" "+pl.ID+" weight", row["weight"], &pl.Weight)
			sameNumber(t, a.File+" "+pl.ID+" score", row["score"], pl.Score)
			sameNumber(t, a.File+" "+pl.ID+" contribution", row["contribution"], pl.Contribution)
			for _, cr := range pl.Criteria {
				row := criteria[c]
				c++
				if row["criterion"] != cr.ID {
					t.Fatalf("criterion row %v, want %s", row, cr.ID)
				}
				sameNumber(t, a.File+" "+cr.ID+" score", row["score"], cr.Score)
				var level *float64
				if cr.Level != nil {
					l := float64(*cr.Level)
					level = &l
				}
				sameNumber(t, a.File+" "+cr.ID+" level", row["level"], level)
			}
		}
	}
	if p != len(pillars) || c != len(criteria) {
		t.Errorf("%d pillar and %d criterion rows, JSON has %d and %d", len(pillars), len(criteria), p, c)
	}
	ranks := map[string]bool{}
	for _, row := range overall {
		ranks[row["rank"]] = true
	}
	if len(ranks) != len(overall) || !ranks["1"] {
		t.Errorf("ranks %v: want 1 to %d", ranks, len(overall))
	}

	// Booleans are booleans, and evidence names its sources in full.
	if typ, _ := b.f.GetCellType("criteria", "N2"); typ != excelize.CellTypeBool {
		t.Errorf("counted is a %v cell, want a boolean", typ)
	}
	var cited bool
	for _, row := range b.records(t, "evidence") {
		if row["kind"] == "claim" && row["text"] != "" && row["source"] != "" && row["source_title"] != "" {
			cited = true
		}
	}
	if !cited {
		t.Error("no evidence row carries a claim with its source's title")
	}

	// The weights name every layer: the flag here.
	var flag bool
	for _, row := range b.records(t, "weights") {
		if row["pillar"] == "offence" && row["criterion"] == "" {
			flag = row["relative"] == "2" && row["layer"] == "flag" && row["origin"] == "flag --weight offence=2"
		}
	}
	if !flag {
		t.Errorf("weights sheet does not show offence=2 from the flag: %v", b.rows["weights"][:3])
	}
	sameBytes(t, path, args...)
}

// TestXLSXNeutralisesFormulas scores a file whose text reads as formulas.
func TestXLSXNeutralisesFormulas(t *testing.T) {
	b := readBook(t, writeXLSX(t, "score", "testdata/xlsx/formula.yaml"))
	for _, tt := range []struct{ sheet, col, want string }{
		{"evidence", "text", `'=HYPERLINK("http://evil.example","click me")`},
		{"evidence", "source_title", `'+cmd|' /C calc'!A0`},
		{"evidence", "publisher", `'-2+3`},
		{"evidence", "url", `'=HYPERLINK("http://evil.example")`},
		{"sources", "publisher", `'@Statistics`},
		{"sources", "url", `'=HYPERLINK("http://evil.example")`},
		{"criteria", "rationale", `'@SUM(1+1) is how the strategy reads`},
	} {
		var seen []string
		for _, row := range b.records(t, tt.sheet) {
			if row[tt.col] != "" {
				seen = append(seen, row[tt.col])
			}
		}
		if !slices.Contains(seen, tt.want) {
			t.Errorf("%s %s: %q, want %q among them", tt.sheet, tt.col, seen, tt.want)
		}
	}
	// Unscored pillars leave their cells empty, not NaN.
	for _, row := range b.records(t, "pillars") {
		if row["pillar"] == "offence" && (row["score"] != "" || row["mean_level"] != "") {
			t.Errorf("unscored pillar: %v", row)
		}
	}
}

func TestCompareXLSX(t *testing.T) {
	chdirRepo(t)
	args := []string{"compare", "japan", "--weights-b", "offence=2"}
	path := writeXLSX(t, args...)
	b := readBook(t, path)
	wantSheets(t, b, "overall", "pillars", "changes", "evidence", "warnings", "weights", "run")
	wantHeader(t, b, "overall", "column", "label", "file", "country", "code", "revision", "as_of", "profile", "rubric", "rubric_version",
		"overall", "tier", "tier_label", "coverage", "against", "change", "evidence", "weights", "other_effect", "weights_differ")
	wantHeader(t, b, "pillars", "column", "label", "pillar", "title", "weight", "score", "contribution", "against", "change",
		"weight_change", "contribution_change")
	var doc struct {
		Columns []struct {
			Label   string   `json:"label"`
			Overall *float64 `json:"overall"`
			Pillars []struct {
				Score *float64 `json:"score"`
			} `json:"pillars"`
		} `json:"columns"`
		Steps []struct {
			Overall struct {
				Change *float64 `json:"change"`
			} `json:"overall"`
			Pillars []struct {
				Change       *float64 `json:"change"`
				Weight       struct{ Change *float64 }
				Contribution struct{ Change *float64 }
			} `json:"pillars"`
			Attribution *struct {
				Evidence float64 `json:"evidence"`
				Weights  float64 `json:"weights"`
			} `json:"attribution"`
			Changes []json.RawMessage `json:"changes"`
		} `json:"steps"`
	}
	jsonOf(t, &doc, args...)
	overall, pillars := b.records(t, "overall"), b.records(t, "pillars")
	if len(doc.Columns) != 2 || len(overall) != 2 || len(doc.Steps) != 1 || doc.Steps[0].Attribution == nil {
		t.Fatalf("%d columns in JSON, %d rows", len(doc.Columns), len(overall))
	}
	st := doc.Steps[0]
	for i, col := range doc.Columns {
		if overall[i]["label"] != col.Label {
			t.Errorf("row %d label %q, want %q", i, overall[i]["label"], col.Label)
		}
		sameNumber(t, col.Label+" overall", overall[i]["overall"], col.Overall)
	}
	sameNumber(t, "change", overall[1]["change"], st.Overall.Change)
	sameNumber(t, "evidence part", overall[1]["evidence"], &st.Attribution.Evidence)
	sameNumber(t, "weights part", overall[1]["weights"], &st.Attribution.Weights)
	if overall[0]["change"] != "" || overall[1]["against"] != doc.Columns[0].Label {
		t.Errorf("the first column has a change or the second no base: %v", overall)
	}
	n := len(doc.Columns[0].Pillars)
	if len(pillars) != 2*n {
		t.Fatalf("%d pillar rows, want %d", len(pillars), 2*n)
	}
	for p := range n {
		sameNumber(t, "pillar score", pillars[p]["score"], doc.Columns[0].Pillars[p].Score)
		sameNumber(t, "pillar score", pillars[n+p]["score"], doc.Columns[1].Pillars[p].Score)
		sameNumber(t, "pillar change", pillars[n+p]["change"], st.Pillars[p].Change)
		sameNumber(t, "pillar weight change", pillars[n+p]["weight_change"], st.Pillars[p].Weight.Change)
		sameNumber(t, "pillar contribution change", pillars[n+p]["contribution_change"], st.Pillars[p].Contribution.Change)
	}
	if got := len(b.records(t, "changes")); got != len(st.Changes) || got == 0 {
		t.Errorf("%d changed findings, JSON has %d", got, len(st.Changes))
	}
	// Each column's weights with their origin: --weights-b on the second.
	var origins []string
	for _, row := range b.records(t, "weights") {
		if row["pillar"] == "offence" && row["criterion"] == "" {
			origins = append(origins, row["column"]+": "+row["origin"])
		}
	}
	if len(origins) != 2 || !strings.HasSuffix(origins[1], ": flag --weights-b offence=2") || strings.Contains(origins[0], "flag") {
		t.Errorf("offence weights %q", origins)
	}
	sameBytes(t, path, args...)
}

func TestSensitivityXLSX(t *testing.T) {
	chdirRepo(t)
	args := []string{"sensitivity", "--samples", "300", "--sobol", "64", "--seed", "3"}
	path := writeXLSX(t, args...)
	b := readBook(t, path)
	wantSheets(t, b, "overall", "ranks", "pillars", "weights", "inputs", "run")
	var doc struct {
		Inputs []struct {
			SHA256 string `json:"sha256"`
		} `json:"inputs"`
		Tiers       []struct{ ID string } `json:"tiers"`
		Assessments []struct {
			File    string `json:"file"`
			Overall struct {
				Nominal, Mean, P05, P50, P95 float64
			} `json:"overall"`
			TierProbability []float64 `json:"tier_probability"`
			Rank            struct {
				Median int `json:"median"`
			} `json:"rank"`
			Pillars []struct {
				ID         string   `json:"id"`
				FirstOrder *float64 `json:"first_order"`
				Total      *float64 `json:"total"`
				TierDown   *struct {
					Factor float64 `json:"factor"`
				} `json:"tier_down"`
			} `json:"pillars"`
		} `json:"assessments"`
	}
	jsonOf(t, &doc, args...)
	overall, pillars := b.records(t, "overall"), b.records(t, "pillars")
	if len(overall) != len(doc.Assessments) || len(doc.Assessments) < 2 {
		t.Fatalf("%d rows for %d assessments", len(overall), len(doc.Assessments))
	}
	p := 0
	for i, a := range doc.Assessments {
		row := overall[i]
		if row["file"] != a.File {
			t.Fatalf("row %d is %s, want %s", i, row["file"], a.File)
		}
		d := a.Overall
		for _, st := range []struct {
			col string
			v   float64
		}{{"nominal", d.Nominal}, {"mean", d.Mean}, {"p05", d.P05}, {"p50", d.P50}, {"p95", d.P95}, {"rank_median", float64(a.Rank.Median)}} {
			sameNumber(t, a.File+" "+st.col, row[st.col], &st.v)
		}
		for j, tier := range doc.Tiers {
			sameNumber(t, a.File+" P(tier "+tier.ID+")", row["p_tier_"+tier.ID], &a.TierProbability[j])
		}
		for _, pl := range a.Pillars {
			row := pillars[p]
			p++
			if row["pillar"] != pl.ID {
				t.Fatalf("pillar row %v, want %s", row, pl.ID)
			}
			sameNumber(t, pl.ID+" first order", row["first_order"], pl.FirstOrder)
			sameNumber(t, pl.ID+" total", row["total"], pl.Total)
			var down *float64
			if pl.TierDown != nil {
				down = &pl.TierDown.Factor
			}
			sameNumber(t, pl.ID+" tier down", row["tier_down_factor"], down)
		}
	}
	inputs := b.records(t, "inputs")
	if len(inputs) != len(doc.Inputs) || inputs[0]["sha256"] != doc.Inputs[0].SHA256 {
		t.Errorf("inputs %v, JSON %v", inputs, doc.Inputs)
	}
	sameBytes(t, path, args...)
}

// TestXLSXNeedsFile refuses to write a workbook to standard output.
func TestXLSXNeedsFile(t *testing.T) {
	chdirRepo(t)
	for _, args := range [][]string{
		{"score", "--format", "xlsx"},
		{"compare", "japan", "--format", "xlsx", "-o", "-"},
		{"sensitivity", "--format", "xlsx"},
	} {
		res := runCLI(t, nil, args...)
		if res.code != ExitUsage || res.stdout != "" || !strings.Contains(res.stderr, "--format xlsx writes a binary workbook; give -o FILE.xlsx") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, res.code, res.stdout, res.stderr)
		}
	}
	// Commands without a workbook refuse the format.
	if res := runCLI(t, nil, "weights", "--format", "xlsx", "-o", filepath.Join(t.TempDir(), "w.xlsx")); res.code != ExitUsage {
		t.Errorf("weights --format xlsx: exit %d", res.code)
	}
}
