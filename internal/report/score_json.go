package report

import (
	"bytes"
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
	body bytes.Buffer
	n    int
}

// Add encodes one result.
func (j *ScoresJSON) Add(res *score.Result) error {
	b, err := marshalIndent(res, "    ", "  ")
	if err != nil {
		return err
	}
	if j.n > 0 {
		j.body.WriteString(",\n")
	}
	j.body.WriteString("    ")
	j.body.Write(b)
	j.n++
	return nil
}

// WriteTo writes the whole document: s's header fields around the results
// added so far (s.Results is not read).
func (j *ScoresJSON) WriteTo(w io.Writer, s Scores) error {
	head, err := json.MarshalIndent(scoresDoc{
		Rubric:      rubricRef{s.Rubric.ID, s.Rubric.Version},
		Aggregation: string(s.Aggregation),
		Profile:     s.Profile,
		Assessments: []*score.Result{},
	}, "", "  ")
	if err != nil {
		return err
	}
	// The header ends `"assessments": []\n}`; the results go between the
	// brackets.
	open := strings.TrimSuffix(string(head), "]\n}")
	if _, err := io.WriteString(w, open); err != nil {
		return err
	}
	if j.n > 0 {
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
		if _, err := w.Write(j.body.Bytes()); err != nil {
			return err
		}
		if _, err := io.WriteString(w, "\n  "); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, "]\n}\n")
	return err
}
