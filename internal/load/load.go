// Package load reads rubrics and assessments from disk or from the bundled
// copies, parses and validates them in parallel, and returns them in a
// deterministic order. It is the only package besides cli that touches files.
package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/capscore/capscore/assessments"
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/yamlread"
	"github.com/capscore/capscore/rubrics"
)

// Input is one file's name and bytes.
type Input struct {
	Name string
	Data []byte
}

// ReadFile reads a regular file (see Open), refusing files over the size
// limit before reading them whole.
func ReadFile(name string) ([]byte, error) {
	f, st, err := Open(name)
	if err != nil {
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

// Expand turns files and directories into a sorted list of YAML files;
// directories are walked for *.yaml and *.yml. Entries of any other kind
// with such a name (a named pipe, a socket, a device) are listed too, so
// that reading them reports each as an error naming it.
func Expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
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
				found = append(found, name)
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

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// BundledRubric returns the embedded default rubric's bytes.
func BundledRubric() Input {
	data, err := rubrics.FS.ReadFile(rubrics.Default)
	if err != nil {
		// The file is embedded at build time; its absence is a build error.
		panic(err)
	}
	return Input{Name: path.Join("rubrics", rubrics.Default), Data: data}
}

// BundledAssessments returns the embedded assessments, sorted by name.
func BundledAssessments() []Input {
	var out []Input
	_ = fs.WalkDir(assessments.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isYAML(name) {
			data, _ := assessments.FS.ReadFile(name)
			out = append(out, Input{Name: path.Join("assessments", name), Data: data})
		}
		return nil
	})
	return out
}

// Rubric reads and validates the rubric in file, or the bundled one when
// file is "". Errors in the file come back as a diag.List error.
func Rubric(file string) (*rubric.Rubric, diag.List, error) {
	in := BundledRubric()
	if file != "" {
		data, err := ReadFile(file)
		if err != nil {
			return nil, nil, err
		}
		in = Input{Name: file, Data: data}
	}
	r, ds := rubric.Parse(in.Name, in.Data)
	ds.Sort()
	if ds.HasErrors() {
		return nil, ds.Warnings(), ds.Errors()
	}
	return r, ds, nil
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
	ParallelContext(ctx, len(names), func(i int) {
		data, err := ReadFile(names[i])
		out[i], errs[i] = Input{Name: names[i], Data: data}, err
	})
	if err := ctx.Err(); err != nil {
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
	loaded := make([]Loaded, len(inputs))
	ParallelContext(ctx, len(inputs), func(i int) { loaded[i] = parseValidate(nil, inputs[i], r) })
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var out []*assessment.Assessment
	var all diag.List
	for _, l := range loaded {
		all = append(all, l.Diags...)
		if l.Assessment != nil {
			out = append(out, l.Assessment)
		}
	}
	return out, all, nil
}

// Parallel runs fn(0..n-1) over all cores.
func Parallel(n int, fn func(i int)) {
	ParallelContext(context.Background(), n, fn)
}

// ParallelContext runs fn(0..n-1) over all cores, starting no new call
// once ctx is cancelled.
func ParallelContext(ctx context.Context, n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n && ctx.Err() == nil; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	done := ctx.Done()
dispatch:
	for i := 0; i < n && ctx.Err() == nil; i++ {
		select {
		case next <- i:
		case <-done:
			break dispatch
		}
	}
	close(next)
	wg.Wait()
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
