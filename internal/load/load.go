// Package load is the one way in for files: it turns the names a user
// gives (files, folders, bundled names) into inputs, reads them under the
// size limit, parses and validates them on one bounded pool of workers,
// and hands them back in a deterministic order, either all at once or as
// a stream. It prints nothing: problems in files come back as diag.List,
// files that cannot be read as errors. Each input can carry the SHA-256 of
// the bytes that were parsed.
package load

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/yamlread"
)

// Input is one file's name and bytes.
type Input struct {
	Name string
	Data []byte
	// SHA256 is the hex SHA-256 of Data, when asked for.
	SHA256 string
}

// Digest is the hex SHA-256 of data.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// File reads one file named in any of the forms Expand takes that name a
// single file, and returns it under the name it is printed by (a bundled
// file's bundled:… name), with its SHA-256.
func File(arg string) (Input, error) {
	name, err := one(arg)
	if err != nil {
		return Input{}, err
	}
	data, err := ReadFile(name)
	if err != nil {
		return Input{}, err
	}
	return Input{Name: name, Data: data, SHA256: Digest(data)}, nil
}

// one resolves arg to the name of one file.
func one(arg string) (string, error) {
	if IsBundled(arg) {
		p, err := bundledPath(arg)
		return Bundled + p, err
	}
	if _, err := os.Stat(arg); err == nil {
		return arg, nil
	}
	names, ok := shortName(arg)
	switch {
	case !ok:
		return arg, nil // ReadFile says why it cannot be read
	case len(names) > 1:
		return "", fmt.Errorf("%s names %d bundled files (%s); name one, as %s@REVISION", arg, len(names), strings.Join(names, ", "), arg)
	}
	return names[0], nil
}

