package cli

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/load"
	"github.com/spf13/cobra"
)

type newOptions struct {
	country  string
	code     string
	from     string
	revision string
	asOf     string
	force    bool
}

func (a *app) newNewCmd(runF func(*newOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Scaffold a new file",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usagef("name what to create: capscore new assessment")
		},
	}
	cmd.AddCommand(a.newNewAssessmentCmd(runF))
	return cmd
}

func (a *app) newNewAssessmentCmd(runF func(*newOptions) error) *cobra.Command {
	opts := &newOptions{}
	cmd := &cobra.Command{
		Use:   "assessment --country NAME --code ISO3 | --from FILE",
		Short: "Scaffold an assessment with every criterion of the rubric to fill in",
		Long: `Write a new assessment with every criterion of the rubric listed under
findings, level empty, and the rubric's question and level descriptors as
comments above each. It validates at once, with a warning for each finding
still to judge.

--from FILE starts a new revision of an existing assessment instead (a file,
or a bundled name such as japan@2025: see capscore export --help): it keeps
the file's sources, facts and findings as written, sets supersedes to the old
revision, drops each finding's change note (it described the old revision),
and adds any criterion of the rubric the file lacks.

A yaml-language-server comment naming the schema by a relative path is
rewritten to reach the same schema from where the new file is written (the
current folder for standard output); when the schema is not on disk it is
replaced by a note on writing one with capscore schema assessment.

--as-of defaults to today and --revision to the year of --as-of. The file
goes to standard output, or to --output, which is never overwritten unless
--force is given.`,
		Example: `  capscore new assessment --country "Republic of Korea" --code KOR --output assessments/korea/2026.yaml
  capscore new assessment --from assessments/japan/2025.yaml --output japan-2026.yaml
  capscore new assessment --from japan@2025 --output japan-2026.yaml`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return a.runNewAssessment(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.country, "country", "", "country `NAME` (with --from: keep the file's)")
	f.StringVar(&opts.code, "code", "", "ISO 3166-1 alpha-3 `CODE`, e.g. KOR (with --from: keep the file's)")
	f.StringVar(&opts.from, "from", "", "start a revision of the assessment in `FILE`")
	f.StringVar(&opts.revision, "revision", "", "revision label (default: the year of --as-of)")
	f.StringVar(&opts.asOf, "as-of", "", "date the assessment speaks for, `YYYY-MM-DD` (default: today)")
	f.BoolVar(&opts.force, "force", false, "overwrite --output if it exists")
	// Fails only for a flag that does not exist.
	_ = cmd.RegisterFlagCompletionFunc("from", completeInputs)
	return writesOnly(takesOutput(cmd), "writes YAML only")
}

func (a *app) runNewAssessment(opts *newOptions) error {
	if opts.from == "" && (opts.country == "" || opts.code == "") {
		return usagef("give --country and --code, or --from FILE")
	}
	if opts.code != "" && !isAlpha3(opts.code) {
		return usagef("--code %q: use the ISO 3166-1 alpha-3 code, three capital letters (KOR)", opts.code)
	}
	h := assessment.Header{Country: opts.country, Code: opts.code, Revision: opts.revision}
	asOf := opts.asOf
	if asOf == "" {
		asOf = time.Now().Format("2006-01-02")
	}
	var err error
	if h.AsOf, err = assessment.ParseDate(asOf); err != nil {
		return usagef("--as-of: %w", err)
	}
	if h.Revision == "" {
		h.Revision = strconv.Itoa(h.AsOf.Year)
	}
	if target := a.globals.output; target != "" && target != "-" {
		// Anything but a regular file is refused even with --force.
		_, st, err := resolveOutput(a.outputLabel(), target)
		if err != nil {
			return err
		}
		if st != nil && !opts.force {
			return fmt.Errorf("%s: the file exists; give --force to overwrite it", a.outputLabel())
		}
	}
	r, err := a.loadRubric()
	if err != nil {
		return err
	}
	var data []byte
	name := "new assessment"
	if opts.from != "" {
		in, err := load.File(opts.from)
		if err != nil {
			return err
		}
		// Even with --force, --output may not replace the file copied.
		a.outputs.read(in.Name)
		from, src := in.Name, in.Data
		old, ds := assessment.Parse(from, src)
		if old != nil && !ds.HasErrors() {
			ds = append(ds, assessment.Validate(old, r)...)
		}
		if ds.HasErrors() {
			return ds.Errors()
		}
		if opts.revision == "" && old.Revision == h.Revision {
			h.Revision = h.AsOf.String()
		}
		if !old.AsOf.IsZero() && old.AsOf.After(h.AsOf) {
			return usagef("--as-of %s is before %s's as_of %s; a revision speaks for a later date", h.AsOf, from, old.AsOf)
		}
		if data, err = assessment.Revise(r, from, src, h); err != nil {
			return err
		}
		data = relinkSchema(data, from, a.globals.output, fileExists)
		name = "revision of " + from
	} else if data, err = assessment.Scaffold(r, h); err != nil {
		return usagef("%w", err)
	}
	// Never write a file that would not validate: check the result first.
	out, ds := assessment.Parse(name, data)
	if out != nil && !ds.HasErrors() {
		ds = append(ds, assessment.Validate(out, r)...)
	}
	if ds.HasErrors() {
		return fmt.Errorf("the %s would not validate, so nothing was written:\n%w", name, ds.Errors())
	}
	if err := a.withOutput(func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}); err != nil {
		return err
	}
	if t := a.globals.output; t != "" && t != "-" {
		fmt.Fprintf(a.io.Err, "wrote %s: %s %s as of %s, %d finding(s) still to judge; run capscore validate %s\n",
			t, out.Country, out.Revision, out.AsOf, emptyFindings(out), t)
	}
	return nil
}

