package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/weights"
	"github.com/xuri/excelize/v2"
)

// workbook writes one sheet per table, each streamed row by row so a large
// run does not hold its cells in memory. Numbers are written as numbers at
// full precision, text as text with formula cells neutralised, never a
// formula; the same input gives the same bytes.
type workbook struct {
	f      *excelize.File
	bold   int
	sheets []*sheet
	// asOf is the newest as_of of the assessments, which dates the
	// workbook instead of the clock.
	asOf string
}

// sheet is one table being written.
type sheet struct {
	sw    *excelize.StreamWriter
	name  string
	width int
	rows  int
}

// column is a sheet's header cell and how wide to show it.
type column struct {
	name  string
	width float64
}

// col is a column as wide as its name; wide is one for running text.
func col(name string) column  { return column{name: name} }
func wide(name string) column { return column{name: name, width: 60} }

func cols(names ...string) []column {
	out := make([]column, len(names))
	for i, n := range names {
		out[i] = col(n)
	}
	return out
}

// concat joins headers into a new one.
func concat(parts ...[]column) []column {
	var out []column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// newWorkbook creates an empty workbook; close it when done.
func newWorkbook() (*workbook, error) {
	f := excelize.NewFile()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &workbook{f: f, bold: bold}, nil
}

// addSheet starts a sheet with a bold, frozen header row.
func (wb *workbook) addSheet(name string, header []column) (*sheet, error) {
	f := wb.f
	if len(wb.sheets) == 0 {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	names := make([]any, len(header))
	for i, c := range header {
		names[i] = c.name
		w := c.width
		if w == 0 {
			w = math.Max(10, float64(len(c.name))+2)
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	s := &sheet{sw: sw, name: name, width: len(header), rows: 1}
	wb.sheets = append(wb.sheets, s)
	return s, sw.SetRow("A1", names, excelize.RowOpts{StyleID: wb.bold})
}

// exact marks a number the stream writer would round: excelize keeps 15
// significant digits, so such a number is written as text after this
// mark and sortedZip turns the cell back into a number. The mark is a
// noncharacter no text from input keeps (see add).
const exact = "\uFDD0"

// add writes one row: text neutralised as in CSV, numbers at full
// precision, and an empty cell for nil, NaN or an infinity.
func (s *sheet) add(values ...any) error {
	row := make([]any, len(values))
	for i, v := range values {
		c, err := cell(v)
		if err != nil {
			return err
		}
		row[i] = c
	}
	s.rows++
	ref, err := excelize.CoordinatesToCellName(1, s.rows)
	if err != nil {
		return err
	}
	return s.sw.SetRow(ref, row)
}

func cell(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if x == "" {
			return nil, nil
		}
		// A string is always written as text, never as a formula; the
		// quote keeps a spreadsheet from making it one on editing.
		return textsafe.SafeCell(strings.ReplaceAll(x, exact, "\uFFFD")), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, nil
		}
		full := strconv.FormatFloat(x, 'g', -1, 64)
		if v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64); v != x {
			return exact + full, nil
		}
		return x, nil
	case *float64:
		if x == nil {
			return nil, nil
		}
		return cell(*x)
	case *int:
		if x == nil {
			return nil, nil
		}
		return *x, nil
	case int, uint64, bool:
		return x, nil
	}
	return nil, fmt.Errorf("xlsx: no cell for a %T", v)
}

// setAsOf keeps the newest as_of seen, to date the workbook.
func (wb *workbook) setAsOf(asOf string) {
	if asOf > wb.asOf {
		wb.asOf = asOf
	}
}

// write filters every sheet's columns and writes the workbook to w.
func (wb *workbook) write(w io.Writer, title string) error {
	for _, s := range wb.sheets {
		if s.rows < 2 {
			continue
		}
		last, err := excelize.CoordinatesToCellName(s.width, s.rows)
		if err != nil {
			return err
		}
		// The stream shares its worksheet with the file until Flush,
		// so the filter lands in what Flush writes.
		if err := wb.f.AutoFilter(s.name, "A1:"+last, nil); err != nil {
			return err
		}
	}
	for _, s := range wb.sheets {
		if err := s.sw.Flush(); err != nil {
			return err
		}
	}
	wb.f.SetActiveSheet(0)
	// excelize dates a new workbook with a fixed time; the newest as_of
	// is a date that means something and still keeps the bytes stable.
	props := &excelize.DocProperties{Creator: "capscore", Title: title}
	if d := docDate(wb.asOf); d != "" {
		props.Created, props.Modified = d, d
	}
	if err := wb.f.SetDocProps(props); err != nil {
		return err
	}
	// sortedZip puts every part in one order and dates none of them,
	// so the bytes never change between runs.
	wb.f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &sortedZip{zw: zip.NewWriter(w)} })
	buf, err := wb.f.WriteToBuffer()
	if err != nil {
		return err
	}
	_, err = buf.WriteTo(w)
	return err
}

// close releases the workbook.
func (wb *workbook) close() error { return wb.f.Close() }

