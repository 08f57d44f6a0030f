package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/capscore/capscore/internal/load"
	"github.com/capscore/capscore/internal/report"
	"github.com/spf13/cobra"
)

// buildInfo is what the binary knows of how it was built.
type buildInfo struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Revision string `json:"vcs_revision,omitempty"`
	Time     string `json:"vcs_time,omitempty"`
	Modified bool   `json:"vcs_modified,omitempty"`
	Go       string `json:"go"`
	Rubric   struct {
		ID      string `json:"id"`
		Version string `json:"version"`
		File    string `json:"file"`
	} `json:"bundled_rubric"`
}

// readBuildInfo fills a buildInfo from the Go build information; a binary
// built without it (some test binaries) still reports the Go version.
func readBuildInfo(bi *debug.BuildInfo, ok bool, goVersion string) buildInfo {
	v := buildInfo{Module: "github.com/capscore/capscore", Version: "(unknown)", Go: goVersion}
	if !ok || bi == nil {
		return v
	}
	if bi.Main.Path != "" {
		v.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		v.Go = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

func (a *app) newVersionCmd() *cobra.Command {
	return takesFormats(&cobra.Command{
		Use:   "version",
		Short: "Print the version, VCS revision, Go version and bundled rubric",
		Long: `Print the module version, the VCS revision and its time (from the build
information; "modified" when the tree had uncommitted changes), the Go
version, and the id and version of the bundled rubric. Formats: table (plain
lines) and json. capscore --version prints the same lines.`,
		Args: args(cobra.NoArgs),
		// Printing the version reads no config file: it works whatever lies
		// in the working folder. Only the flags are checked.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return checkApplies(cmd) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := report.ParseFormat(a.globals.format, versionFormats...)
			if err != nil {
				return &usageError{fmt.Errorf("--%w", err)}
			}
			return a.printVersion(f)
		},
	}, versionFormats)
}

func (a *app) printVersion(f report.Format) error {
	v := a.version()
	r, _, err := load.Rubric("")
	if err != nil {
		return err
	}
	v.Rubric.ID, v.Rubric.Version, v.Rubric.File = r.ID, r.Version, r.File
	return a.withOutput(func(w io.Writer) error {
		if f == report.JSON {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(v)
		}
		rev := v.Revision
		if rev == "" {
			rev = "(not recorded)"
		} else if v.Modified {
			rev += " (modified)"
		}
		if v.Time != "" {
			rev += ", " + v.Time
		}
		_, err := fmt.Fprintf(w, "capscore %s\nmodule   %s\nrevision %s\ngo       %s\nrubric   %s %s (bundled: %s)\n",
			v.Version, v.Module, rev, v.Go, v.Rubric.ID, v.Rubric.Version, v.Rubric.File)
		return err
	})
}

func (a *app) version() buildInfo {
	bi, ok := debug.ReadBuildInfo()
	return readBuildInfo(bi, ok, runtime.Version())
}
