package cli

import (
	"strings"
	"testing"
)

// TestAuditFormats holds the evidence audit of the fixture to its goldens
// in every format.
func TestAuditFormats(t *testing.T) {
	base := []string{"--rubric", "testdata/audit/rubric.yaml", "audit", "testdata/audit/testland.yaml", "--concentration", "2"}
	for _, f := range []string{"table", "markdown", "csv", "json"} {
		t.Run(f, func(t *testing.T) {
			r := runCLI(t, nil, append(base, "--format", f)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, "audit/audit_"+f+".golden", r.stdout)
		})
	}
}

func TestAuditUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--stale", "0"}, "--stale 0: give a whole number of years from 1 to 100"},
		{[]string{"audit", "--concentration", "0"}, "--concentration 0: give a number of findings of 1 or more"},
		{[]string{"audit", "--format", "html"}, `format "html"`},
	} {
		r := runCLI(t, nil, tc.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want a failure saying %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

// TestAuditBundled runs the audit over the bundled assessments: every
// finding of the rubric is audited and the summary names each assessment.
func TestAuditBundled(t *testing.T) {
	chdirRepo(t)
	r := runCLI(t, nil, "audit", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{`"assessment": "Japan 2021"`, `"assessment": "Japan 2025"`, `"stale_years": 3`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("audit JSON lacks %s", want)
		}
	}
}