// docDate turns an as_of (2021, 2021-04 or 2021-04-01) into a W3C
// date-time, "" when it is not one.
func docDate(asOf string) string {
	parts := strings.Split(asOf, "-")
	if len(parts) == 0 || len(parts) > 3 || len(parts[0]) != 4 {
		return ""
	}
	for len(parts) < 3 {
		parts = append(parts, "01")
	}
	for _, p := range parts {
		for _, r := range p {
			if r < '0' || r > '9' {
				return ""
			}
		}
	}
	return strings.Join(parts, "-") + "T00:00:00Z"
}

// sortedZip is a zip writer that compresses each part as it is written and
// stores the parts in a fixed order on Close: [Content_Types].xml first, as
// readers expect, then by name. Every part is dated 1980-01-01. In the
// worksheets it turns each cell of text marked exact back into a number.
type sortedZip struct {
	zw    *zip.Writer
	parts []*zipPart
}

type zipPart struct {
	name string
	buf  bytes.Buffer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
	// sheet parts are rewritten a whole cell at a time; carry holds the
	// bytes after the last complete cell.
	sheet bool
	carry []byte
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	p := &zipPart{name: name, crc: crc32.NewIEEE(), sheet: strings.HasPrefix(name, "xl/worksheets/")}
	fw, err := flate.NewWriter(&p.buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	p.fw = fw
	z.parts = append(z.parts, p)
	return p, nil
}

func (p *zipPart) Write(b []byte) (int, error) {
	if !p.sheet {
		return len(b), p.emit(b)
	}
	p.carry = append(p.carry, b...)
	if k := bytes.LastIndex(p.carry, cellEnd); k >= 0 {
		k += len(cellEnd)
		if err := p.emit(unmark(p.carry[:k])); err != nil {
			return 0, err
		}
		p.carry = append(p.carry[:0], p.carry[k:]...)
	}
	return len(b), nil
}

func (p *zipPart) emit(b []byte) error {
	p.crc.Write(b)
	p.size += uint64(len(b))
	_, err := p.fw.Write(b)
	return err
}

var (
	cellEnd   = []byte("</c>")
	exactOpen = []byte(` t="inlineStr"><is><t>` + exact)
	exactEnd  = []byte("</t></is>")
)

// unmark rewrites complete cells of text marked exact as numbers:
// <c r="A2" t="inlineStr"><is><t>MARK1.5</t></is></c> to
// <c r="A2"><v>1.5</v></c>.
func unmark(b []byte) []byte {
	if !bytes.Contains(b, exactOpen) {
		return b
	}
	var out []byte
	for {
		i := bytes.Index(b, exactOpen)
		if i < 0 {
			return append(out, b...)
		}
		num := b[i+len(exactOpen):]
		j := bytes.Index(num, exactEnd)
		if j < 0 {
			return append(out, b...)
		}
		out = append(append(append(append(out, b[:i]...), "><v>"...), num[:j]...), "</v>"...)
		b = num[j+len(exactEnd):]
	}
}

func (z *sortedZip) AddFS(fs.FS) error {
	return errors.New("xlsx: adding a file system is not supported")
}

// zipEpoch dates every part: 1980-01-01, the first date zip can hold.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

func (z *sortedZip) Close() error {
	sort.SliceStable(z.parts, func(i, j int) bool {
		a, b := z.parts[i].name, z.parts[j].name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	for _, p := range z.parts {
		if err := p.emit(unmark(p.carry)); err != nil {
			return err
		}
		if err := p.fw.Close(); err != nil {
			return err
		}
		w, err := z.zw.CreateRaw(&zip.FileHeader{
			Name: p.name, Method: zip.Deflate, CRC32: p.crc.Sum32(),
			CompressedSize64: uint64(p.buf.Len()), UncompressedSize64: p.size,
			Modified: zipEpoch,
		})
		if err != nil {
			return err
		}
		if _, err := w.Write(p.buf.Bytes()); err != nil {
			return err
		}
	}
	return z.zw.Close()
}

// weightsHeader and addWeights list every effective weight as `capscore
// weights --format csv` does, with the pillar or criterion title; label,
// when not nil, fills a first column naming the column of a comparison.
func weightsHeader(label bool) []column {
	h := []column{col("pillar"), col("criterion"), wide("title"), col("relative"), col("normalised"), col("of_overall"), col("layer"), wide("origin")}
	if label {
		h = append([]column{wide("column")}, h...)
	}
	return h
}

func addWeights(s *sheet, r *rubric.Rubric, w *weights.Set, label *string) error {
	for _, e := range w.Effective(r) {
		pl := &r.Pillars[e.Pillar]
		pillar, crit, title := e.ID, "", pl.Title
		if e.Criterion >= 0 {
			pillar, crit, title = pl.ID, e.ID, pl.Criteria[e.Criterion].Title
		}
		row := []any{pillar, crit, title, e.Relative, e.Normalised, e.OfOverall, string(e.Origin.Layer), e.Origin.String()}
		if label != nil {
			row = append([]any{*label}, row...)
		}
		if err := s.add(row...); err != nil {
			return err
		}
	}
	return nil
}
