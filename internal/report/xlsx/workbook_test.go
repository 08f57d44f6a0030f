package xlsx

import (
	"bytes"
	"math"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWorkbookCells writes one row of every kind of value and reads it
// back: numbers exact, nothing for NaN or an infinity, text quoted where
// a spreadsheet would run it, control characters kept out of the XML.
func TestWorkbookCells(t *testing.T) {
	tenth, third := 0.1, 1.0/3
	values := []any{tenth + 0.2, 66.66666666666667, 1e-20, 1.2345678901234567e20, -8.333333333333332, 5e-324,
		math.NaN(), math.Inf(1), (*float64)(nil), &third, 42, true, "", "=SUM(A1)", "-3", "-x", "plain", "bell\x07 and \x1b[31mred"}
	want := []string{"0.30000000000000004", "66.66666666666667", "1e-20", "1.2345678901234567e+20", "-8.333333333333332", "5e-324",
		"", "", "", "0.3333333333333333", "42", "1", "", "'=SUM(A1)", "-3", "'-x", "plain", ""}
	write := func() []byte {
		wb, err := newWorkbook()
		if err != nil {
			t.Fatal(err)
		}
		defer wb.close()
		header := make([]column, len(values))
		for i := range header {
			header[i] = col("c" + strconv.Itoa(i))
		}
		s, err := wb.addSheet("cells", header)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.add(values...); err != nil {
			t.Fatal(err)
		}
		if err := s.add(struct{}{}); err == nil {
			t.Error("a struct became a cell")
		}
		var buf bytes.Buffer
		if err := wb.write(&buf, "test"); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	data := write()
	if !bytes.Equal(data, write()) {
		t.Fatal("the same rows gave other bytes")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("cells", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	got := rows[1]
	for i, w := range want {
		g := ""
		if i < len(got) {
			g = got[i]
		}
		if i == len(want)-1 {
			// The control characters are the reader's to render; the
			// text around them must survive.
			if !bytes.Contains([]byte(g), []byte("bell")) || !bytes.Contains([]byte(g), []byte("red")) {
				t.Errorf("cell %d: %q", i, g)
			}
			continue
		}
		if i < 6 || i == 9 {
			// Numbers compare as numbers: the text form is excelize's.
			gv, err := strconv.ParseFloat(g, 64)
			wv, _ := strconv.ParseFloat(w, 64)
			if err != nil || gv != wv {
				t.Errorf("cell %d: %q, want %s", i, g, w)
			}
			continue
		}
		if g != w {
			t.Errorf("cell %d: %q, want %q", i, g, w)
		}
	}
	if typ, _ := f.GetCellType("cells", "L2"); typ != excelize.CellTypeBool {
		t.Errorf("a bool is a %v cell", typ)
	}
}

func TestDocDate(t *testing.T) {
	for in, want := range map[string]string{
		"2021-06-28": "2021-06-28T00:00:00Z", "2021-06": "2021-06-01T00:00:00Z", "2021": "2021-01-01T00:00:00Z",
		"": "", "21": "", "2021-xx": "", "2021-01-01-01": "",
	} {
		if got := docDate(in); got != want {
			t.Errorf("docDate(%q) = %q, want %q", in, got, want)
		}
	}
}
