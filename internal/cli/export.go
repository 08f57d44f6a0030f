package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/capscore/capscore/internal/load"
	"github.com/spf13/cobra"
)

type exportOptions struct {
	names []string
	list  bool
	force bool
}

const exportLong = `Write bundled rubrics and assessments to disk, byte for byte, under their
paths in the repository (bundled:assessments/japan/2021.yaml is written to
DIR/assessments/japan/2021.yaml), and print each file written. DIR is
--output, default the current folder. A file that exists is not
overwritten unless --force is given; a target that is not a regular file
(a folder, a symbolic link, a device) is refused even with --force.
Nothing is written unless every target can be.

Bundled files are named wherever a file is accepted (input files,
--rubric, --rubric-a/-b, new --from, export) in these forms:

  bundled:PATH        a bundled file or folder by its path, as every output
                      prints it: bundled:assessments/japan/2021.yaml,
                      bundled:rubrics/iiss-seven-pillars-1.0.0.yaml,
                      bundled:assessments (every assessment); a place
                      printed in one (bundled:rubrics/x.yaml:80:5) names
                      that file
  COUNTRY@REVISION    one assessment: japan@2021, JPN@2025
  RUBRIC@VERSION      one rubric: iiss-seven-pillars@1.0.0
  COUNTRY             every bundled revision of a country, ordered by as_of

bundled:… always names a bundled file (write ./bundled:… for a file on disk
of that name); the short forms are bundled files only where no file or
folder of that name exists. --list lists every bundled file with its short
name.`

func (a *app) newExportCmd(runF func(*exportOptions) error) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export NAME... [-o DIR] | export --list",
		Short: "Write bundled rubrics and assessments to disk",
		Long:  exportLong,
		Example: `  capscore export --list
  capscore export japan@2021
  capscore export japan bundled:rubrics/iiss-seven-pillars.yaml -o ./capscore-files
  capscore export bundled:assessments --force`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.names = args
			if opts.list && len(args) > 0 {
				return usagef("--list lists every bundled file; drop the names, or --list")
			}
			if !opts.list && len(args) == 0 {
				return usagef("name the bundled files to write (capscore export --list lists them)")
			}
			if runF != nil {
				return runF(opts)
			}
			return a.runExport(opts)
		},
		ValidArgsFunction: completeBundled,
	}
	cmd.Flags().BoolVar(&opts.list, "list", false, "list the bundled files and their short names")
	cmd.Flags().BoolVar(&opts.force, "force", false, "overwrite files that exist")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	return writesOnly(takesOutput(cmd), "writes the bundled files as they are")
}

func (a *app) runExport(opts *exportOptions) error {
	if opts.list {
		return a.listBundled()
	}
	names, err := load.ExpandBundled(opts.names)
	if err != nil {
		return err
	}
	// The folder is export's own -o only: CAPSCORE_OUTPUT names an output
	// file of the other commands, never a folder to fill.
	dir := "."
	if a.globals.origin["output"].flag && a.globals.output != "" && a.globals.output != "-" {
		dir = a.globals.output
	}
	var jobs []exportJob
	seen := map[string]bool{}
	var problems []error
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		target := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(name, load.Bundled)))
		if err := exportTarget(target, opts.force); err != nil {
			problems = append(problems, err)
			continue
		}
		data, err := load.ReadFile(name)
		if err != nil {
			return err
		}
		jobs = append(jobs, exportJob{name: name, target: target, data: data})
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("%w\nnothing was written", err)
	}
	if err := a.writeExported(jobs, opts.force); err != nil {
		return err
	}
	for _, j := range jobs {
		fmt.Fprintf(a.io.Out, "wrote %s (%s)\n", j.target, j.name)
	}
	return nil
}

// exportJob is one bundled file to write and where.
type exportJob struct {
	name, target string
	data         []byte
	tmp          string // the complete temporary file beside target
}

// exportTarget refuses a target that exists and is not a regular file,
// and one that is a regular file unless force is set.
func exportTarget(target string, force bool) error {
	st, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", target, unwrapPath(err))
	case !st.Mode().IsRegular():
		return fmt.Errorf("%s: %s, not a regular file; move it away or export to another folder with -o DIR", target, load.FileType(st.Mode()))
	case !force:
		return fmt.Errorf("%s: the file exists; give --force to overwrite it", target)
	}
	return nil
}

