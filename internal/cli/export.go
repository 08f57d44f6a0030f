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
	dir := a.globals.output
	if dir == "" || dir == "-" {
		dir = "."
	}
	type job struct {
		name, target string
		data         []byte
	}
	var jobs []job
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
		jobs = append(jobs, job{name, target, data})
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("%w\nnothing was written", err)
	}
	for _, j := range jobs {
		if err := a.writeExported(j.target, j.data); err != nil {
			return err
		}
		fmt.Fprintf(a.io.Out, "wrote %s (%s)\n", j.target, j.name)
	}
	return nil
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

// writeExported writes data to target through a temporary file beside it,
// renamed over it once complete, making the folders on the way.
func (a *app) writeExported(target string, data []byte) error {
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: cannot make the folder: %w", dir, unwrapPath(err))
	}
	tmp, err := a.outputs.create(dir, filepath.Base(target), 0o644)
	if err != nil {
		return fmt.Errorf("%s: cannot create a file in %s: %w", target, dir, unwrapPath(err))
	}
	defer a.outputs.untrack()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("%s: %w; nothing was written there", target, unwrapPath(err))
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	// The target may have been replaced by something else meanwhile.
	if st, err := os.Lstat(target); err == nil && !st.Mode().IsRegular() {
		os.Remove(tmp.Name())
		return fmt.Errorf("%s: %s, not a regular file; nothing was written there", target, load.FileType(st.Mode()))
	}
	if err := a.outputs.commit(func() error { return os.Rename(tmp.Name(), target) }); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("%s: %w", target, unwrapPath(err))
	}
	return nil
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
