package cli

import (
	"context"
	"errors"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
)

// eachAssessment is loadAssessments for commands that use one assessment
// at a time: files are read, parsed and validated on all cores in a
// bounded window and fn sees each valid assessment in input order, so
// memory stays flat however many files there are. Problems are reported as
// loadAssessments reports them (every file's warnings, then every error);
// once any file has failed fn is not called again, and when an error is
// returned what fn gathered is to be thrown away.
func (a *app) eachAssessment(ctx context.Context, paths []string, r *rubric.Rubric, fn func(*assessment.Assessment)) error {
	return a.eachLoaded(ctx, paths, r, func(l load.Loaded) { fn(l.Assessment) })
}

// eachLoaded is eachAssessment handing fn the loaded file, with the
// stream's options (load.WithDigest, say).
func (a *app) eachLoaded(ctx context.Context, paths []string, r *rubric.Rubric, fn func(load.Loaded), opts ...load.Option) error {
	var (
		readErrs []error
		ds       diag.List
		failed   bool
		n        int
		revs     []*assessment.Assessment
	)
	each := func(l load.Loaded) error {
		if l.Err != nil {
			readErrs, failed = append(readErrs, l.Err), true
			return nil
		}
		ds = append(ds, l.Diags...)
		if l.Assessment != nil {
			revs = append(revs, l.Assessment.Identity())
		}
		if l.Assessment == nil {
			failed = true
		} else if !failed {
			fn(l)
			n++
		}
		return nil
	}
	names, err := inputNames(paths)
	if err != nil {
		return err
	}
	a.outputs.read(names...)
	if err := load.Stream(ctx, names, r, each, opts...); err != nil {
		return err
	}
	if err := errors.Join(readErrs...); err != nil {
		return err
	}
	ds = append(ds, assessment.CheckRevisions(revs)...)
	a.warn(ds.Warnings())
	if ds.HasErrors() {
		return ds.Errors()
	}
	if n == 0 {
		return errNoAssessments(paths)
	}
	return nil
}
