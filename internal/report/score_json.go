package report

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"

	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/report/textsafe"
	"github.com/capscore/capscore/internal/score"
)

// ScoresStream writes the JSON or CSV of `capscore score` one result at a
// time, so a command can write each result as soon as it is scored, beside
// the workers still loading files, and keep none in memory. The bytes are
// those of WriteScores given every result at once. Nothing is written
// before the first Add (or Close); the JSON document is closed only by
// Close, so output cut short by a failure is never a whole document.
type ScoresStream struct {
	s      Scores // s.Results is not read
	f      Format
	w      *bufio.Writer
	csv    *textsafe.CSVWriter
	wt     string // the CSV's weights cell
	buf    []byte // one JSON result, reused
	n      int
	opened bool
}

// NewScoresStream starts the output of s (its header fields) in format f,
// JSON or CSV.
func NewScoresStream(w io.Writer, f Format, s Scores) *ScoresStream {
	st := &ScoresStream{s: s, f: f}
	if f == CSV {
		st.csv = textsafe.NewCSV(w)
	} else {
		st.w = bufio.NewWriterSize(w, 64<<10)
	}
	return st
}

// Add writes one result.
func (st *ScoresStream) Add(res *score.Result) error {
	if err := st.open(); err != nil {
		return err
	}
	if st.f == CSV {
		return st.csvResult(res)
	}
	if st.n == 0 {
		st.w.WriteString("\n    ")
	} else {
		st.w.WriteString(",\n    ")
	}
	st.n++
	var err error
	if st.buf, err = appendResult(st.buf[:0], res, "    "); err != nil {
		return err
	}
	// A bufio.Writer keeps its first error and returns it from every
	// later write.
	_, err = st.w.Write(st.buf)
	return err
}

// Close writes the end of the output and flushes it.
func (st *ScoresStream) Close() error {
	if err := st.open(); err != nil {
		return err
	}
	if st.f == CSV {
		return st.csv.Flush()
	}
	if st.n > 0 {
		st.w.WriteString("\n  ")
	}
	st.w.WriteString("]\n}\n")
	return st.w.Flush()
}

// open writes the head: the CSV header row, or the JSON document up to
// the opening bracket of its assessments.
func (st *ScoresStream) open() error {
	if st.opened {
		return nil
	}
	st.opened = true
	s := st.s
	if st.f == CSV {
		st.wt = textfmt.WeightsText(s.Rubric, s.Weights)
		head := []string{"file", "country", "code", "revision", "as_of", "pillar", "criterion", "weight", "stated_level", "level", "score", "contribution", "tier"}
		return st.csv.Write(append(head, csvColumns...)...)
	}
	head, err := json.MarshalIndent(scoresDoc{
		Rubric:      rubricRef{s.Rubric.ID, s.Rubric.Version},
		Aggregation: string(s.Aggregation),
		Profile:     s.Profile,
		layersJSON:  layersJSONOf(s.Layers, s.Rubric, s.Weights),
		Assessments: []*score.Result{},
	}, "", "  ")
	if err != nil {
		return err
	}
	// The document ends `"assessments": []\n}`; the results go between
	// the brackets.
	_, err = st.w.WriteString(strings.TrimSuffix(string(head), "]\n}"))
	return err
}
