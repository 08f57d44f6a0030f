package cli

import (
	"encoding/json"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

func TestReadBuildInfo(t *testing.T) {
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want buildInfo
	}{
		{"none", nil, buildInfo{Module: "github.com/capscore/capscore", Version: "(unknown)", Go: "go1.x"}},
		{"installed", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/capscore/capscore", Version: "v1.2.3"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-11-26T14:13:44Z"}, {Key: "vcs.modified", Value: "true"}, {Key: "-trimpath", Value: "true"}}},
			buildInfo{Module: "github.com/capscore/capscore", Version: "v1.2.3", Revision: "abc123", Time: "2026-11-26T14:13:44Z", Modified: true, Go: "go1.26.8"}},
		{"devel", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/capscore/capscore", Version: "(devel)"}},
			buildInfo{Module: "github.com/capscore/capscore", Version: "(devel)", Go: "go1.26.8"}},
	} {
		if got := readBuildInfo(tc.bi, tc.bi != nil, "go1.x"); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestVersion checks that both spellings print the same lines, that JSON
// names the bundled rubric, and that a broken config file in the working
// folder does not stop either.
func TestVersion(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("capscore.yaml", []byte("nonsense: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, flag := runCLI(t, nil, "version"), runCLI(t, nil, "--version")
	if cmd.code != 0 || flag.code != 0 || cmd.stdout != flag.stdout {
		t.Fatalf("version: exit %d %q %q; --version: exit %d %q", cmd.code, cmd.stdout, cmd.stderr, flag.code, flag.stdout)
	}
	for _, want := range []string{"capscore ", "module   github.com/capscore/capscore", "go       go1.", "rubric   iiss-seven-pillars "} {
		if !strings.Contains(cmd.stdout, want) {
			t.Errorf("version lacks %q:\n%s", want, cmd.stdout)
		}
	}
	r := runCLI(t, nil, "version", "--format", "json")
	var v buildInfo
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || r.code != 0 {
		t.Fatalf("version JSON: exit %d, %v: %s", r.code, err, r.stdout)
	}
	if v.Rubric.ID != "iiss-seven-pillars" || v.Rubric.Version == "" || !strings.HasPrefix(v.Go, "go") {
		t.Errorf("version JSON %+v", v)
	}
	if r := runCLI(t, nil, "version", "--format", "csv"); r.code != 2 || !strings.Contains(r.stderr, `format "csv"`) {
		t.Errorf("version --format csv: exit %d, %q; want a usage error", r.code, r.stderr)
	}
}