// writeExported writes every job or none: each is first written in full to
// a temporary file beside its target (making the folders on the way), the
// targets are checked again, and only then is every temporary file renamed
// over its target. Any failure before the renames removes every temporary
// file and every folder made, leaving nothing. A rename that fails after
// others succeeded cannot be undone (the files replaced are gone); doing
// every write and check first leaves only the renames themselves, in
// folders already shown writable, to fail.
func (a *app) writeExported(jobs []exportJob, force bool) error {
	var made []string // folders made, outermost first
	done, renamed := false, 0
	defer func() {
		for i, j := range jobs {
			if j.tmp != "" {
				a.outputs.untrack(j.tmp)
				if !done && i >= renamed {
					os.Remove(j.tmp)
				}
			}
		}
		if !done {
			for i := len(made) - 1; i >= 0; i-- {
				os.Remove(made[i]) // only if still empty
			}
		}
	}()
	fail := func(target string, err error) error {
		return fmt.Errorf("%s: %w; nothing was written", target, unwrapPath(err))
	}
	for i := range jobs {
		j := &jobs[i]
		dir := filepath.Dir(j.target)
		m, err := mkdirAll(dir)
		made = append(made, m...)
		if err != nil {
			return fmt.Errorf("%s: cannot make the folder: %w; nothing was written", dir, unwrapPath(err))
		}
		tmp, err := a.outputs.create(dir, filepath.Base(j.target), 0o644)
		if errors.Is(err, errInterrupted) {
			return err
		} else if err != nil {
			return fmt.Errorf("%s: cannot create a file in %s: %w; nothing was written", j.target, dir, unwrapPath(err))
		}
		j.tmp = tmp.Name()
		_, err = tmp.Write(j.data)
		if err == nil {
			err = tmp.Sync()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fail(j.target, err)
		}
	}
	// A target may have been made or replaced meanwhile.
	for _, j := range jobs {
		if err := exportTarget(j.target, force); err != nil {
			return fmt.Errorf("%w\nnothing was written", err)
		}
	}
	if err := a.context().Err(); err != nil {
		return err
	}
	err := a.outputs.commit(func() error {
		for _, j := range jobs {
			if err := os.Rename(j.tmp, j.target); err != nil {
				return fmt.Errorf("%s: %w", j.target, unwrapPath(err))
			}
			renamed++
		}
		return nil
	})
	if err != nil && renamed > 0 {
		// Too late to leave nothing: say what is in place.
		for _, j := range jobs[:renamed] {
			fmt.Fprintf(a.io.Out, "wrote %s (%s)\n", j.target, j.name)
		}
		return fmt.Errorf("%w; the files listed were written, the others were not", err)
	}
	if err != nil {
		return fmt.Errorf("%w; nothing was written", err)
	}
	done = true
	return nil
}

// mkdirAll makes dir and any missing folders above it, like os.MkdirAll,
// and returns the folders it made, outermost first.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for p := dir; ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			return made, err
		}
		made = append(made, missing[i])
	}
	if st, err := os.Stat(dir); err != nil {
		return made, err
	} else if !st.IsDir() {
		return made, &fs.PathError{Op: "mkdir", Path: dir, Err: errors.New("not a folder")}
	}
	return made, nil
}

// listBundled prints every bundled file's name and its short names.
func (a *app) listBundled() error {
	short := map[string][]string{}
	for _, s := range load.ShortNames() {
		short[s[1]] = append(short[s[1]], s[0])
	}
	tw := tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
	for _, name := range load.BundledNames() {
		fmt.Fprintf(tw, "%s\t%s\n", name, strings.Join(short[name], ", "))
	}
	return tw.Flush()
}

// completeBundled offers the bundled files by name and short name, each
// described by what it is.
func completeBundled(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return bundledCompletions(args, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// bundledCompletions lists the bundled names that start with prefix and
// are not among args.
func bundledCompletions(args []string, prefix string) []string {
	var out []string
	add := func(name, desc string) {
		if strings.HasPrefix(name, prefix) && !slices.Contains(args, name) {
			out = append(out, cobra.CompletionWithDesc(name, desc))
		}
	}
	for _, s := range load.ShortNames() {
		add(s[0], s[1])
	}
	for _, name := range load.BundledNames() {
		add(name, "bundled file")
	}
	return out
}
