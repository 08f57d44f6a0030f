package report

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"

	"github.com/capscore/capscore/internal/score"
)

// ScoresJSON renders the JSON of `capscore score` one assessment at a time,
// so a command can encode each result as soon as it is scored, beside the
// workers still loading files, and keep no result in memory. The bytes are
// those of encoding the whole document at once.
type ScoresJSON struct {
	// Each result's bytes are kept apart: one growing buffer would copy
	// the whole output again at every growth.
	parts [][]byte
	last  int // the size of the last part, to size the next
}

// Add encodes one result.
func (j *ScoresJSON) Add(res *score.Result) error {
	b, err := appendResult(append(make([]byte, 0, j.last+j.last/8+1024), "    "...), res, "    ")
	if err != nil {
		return err
	}
	j.parts = append(j.parts, b)
	j.last = len(b)
	return nil
}

// WriteTo writes the whole document: s's header fields around the results
// added so far (s.Results is not read).
func (j *ScoresJSON) WriteTo(w io.Writer, s Scores) error {
	head, err := json.MarshalIndent(scoresDoc{
		Rubric:      rubricRef{s.Rubric.ID, s.Rubric.Version},
		Aggregation: string(s.Aggregation),
		Profile:     s.Profile,
		layersJSON:  s.Layers.json(s.Rubric, s.Weights),
		Assessments: []*score.Result{},
	}, "", "  ")
	if err != nil {
		return err
	}
	// The header ends `"assessments": []\n}`; the results go between the
	// brackets. The parts are many and small: one buffer gathers them
	// into few writes.
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(strings.TrimSuffix(string(head), "]\n}"))
	for i, b := range j.parts {
		if i == 0 {
			bw.WriteString("\n")
		} else {
			bw.WriteString(",\n")
		}
		bw.Write(b)
	}
	if len(j.parts) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	// A bufio.Writer keeps its first error and returns it from Flush.
	return bw.Flush()
}