func emptyFindings(x *assessment.Assessment) int {
	n := 0
	for _, f := range x.Findings {
		if f.Level == nil && len(f.Evidence) == 0 {
			n++
		}
	}
	return n
}

func isAlpha3(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// A YAML language server reads a file's schema from a comment
// "# yaml-language-server: $schema=PATH".
const (
	schemaComment = "# yaml-language-server:"
	schemaKey     = "$schema="
)

// schemaNote replaces a schema comment whose schema is not on disk.
const schemaNote = `# For checking in an editor, write the schema beside this file with
#   capscore schema assessment > assessment.schema.json
# and name it in a yaml-language-server comment, as the bundled assessments do.`

// relinkSchema rewrites the schema comment of a revision read from from
// and written to out ("" or "-": standard output, taken to land in the
// current folder), so that a relative path still names the same schema
// file. A schema that is not on disk is no use to link to: the comment
// becomes schemaNote. URLs and absolute paths are kept.
func relinkSchema(data []byte, from, out string, exists func(string) bool) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	for i, line := range lines {
		body := strings.TrimRight(line, "\r\n")
		eol := line[len(body):]
		at := strings.Index(body, schemaKey)
		if !strings.HasPrefix(body, schemaComment) || at < 0 {
			continue
		}
		ref, tail := body[at+len(schemaKey):], ""
		if end := strings.IndexAny(ref, " \t"); end >= 0 {
			ref, tail = ref[:end], ref[end:]
		}
		if ref == "" || strings.Contains(ref, "://") || path.IsAbs(ref) || filepath.IsAbs(ref) {
			continue
		}
		target := filepath.Join(filepath.Dir(from), filepath.FromSlash(ref))
		// A bundled file's schema is not on disk beside it.
		if load.IsBundled(from) || !exists(target) {
			if eol == "" {
				eol = "\n"
			}
			lines[i] = strings.ReplaceAll(schemaNote, "\n", eol) + eol
			continue
		}
		dir := "."
		if out != "" && out != "-" {
			dir = filepath.Dir(out)
		}
		absDir, err := filepath.Abs(dir)
		if err != nil {
			continue
		}
		absTarget, err := filepath.Abs(target)
		if err != nil {
			continue
		}
		rel, err := filepath.Rel(absDir, absTarget)
		if err != nil {
			continue // another volume: keep the comment as written
		}
		lines[i] = body[:at+len(schemaKey)] + filepath.ToSlash(rel) + tail + eol
	}
	return []byte(strings.Join(lines, ""))
}

// fileExists reports whether name is a regular file.
func fileExists(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular()
}
