package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/rubric"
)

// loadAssessments reads the named files and folders, or the bundled
// assessments when there are none, and validates them against r. Any error
// in any file fails the command after every problem is reported.
func (a *app) loadAssessments(ctx context.Context, paths []string, r *rubric.Rubric) ([]*assessment.Assessment, error) {
	inputs, err := a.readInputs(ctx, paths)
	if err != nil {
		return nil, err
	}
	as, ds, err := load.AssessmentsContext(ctx, inputs, r)
	if err != nil {
		return nil, err
	}
	ds = append(ds, assessment.CheckRevisions(as)...)
	a.warn(ds.Warnings())
	if ds.HasErrors() {
		return nil, ds.Errors()
	}
	if len(as) == 0 {
		return nil, errNoAssessments(paths)
	}
	return as, nil
}

// errNoAssessments says that the files and folders named hold no
// assessment, naming where it looked.
func errNoAssessments(paths []string) error {
	where := "among the bundled files"
	if len(paths) > 0 {
		where = "in " + strings.Join(paths, ", ")
	}
	return fmt.Errorf("no assessment files found %s; name .yaml files or folders that hold them", where)
}

// bundledAssessments is what a command that reads assessments reads when
// none is named.
var bundledAssessments = []string{load.Bundled + "assessments"}

// inputNames expands the named files, folders and bundled names (see
// load.Expand), or names the bundled assessments when there are none.
func inputNames(paths []string) ([]string, error) {
	if len(paths) == 0 {
		paths = bundledAssessments
	}
	return load.Expand(paths)
}

// readInputs reads the named files, folders and bundled names, or the
// bundled assessments when there are none, and records them as read.
func (a *app) readInputs(ctx context.Context, paths []string) ([]load.Input, error) {
	names, err := inputNames(paths)
	if err != nil {
		return nil, err
	}
	a.outputs.read(names...)
	return load.ReadContext(ctx, names)
}
