package load

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/capscore/capscore/assessments"
	"github.com/capscore/capscore/internal/assessment"
	"github.com/capscore/capscore/internal/diag"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/rubrics"
)

// Bundled is the prefix of a bundled file's name, followed by its path in
// the repository: bundled:assessments/japan/2021.yaml. Names of this form
// are what every output prints for a bundled file, and they are read back
// from the binary wherever a file is accepted, never from disk: a file on
// disk whose path starts with "bundled:" is named ./bundled:… instead.
const Bundled = "bundled:"

// bundle maps the top folder of a bundled path to the files under it.
var bundle = []struct {
	dir  string
	fsys fs.FS
}{{"assessments", assessments.FS}, {"rubrics", rubrics.FS}}

// DefaultRubric is the bundled rubric's name.
const DefaultRubric = Bundled + "rubrics/" + rubrics.Default

// IsBundled reports whether name names a bundled file or folder.
func IsBundled(name string) bool { return strings.HasPrefix(name, Bundled) }

// BundledNames lists every bundled file by name (bundled:…), sorted.
func BundledNames() []string {
	names, _ := bundledUnder("")
	return names
}

// bundledPath checks the path after the prefix: relative, slash-separated
// and clean, "" for the whole bundle.
func bundledPath(name string) (string, error) {
	p := strings.TrimSuffix(dropPosition(strings.TrimPrefix(name, Bundled)), "/")
	if p == "" || p == "." {
		return "", nil
	}
	if !fs.ValidPath(p) {
		return "", fmt.Errorf("%s: not a bundled path; write it as in %s (capscore export --list lists them)", diag.Name(name), DefaultRubric)
	}
	return p, nil
}

// dropPosition drops a :LINE or :LINE:COL after a bundled path, so that a
// place printed in a bundled file (bundled:rubrics/x.yaml:80:5) names that
// file. Bundled paths hold no colon.
func dropPosition(p string) string {
	for range 2 {
		i := strings.LastIndexByte(p, ':')
		if i < 0 || i == len(p)-1 || strings.Trim(p[i+1:], "0123456789") != "" {
			break
		}
		p = p[:i]
	}
	return p
}

// split finds the file system holding a bundled path and the path in it.
func split(p string) (fs.FS, string, bool) {
	top, rest, _ := strings.Cut(p, "/")
	for _, b := range bundle {
		if b.dir == top {
			if rest == "" {
				rest = "."
			}
			return b.fsys, rest, true
		}
	}
	return nil, "", false
}

// bundledUnder lists the bundled YAML files at or under p ("" for all),
// as names; an error when there are none.
func bundledUnder(p string) ([]string, error) {
	var out []string
	for _, b := range bundle {
		_ = fs.WalkDir(b.fsys, ".", func(q string, d fs.DirEntry, err error) error {
			full := path.Join(b.dir, q)
			if err == nil && !d.IsDir() && isYAML(q) && (p == "" || full == p || strings.HasPrefix(full, p+"/")) {
				out = append(out, Bundled+full)
			}
			return nil
		})
	}
	if len(out) == 0 {
		return nil, notBundled(Bundled + p)
	}
	sort.Strings(out)
	return out, nil
}

// ErrNotBundled is wrapped by the error for a bundled name that names no
// bundled file.
var ErrNotBundled = errors.New("no such bundled file")

func notBundled(name string) error {
	hint := diag.DidYouMean(name, BundledNames())
	if hint == "" {
		hint = "; capscore export --list lists the bundled files"
	}
	return fmt.Errorf("%s: %w%s", diag.Name(name), ErrNotBundled, hint)
}

// readBundled returns a bundled file's bytes.
func readBundled(name string) ([]byte, error) {
	p, err := bundledPath(name)
	if err != nil {
		return nil, err
	}
	fsys, q, ok := split(p)
	if !ok {
		return nil, notBundled(name)
	}
	st, err := fs.Stat(fsys, q)
	if err != nil {
		return nil, notBundled(name)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a bundled folder; name one file in it, such as %s", diag.Name(name), firstOr(bundledUnder(p)))
	}
	return fs.ReadFile(fsys, q)
}

func firstOr(names []string, err error) string {
	if err != nil || len(names) == 0 {
		return DefaultRubric
	}
	return names[0]
}

// entry is one bundled file with what its short names match.
type entry struct {
	name string
	// country and code for an assessment, id for a rubric.
	keys []string
	// version is an assessment's revision or a rubric's version.
	version string
	asOf    assessment.Date
}

