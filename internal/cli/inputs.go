package cli

import (
	"context"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
)

// loadAssessments reads the named files and folders, or the bundled
// assessments when there are none, and validates them against r. Any error
// in any file fails the command after every problem is reported.
func (a *app) loadAssessments(ctx context.Context, paths []string, r *rubric.Rubric) ([]*assessment.Assessment, error) {
	inputs, err := readInputs(ctx, paths)
	if err != nil {
		return nil, err
	}
	as, ds := load.Assessments(inputs, r)
	ds = append(ds, assessment.CheckRevisions(as)...)
	a.warn(ds.Warnings())
	if ds.HasErrors() {
		return nil, ds.Errors()
	}
	if len(as) == 0 {
		return nil, errNoAssessments()
	}
	return as, nil
}

func errNoAssessments() error {
	return diag.List{{Msg: "no assessment files found; name .yaml files or folders that hold them"}}
}

// readInputs reads the named files and folders, or gives the bundled
// assessments when there are none.
func readInputs(ctx context.Context, paths []string) ([]load.Input, error) {
	if len(paths) == 0 {
		return load.BundledAssessments(), nil
	}
	names, err := load.Expand(paths)
	if err != nil {
		return nil, err
	}
	inputs, err := load.Read(names)
	if err != nil {
		return nil, err
	}
	return inputs, ctx.Err()
}