// ReadFile reads a regular file (see Open), or a bundled file by its
// bundled:… name, refusing files over the size limit before reading them
// whole.
func ReadFile(name string) ([]byte, error) {
	if IsBundled(name) {
		return readBundled(name)
	}
	f, st, err := Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = fmt.Errorf("%w%s", err, suggest(name))
		}
		return nil, err
	}
	defer f.Close()
	// Sized from the file so that a read is one allocation; the limit still
	// holds if the file grows meanwhile.
	buf := bytes.NewBuffer(make([]byte, 0, min(st.Size(), yamlread.MaxFileSize)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, yamlread.MaxFileSize+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	data := buf.Bytes()
	if len(data) > yamlread.MaxFileSize {
		return nil, fmt.Errorf("%s: file is over the limit of %d bytes (8 MiB); split it or remove what it does not need", name, yamlread.MaxFileSize)
	}
	return data, nil
}

// unwrapPath drops the *PathError wrapper, whose path the caller already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Expand turns the names given into a list of YAML files:
//
//   - a file is itself; a folder is walked for *.yaml and *.yml, sorted;
//     entries of any other kind with such a name (a named pipe, a socket,
//     a device) are listed too, so that reading them reports each as an
//     error naming it;
//   - bundled:PATH is a bundled file, or every bundled file under a
//     bundled folder (bundled: alone is the whole bundle);
//   - where no file or folder of that name exists, COUNTRY@REVISION and
//     RUBRIC@VERSION name one bundled file and COUNTRY every bundled
//     revision of that country, ordered by as_of.
func Expand(args []string) ([]string, error) {
	var out []string
	for _, p := range args {
		if IsBundled(p) {
			bp, err := bundledPath(p)
			if err != nil {
				return nil, err
			}
			names, err := bundledUnder(bp)
			if err != nil {
				return nil, err
			}
			out = append(out, names...)
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			if names, ok := shortName(p); ok && errors.Is(err, fs.ErrNotExist) {
				out = append(out, names...)
				continue
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s: %w%s", p, unwrapPath(err), suggest(p))
			}
			return nil, fmt.Errorf("%s: %w", p, unwrapPath(err))
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isYAML(name) {
				found = append(found, diskName(name))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// diskName keeps a path found on disk from reading as a bundled name:
// the walk cleans ./bundled:x to bundled:x.
func diskName(name string) string {
	if IsBundled(name) {
		return "." + string(filepath.Separator) + name
	}
	return name
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// BundledRubric returns the bundled default rubric.
func BundledRubric() Input {
	return mustBundled(DefaultRubric)
}

// BundledAssessments returns the bundled assessments, sorted by name.
func BundledAssessments() []Input {
	names, _ := bundledUnder("assessments")
	out := make([]Input, len(names))
	for i, n := range names {
		out[i] = mustBundled(n)
	}
	return out
}

func mustBundled(name string) Input {
	data, err := readBundled(name)
	if err != nil {
		// The files are embedded at build time; their absence is a build
		// error.
		panic(err)
	}
	return Input{Name: name, Data: data}
}

// Rubric reads and validates the rubric named file (any form File takes),
// or the bundled one when file is "". Errors in the file come back as a
// diag.List error.
func Rubric(file string) (*rubric.Rubric, diag.List, error) {
	r, _, ds, err := RubricInput(file)
	return r, ds, err
}

// RubricInput is Rubric that also gives the rubric's name as printed and
// the SHA-256 of the bytes parsed (Data is left out).
func RubricInput(file string) (*rubric.Rubric, Input, diag.List, error) {
	if file == "" {
		file = DefaultRubric
	}
	in, err := File(file)
	if err != nil {
		return nil, Input{}, nil, err
	}
	r, ds := rubric.Parse(in.Name, in.Data)
	in.Data = nil
	ds.Sort()
	if ds.HasErrors() {
		return nil, in, ds.Warnings(), ds.Errors()
	}
	return r, in, ds, nil
}

// Read reads files; a file that cannot be read is an error of its own.
func Read(names []string) ([]Input, error) {
	return ReadContext(context.Background(), names)
}

// ReadContext is Read that stops reading when ctx is cancelled and then
// returns its error.
func ReadContext(ctx context.Context, names []string) ([]Input, error) {
	out := make([]Input, len(names))
	errs := make([]error, len(names))
	err := pool(ctx, len(names), func(_ *yamlread.Buffer, i int) Input {
		data, err := ReadFile(names[i])
		errs[i] = err
		return Input{Name: names[i], Data: data}
	}, func(i int, in Input) error { out[i] = in; return nil })
	if err != nil {
		return nil, err
	}
	return out, errors.Join(errs...)
}

// Assessments parses and validates inputs against r in parallel. The
// result keeps the input order; diagnostics are sorted by file and line.
// Assessments with errors are left out of the returned slice.
func Assessments(inputs []Input, r *rubric.Rubric) ([]*assessment.Assessment, diag.List) {
	as, ds, _ := AssessmentsContext(context.Background(), inputs, r)
	return as, ds
}

// AssessmentsContext is Assessments that stops when ctx is cancelled and
// then returns its error.
func AssessmentsContext(ctx context.Context, inputs []Input, r *rubric.Rubric) ([]*assessment.Assessment, diag.List, error) {
	var out []*assessment.Assessment
	var all diag.List
	err := StreamInputs(ctx, inputs, r, func(l Loaded) error {
		all = append(all, l.Diags...)
		if l.Assessment != nil {
			out = append(out, l.Assessment)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, all, nil
}

// Parallel runs fn(0..n-1) on the loader's pool of workers.
func Parallel(n int, fn func(i int)) {
	ParallelContext(context.Background(), n, fn)
}

// ParallelContext is Parallel starting no new call once ctx is cancelled.
func ParallelContext(ctx context.Context, n int, fn func(i int)) {
	_ = pool(ctx, n, func(_ *yamlread.Buffer, i int) struct{} { fn(i); return struct{}{} }, nil)
}

// Kind is what a YAML file holds.
type Kind int

const (
	Unknown Kind = iota
	RubricFile
	AssessmentFile
)

// Sniff tells a rubric from an assessment by its top-level keys. It scans
// lines rather than using a regular expression so that no pattern is
// compiled when the program starts.
func Sniff(data []byte) Kind {
	kind := Unknown
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		switch {
		case isKey(line, "pillars"):
			return RubricFile
		case isKey(line, "findings"), isKey(line, "country"):
			kind = AssessmentFile
		}
	}
	return kind
}

// isKey reports whether line starts with key followed by optional blanks
// and a colon.
func isKey(line []byte, key string) bool {
	rest, ok := bytes.CutPrefix(line, []byte(key))
	if !ok {
		return false
	}
	rest = bytes.TrimLeft(rest, " \t\r\f\v")
	return len(rest) > 0 && rest[0] == ':'
}