// index parses the bundled files once, on first need, for their short
// names.
var index = sync.OnceValue(func() []entry {
	var out []entry
	for _, name := range BundledNames() {
		data, err := readBundled(name)
		if err != nil {
			continue
		}
		switch Sniff(data) {
		case RubricFile:
			if r, ds := rubric.Parse(name, data); r != nil && !ds.HasErrors() {
				out = append(out, entry{name: name, keys: []string{r.ID}, version: r.Version})
			}
		case AssessmentFile:
			if a, ds := assessment.Parse(name, data); a != nil && !ds.HasErrors() {
				out = append(out, entry{name: name, keys: []string{a.Country, a.Code}, version: a.Revision, asOf: a.AsOf})
			}
		}
	}
	return out
})

// shortName resolves the short forms of bundled names: COUNTRY@REVISION
// (japan@2021, JPN@2021) and RUBRIC@VERSION (iiss-seven-pillars@1.0.0)
// name one file; a bare COUNTRY (japan, JPN) names every bundled revision
// of that country, ordered by as_of. Names and codes match in any case.
// ok is false when arg is not of a short form that names anything.
func shortName(arg string) (names []string, ok bool) {
	if arg == "" || strings.ContainsAny(arg, `/\:`) || isYAML(arg) {
		return nil, false
	}
	key, version, versioned := strings.Cut(arg, "@")
	var found []entry
	for _, e := range index() {
		match := false
		for _, k := range e.keys {
			match = match || strings.EqualFold(k, key)
		}
		switch {
		case !match:
		case versioned && e.version == version:
			return []string{e.name}, true
		case !versioned && !e.asOf.IsZero():
			found = append(found, e)
		}
	}
	if len(found) == 0 {
		return nil, false
	}
	sort.SliceStable(found, func(i, j int) bool {
		if c := found[i].asOf.Compare(found[j].asOf); c != 0 {
			return c < 0
		}
		return found[i].name < found[j].name
	})
	for _, e := range found {
		names = append(names, e.name)
	}
	return names, true
}

// IsShortName reports whether arg is a short name of bundled files
// (japan, japan@2021, iiss-seven-pillars@1.0.0), whatever is on disk.
func IsShortName(arg string) bool {
	_, ok := shortName(arg)
	return ok
}

// ShortNames lists the short names of the bundled files, each with the
// name it stands for: country@revision and CODE@revision for each
// assessment, id@version for each rubric, and each country by name (in
// lower case) and code, described.
func ShortNames() [][2]string {
	var out [][2]string
	countries := map[string]bool{}
	for _, e := range index() {
		if e.asOf.IsZero() {
			out = append(out, [2]string{e.keys[0] + "@" + e.version, e.name})
			continue
		}
		country := strings.ToLower(e.keys[0])
		out = append(out, [2]string{country + "@" + e.version, e.name}, [2]string{e.keys[1] + "@" + e.version, e.name})
		if !countries[country] {
			countries[country] = true
			out = append(out, [2]string{country, "every bundled revision of " + e.keys[0]}, [2]string{e.keys[1], "every bundled revision of " + e.keys[0]})
		}
	}
	return out
}

// suggest says which short names exist when arg looks like one that does
// not.
func suggest(arg string) string {
	if strings.ContainsAny(arg, `/\:`) || isYAML(arg) {
		return ""
	}
	var forms []string
	for _, s := range ShortNames() {
		forms = append(forms, s[0])
	}
	if hint := diag.DidYouMean(arg, forms); hint != "" {
		return hint
	}
	if !strings.Contains(arg, "@") {
		return "" // a file's name, most likely: the system's word is enough
	}
	return "; bundled files are named " + strings.Join(forms, ", ") + " or bundled:PATH (capscore export --list)"
}

// ExpandBundled is Expand for bundled names only, in any of their forms:
// no file or folder on disk is looked at.
func ExpandBundled(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		if IsBundled(arg) {
			names, err := Expand([]string{arg})
			if err != nil {
				return nil, err
			}
			out = append(out, names...)
			continue
		}
		names, ok := shortName(arg)
		if !ok {
			return nil, fmt.Errorf("%s: %w%s", diag.Name(arg), ErrNotBundled, suggest(arg))
		}
		out = append(out, names...)
	}
	return out, nil
}
