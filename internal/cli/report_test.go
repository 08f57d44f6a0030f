package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The whole report of the hostile fixture, byte for byte: escaping,
// layout and numbers stay as reviewed.
func TestReportGolden(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "report", "internal/report/testdata/xss.yaml")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	golden(t, "report_xss.html", res.stdout)
	if !strings.Contains(res.stderr, "warning: 30 criteria have no finding") {
		t.Errorf("warnings not on stderr: %q", res.stderr)
	}
}

func TestReportOutputAndWeights(t *testing.T) {
	chdirRepo(t)
	out := filepath.Join(t.TempDir(), "report.html")
	res := runCLI(t, map[string]string{"CAPSCORE_WEIGHTS": "leadership=0.5"}, "report", "--profile", "defence-first", "--weight", "offence=3", "-o", out)
	if res.code != ExitOK || res.stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", res.code, res.stdout, res.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	for _, want := range []string{
		"· profile defence-first",
		`<td class="origin">flag --weight offence=3</td>`,
		`<td class="origin">env CAPSCORE_WEIGHTS</td>`,
		`<td class="origin">profile defence-first (bundled:rubrics/iiss-seven-pillars.yaml:`,
		"<h2>Japan 2021</h2>", "<h2>Japan 2025</h2>",
		"Findings changed from Japan 2021 to Japan 2025",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %s", want)
		}
	}
}

func TestReportErrors(t *testing.T) {
	chdirRepo(t)
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"report", "--weight", "offence"}, ExitUsage, "write id=value"},
		{[]string{"report", "--profile", "nope"}, ExitUsage, "no such profile"},
		{[]string{"report", "missing.yaml"}, ExitInvalid, "missing.yaml"},
		{[]string{"report", "-o", "/nonexistent-dir/r.html"}, ExitInvalid, "--output /nonexistent-dir/r.html"},
	} {
		res := runCLI(t, nil, tc.args...)
		if res.code != tc.code || !strings.Contains(res.stderr, tc.says) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d saying %q", tc.args, res.code, res.stderr, tc.code, tc.says)
		}
	}
}

// The report's intervals are those `capscore sensitivity` gives for the
// same samples and seed.
func TestReportSensitivity(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "report", "--sensitivity", "--samples", "3000", "--seed", "9")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	run := runCLI(t, nil, "sensitivity", "--samples", "3000", "--seed", "9", "--sobol", "0", "--format", "json")
	if run.code != ExitOK {
		t.Fatalf("sensitivity exit %d: %s", run.code, run.stderr)
	}
	var doc struct {
		Assessments []struct {
			Overall struct{ P05, P50, P95 float64 } `json:"overall"`
		} `json:"assessments"`
	}
	if err := json.Unmarshal([]byte(run.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	for _, a := range doc.Assessments {
		cells := ""
		for _, v := range []float64{a.Overall.P05, a.Overall.P50, a.Overall.P95} {
			cells += `<td class="num">` + strconv.FormatFloat(v, 'f', 1, 64) + `</td>`
		}
		if !strings.Contains(res.stdout, cells) {
			t.Errorf("report lacks the interval %s", cells)
		}
	}
	if !strings.Contains(res.stdout, "3000 samples (seed 9)") {
		t.Error("report does not say how the run was made")
	}
	bad := runCLI(t, nil, "report", "--sensitivity", "--samples", "0")
	if bad.code != ExitUsage || !strings.Contains(bad.stderr, "--samples 0") {
		t.Errorf("--samples 0: exit %d, %q", bad.code, bad.stderr)
	}
}
