package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/load"
)

const (
	countries  = "internal/cli/testdata/countries"
	ruritania1 = countries + "/ruritania/2023.yaml"
	ruritania2 = countries + "/ruritania/2025.yaml"
	freedonia  = countries + "/freedonia/2025.yaml"
	japanBase  = "assessments/japan/2021.yaml"
	// resourced is ruritania1 with only its measured fact's sources changed.
	resourced = "internal/cli/testdata/compare/ruritania-2023b.yaml"
)

func TestCompareGolden(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"compare_table.golden", []string{"compare", ruritania1, ruritania2}},
		{"compare_country_markdown.golden", []string{"compare", "ruritania", countries, "--format", "markdown"}},
		{"compare_weights_csv.golden", []string{"compare", "RUR", countries, "--weights-b", "offence=2", "--format", "csv"}},
		{"compare_weights_json.golden", []string{"compare", ruritania1, ruritania2, "--profile-b", "military", "--format", "json"}},
		{"compare_countries.golden", []string{"compare", freedonia, ruritania2, ruritania1, "--against", "first"}},
		{"compare_profiles.golden", []string{"compare", japanBase, "--profiles", "equal,defence-first,military", "--against", "first"}},
		// One file under other weights, with each pillar's weight and contribution.
		{"compare_weightonly_detail_table.golden", []string{"compare", ruritania1, "--weights-b", "offence=3", "--detail"}},
		{"compare_weightonly_detail_markdown.golden", []string{"compare", ruritania1, "--profile-b", "military", "--detail", "--format", "markdown"}},
		{"compare_weightonly_detail_csv.golden", []string{"compare", ruritania1, "--weights-b", "offence=3", "--detail", "--format", "csv"}},
		{"compare_weightonly_json.golden", []string{"compare", ruritania1, "--profile-b", "military", "--format", "json"}},
		{"compare_detail_table.golden", []string{"compare", ruritania1, ruritania2, "--weights-b", "offence=2", "--detail"}},
		{"compare_detail_geometric.golden", []string{"compare", ruritania1, ruritania2, "--weights-b", "offence=2", "--detail", "--aggregation", "geometric", "--format", "markdown"}},
		// A fact that keeps its value but cites other sources.
		{"compare_fact_sources_table.golden", []string{"compare", ruritania1, resourced}},
		{"compare_fact_sources_markdown.golden", []string{"compare", ruritania1, resourced, "--format", "markdown"}},
		{"compare_fact_sources_csv.golden", []string{"compare", ruritania1, resourced, "--format", "csv"}},
		{"compare_fact_sources_json.golden", []string{"compare", ruritania1, resourced, "--format", "json"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			res := runCLI(t, nil, tt.args...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			golden(t, tt.golden, res.stdout)
		})
	}
}

// compareDoc is the part of the JSON output the tests read.
type compareDoc struct {
	Against string
	Columns []struct {
		Label, File, Profile string
		Overall              *float64
	}
	Steps []struct {
		From, To int
		Overall  struct{ From, To, Change *float64 }
		Weights  bool `json:"weights_differ"`
		Attrib   *struct {
			Total, Evidence, Weights float64
		} `json:"attribution"`
		Changes []struct {
			Criterion     string
			Stated        struct{ From, To *int }
			Credited      struct{ From, To *int }
			Effect        *float64
			NotComparable string                   `json:"not_comparable"`
			Added         []struct{ Claim string } `json:"evidence_added"`
			Removed       []struct{ Claim string } `json:"evidence_removed"`
		}
		Other   *float64 `json:"other_effect"`
		Rubrics *struct {
			Criteria []struct{ ID, Reason string }
		} `json:"rubric_difference"`
	}
	Warnings []string
}

func compareJSON(t *testing.T, args ...string) (compareDoc, result) {
	t.Helper()
	res := runCLI(t, nil, append(append([]string{"compare"}, args...), "--format", "json")...)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var doc compareDoc
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	return doc, res
}

// TestCompareAttribution checks the evidence/weights split on every kind of
// comparison: it sums to the change of the overall, and falls wholly on one
// part when only that part differs.
func TestCompareAttribution(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		name                 string
		args                 []string
		noEvidence, noWeight bool
	}{
		{"revision", []string{ruritania1, ruritania2}, false, true},
		{"weights both sides", []string{ruritania1, ruritania2, "--weights-a", "strategy=3", "--weights-b", "offence=2,intelligence=0.5"}, false, false},
		{"profiles per side", []string{ruritania1, ruritania2, "--profile-a", "defence-first", "--profile-b", "military"}, false, false},
		{"one assessment, several profiles", []string{ruritania2, "--profiles", "equal,military,economic-power"}, true, false},
		{"one assessment, other weights", []string{ruritania2, "--weights-b", "offence=3"}, true, false},
		{"one assessment, a profile each side", []string{ruritania1, "--profile-a", "defence-first", "--profile-b", "military", "--weights-b", "strategy=2"}, true, false},
		{"one country's one revision, first side's weights", []string{"FRE", countries, "--weights-a", "leadership=0"}, true, false},
		{"global weight on both", []string{ruritania1, ruritania2, "--weight", "offence=4"}, false, true},
		{"countries", []string{freedonia, ruritania1, ruritania2, "--weights-b", "leadership=3", "--against", "first"}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := compareJSON(t, tt.args...)
			if len(doc.Steps) != len(doc.Columns)-1 {
				t.Fatalf("%d steps for %d columns", len(doc.Steps), len(doc.Columns))
			}
			for _, st := range doc.Steps {
				at := st.Attrib
				if at == nil {
					t.Fatal("no attribution")
				}
				if math.Abs(at.Total-*st.Overall.Change) > 1e-9 || math.Abs(at.Evidence+at.Weights-at.Total) > 1e-9 {
					t.Errorf("step %d→%d: evidence %v + weights %v, total %v, overall change %v", st.From, st.To, at.Evidence, at.Weights, at.Total, *st.Overall.Change)
				}
				if tt.noEvidence && (at.Evidence != 0 || at.Weights != at.Total) || tt.noWeight && (at.Weights != 0 || st.Weights) {
					t.Errorf("step %d→%d: %+v, weights differ %v", st.From, st.To, *at, st.Weights)
				}
				if !tt.noWeight && !st.Weights {
					t.Errorf("step %d→%d: weights should differ", st.From, st.To)
				}
				sum := *st.Other
				for _, ch := range st.Changes {
					sum += *ch.Effect
				}
				if math.Abs(sum-*st.Overall.Change) > 1e-9 {
					t.Errorf("step %d→%d: effects sum to %v, overall changed %v", st.From, st.To, sum, *st.Overall.Change)
				}
			}
		})
	}
}

func TestCompareCountryOrder(t *testing.T) {
	chdirRepo(t)
	// Named newest first, a country name still orders by as_of.
	doc, _ := compareJSON(t, "Ruritania", ruritania2, ruritania1, freedonia)
	if len(doc.Columns) != 2 || doc.Columns[0].File != ruritania1 || doc.Columns[1].File != ruritania2 {
		t.Errorf("columns %+v", doc.Columns)
	}
	// Files without a country name keep the order given.
	doc, _ = compareJSON(t, ruritania2, ruritania1)
	if doc.Columns[0].File != ruritania2 {
		t.Errorf("columns %+v", doc.Columns)
	}
	// Two countries: each country's revisions in turn.
	doc, _ = compareJSON(t, "FRE", "rur", countries)
	var files []string
	for _, c := range doc.Columns {
		files = append(files, c.File)
	}
	if strings.Join(files, " ") != strings.Join([]string{freedonia, ruritania1, ruritania2}, " ") {
		t.Errorf("columns %v", files)
	}
}

// TestCompareBundledCountry compares every bundled revision of Japan.
func TestCompareBundledCountry(t *testing.T) {
	chdirRepo(t)
	n := 0
	for _, in := range load.BundledAssessments() {
		if strings.HasPrefix(in.Name, "bundled:assessments/japan/") {
			n++
		}
	}
	res := runCLI(t, nil, "compare", "japan", "--format", "json")
	if n < 2 {
		if res.code != ExitUsage || !strings.Contains(res.stderr, "two columns or more") {
			t.Errorf("one revision: exit %d, %s", res.code, res.stderr)
		}
		return
	}
	var doc compareDoc
	if res.code != ExitOK || json.Unmarshal([]byte(res.stdout), &doc) != nil {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if len(doc.Columns) != n || doc.Columns[0].File != load.Bundled+japanBase {
		t.Errorf("%d columns, first %s; want %d from %s", len(doc.Columns), doc.Columns[0].File, n, load.Bundled+japanBase)
	}
	// Every level that moved is among the changed findings.
	for _, st := range doc.Steps {
		for _, ch := range st.Changes {
			if ch.Credited.From != nil && ch.Credited.To != nil && *ch.Credited.From != *ch.Credited.To && ch.Effect == nil {
				t.Errorf("%s: level moved without an effect", ch.Criterion)
			}
		}
	}
}

// TestCompareRubricVersions compares across a revised rubric: it warns on
// stderr and names every criterion that cannot be compared.
func TestCompareRubricVersions(t *testing.T) {
	chdirRepo(t)
	in := load.BundledRubric()
	text := string(in.Data)
	for _, e := range [][2]string{
		{"version: 2.0.0", "version: 2.1.0"},
		{"thresholds: [100, 500, 2000, 5000]", "thresholds: [50, 500, 2000, 5000]"},
		{`0: "No national cyber- or information-security strategy has been published."`, `0: "No strategy."`},
		{"id: cybercrime-cooperation", "id: cybercrime-partnerships"},
	} {
		if !strings.Contains(text, e[0]) {
			t.Fatalf("bundled rubric lacks %q", e[0])
		}
		text = strings.Replace(text, e[0], e[1], 1)
	}
	rubricB := filepath.Join(t.TempDir(), "rubric-1.1.yaml")
	if err := os.WriteFile(rubricB, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, res := compareJSON(t, ruritania1, ruritania2, "--rubric-b", rubricB)
	for _, want := range []string{
		"uses rubric iiss-seven-pillars 2.0.0 and Ruritania 2025 uses iiss-seven-pillars 2.1.0",
		"4 criteria are not comparable: national-strategy, military-cyber-personnel, cybercrime-partnerships, cybercrime-cooperation",
		ruritania2 + ": judged against rubric iiss-seven-pillars version 1.0.0 but scored with version 2.1.0",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	d := doc.Steps[0].Rubrics
	if d == nil || len(d.Criteria) != 4 {
		t.Fatalf("rubric difference %+v", d)
	}
	marked := map[string]string{}
	for _, ch := range doc.Steps[0].Changes {
		marked[ch.Criterion] = ch.NotComparable
	}
	if !strings.Contains(marked["national-strategy"], "descriptors") || !strings.Contains(marked["military-cyber-personnel"], "measured differently") {
		t.Errorf("changes not marked: %v", marked)
	}
	table := runCLI(t, nil, "compare", ruritania1, ruritania2, "--rubric-b", rubricB)
	if !strings.Contains(table.stdout, "Not comparable:\n  national-strategy: the level descriptors differ") {
		t.Errorf("table does not list the criteria:\n%s", table.stdout)
	}
	// The same rubric on both sides (the one the files were judged
	// against), even read twice, warns of nothing.
	same := runCLI(t, nil, "compare", ruritania1, ruritania2, "--rubric-a", "rubrics/iiss-seven-pillars-1.0.0.yaml", "--rubric-b", "rubrics/iiss-seven-pillars-1.0.0.yaml")
	if same.code != ExitOK || strings.Contains(same.stderr, "rubric") {
		t.Errorf("same rubric: exit %d, %s", same.code, same.stderr)
	}
}

func TestCompareUsage(t *testing.T) {
	chdirRepo(t)
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"one column", []string{ruritania1}, ExitUsage, "two columns or more"},
		{"no argument", nil, ExitUsage, "requires at least 1 arg"},
		{"unknown country", []string{"atlantis", countries}, ExitInvalid, "countries: Freedonia (FRE), Ruritania (RUR)"},
		{"missing file", []string{ruritania1, countries + "/nowhere.yaml"}, ExitInvalid, "nowhere.yaml"},
		{"bad against", []string{ruritania1, ruritania2, "--against", "last"}, ExitUsage, "use previous or first"},
		{"bad weights", []string{ruritania1, ruritania2, "--weights-b", "offense=2"}, ExitUsage, "did you mean \"offence\""},
		{"bad profile", []string{ruritania1, ruritania2, "--profile-a", "navy"}, ExitUsage, "no such profile"},
		{"profiles and profile-a", []string{ruritania1, "--profiles", "equal", "--profile-a", "military"}, ExitUsage, "--profiles sets every column's profile"},
		{"bad format", []string{ruritania1, ruritania2, "--format", "html"}, ExitUsage, "format \"html\""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, append([]string{"compare"}, tt.args...)...)
			if res.code != tt.code || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, want %d; stderr lacks %q:\n%s", res.code, tt.code, tt.want, res.stderr)
			}
		})
	}
}

func TestCompareOutputFile(t *testing.T) {
	chdirRepo(t)
	out := filepath.Join(t.TempDir(), "compare.md")
	res := runCLI(t, nil, "compare", ruritania1, ruritania2, "--format", "markdown", "--output", out)
	if res.code != ExitOK || res.stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", res.code, res.stdout, res.stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	direct := runCLI(t, nil, "compare", ruritania1, ruritania2, "--format", "markdown")
	if string(got) != direct.stdout {
		t.Error("--output wrote other text than standard output shows")
	}
}

func TestCompareFlags(t *testing.T) {
	a := &app{io: IO{}, getenv: func(string) (string, bool) { return "", false }}
	var got *compareOptions
	cmd := a.newCompareCmd(func(o *compareOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"japan", "--profiles", "equal,military", "--weights-b", "offence=2", "--rubric-b", "r.yaml", "--against", "first"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.args, ",") != "japan" || strings.Join(got.profiles, "|") != "equal|military" ||
		got.weightsB != "offence=2" || got.rubricB != "r.yaml" || got.against != "first" {
		t.Errorf("%+v", got)
	}
}

// TestScoreRanksCountries checks that fixture countries score beside the
// bundled assessments and are ranked by their overall.
func TestScoreRanksCountries(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "score", countries, japanBase, "--format", "json")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var doc struct {
		Assessments []struct {
			Country string
			Overall float64
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Assessments) != 4 {
		t.Fatalf("%d assessments scored, want 4", len(doc.Assessments))
	}
	table := runCLI(t, nil, "score", countries, japanBase)
	_, ranking, ok := strings.Cut(table.stdout, "Ranking")
	if !ok {
		t.Fatalf("no ranking:\n%s", table.stdout)
	}
	last := -1
	for _, name := range []string{"Japan 2021", "Freedonia 2025", "Ruritania 2025", "Ruritania 2023"} {
		i := strings.Index(ranking, name)
		if i < last {
			t.Errorf("%s ranked out of order:\n%s", name, ranking)
		}
		last = i
	}
}

// TestCompareXLSXWeightOnlyAndFactSources reads back the workbook of one
// file under other weights (evidence 0, the weights part the whole change,
// every pillar's contribution change) and of a fact whose sources changed.
func TestCompareXLSXWeightOnlyAndFactSources(t *testing.T) {
	chdirRepo(t)
	b := readBook(t, writeXLSX(t, "compare", ruritania1, "--weights-b", "offence=3"))
	overall := b.records(t, "overall")
	if len(overall) != 2 || overall[1]["evidence"] != "0" || overall[1]["weights"] != overall[1]["change"] || overall[1]["change"] == "0" {
		t.Errorf("overall rows %v", overall)
	}
	moved := 0
	for _, row := range b.records(t, "pillars") {
		if row["column"] == "2" && row["contribution_change"] != "0" {
			moved++
		}
	}
	if moved != 7 {
		t.Errorf("%d pillars' contributions moved, want all 7", moved)
	}

	b = readBook(t, writeXLSX(t, "compare", ruritania1, resourced))
	changes := b.records(t, "changes")
	if len(changes) != 1 || changes[0]["criterion"] != "military-cyber-personnel" || changes[0]["fact_sources_added"] != "2" || changes[0]["fact_sources_removed"] != "1" {
		t.Errorf("changes %v", changes)
	}
	var got []string
	for _, row := range b.records(t, "evidence") {
		got = append(got, row["evidence"]+" "+row["claim"]+" "+row["source"]+" "+row["source_title"])
	}
	want := []string{
		"fact-source-added fact military-cyber-personnel r4 Defence Budget 2023",
		"fact-source-added fact military-cyber-personnel r5 Armed Forces Personnel Census 2023",
		"fact-source-removed fact military-cyber-personnel r2 Defence White Paper 2022",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("evidence rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCompleteCompare completes compare's arguments (bundled countries by
// name and code in the case typed, folders and YAML files) and its flags.
func TestCompleteCompare(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.yaml", "b.yml", "notes.txt", ".hidden.yaml", "sub/x.yaml", "sub/y.json", "jp.yaml"} {
		path := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	names := func(got []string) string {
		out := make([]string, len(got))
		for i, g := range got {
			out[i], _, _ = strings.Cut(g, "\t")
		}
		return strings.Join(out, " ")
	}
	for _, tt := range []struct {
		typed, want, directive string
	}{
		{"", "japan JPN sub/ a.yaml b.yml jp.yaml", ":4"},
		{"ja", "japan", ":4"},
		{"JA", "JAPAN", ":4"},
		{"Ja", "Japan", ":4"},
		{"jp", "jpn jp.yaml", ":4"},
		{"s", "sub/", ":6"}, // a folder alone: no space after it
		{"sub/", "sub/x.yaml", ":4"},
		{".h", ".hidden.yaml", ":4"},
		{"zz", "", ":4"},
	} {
		got, directive := complete(t, nil, "compare", tt.typed)
		if names(got) != tt.want || directive != tt.directive {
			t.Errorf("%q: %q %s, want %q %s", tt.typed, names(got), directive, tt.want, tt.directive)
		}
	}
	got, _ := complete(t, nil, "compare", "")
	if len(got) == 0 || !strings.HasPrefix(got[0], "japan\tJapan (JPN), bundled revisions 2021") {
		t.Errorf("country description: %q", got)
	}
	// Each of compare's own flags completes what it takes.
	for _, tt := range []struct {
		args     []string
		contains string
	}{
		{[]string{"compare", "--profile-b", ""}, "military"},
		{[]string{"compare", "--profile-a", "def"}, "defence-first"},
		{[]string{"compare", "--profiles", ""}, "equal"},
		{[]string{"compare", "--weights-b", "off"}, "offence="},
		{[]string{"compare", "--weights-a", "off"}, "offence="},
		{[]string{"compare", "--rubric-b", ""}, "iiss-seven-pillars@1.0.0"},
		{[]string{"compare", "--rubric-b", "bun"}, "bundled:rubrics/iiss-seven-pillars-1.0.0.yaml"},
		{[]string{"compare", "japan@"}, "japan@2025"},
		{[]string{"compare", "--against", ""}, "first"},
	} {
		if got, _ := complete(t, nil, tt.args...); !contains(got, tt.contains) {
			t.Errorf("%v: %v", tt.args, got)
		}
	}
}

// TestCompareOneFile compares a file with itself only when a side has
// other weights or another rubric; --detail changes no JSON.
func TestCompareOneFile(t *testing.T) {
	chdirRepo(t)
	res := runCLI(t, nil, "compare", ruritania1)
	if res.code != ExitUsage || !strings.Contains(res.stderr, "--weights-b") {
		t.Errorf("one file alone: exit %d, %s", res.code, res.stderr)
	}
	doc, _ := compareJSON(t, ruritania1, "--profile-a", "military")
	if len(doc.Columns) != 2 || doc.Columns[0].Label != "Ruritania 2023 · military" || doc.Columns[1].Label != "Ruritania 2023" ||
		doc.Columns[0].File != doc.Columns[1].File || len(doc.Steps[0].Changes) != 0 {
		t.Errorf("columns %+v", doc.Columns)
	}
	// Another rubric for the second side names it in the label.
	in := load.BundledRubric()
	r := strings.Replace(string(in.Data), "version: 2.0.0", "version: 2.0.1", 1)
	if r == string(in.Data) {
		t.Fatal("the bundled rubric's version line changed")
	}
	file := filepath.Join(t.TempDir(), "rubric.yaml")
	if err := os.WriteFile(file, []byte(r), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, _ = compareJSON(t, ruritania1, "--rubric-b", file)
	if len(doc.Columns) != 2 || doc.Columns[1].Label != "Ruritania 2023 · iiss-seven-pillars 2.0.1" {
		t.Errorf("columns %+v", doc.Columns)
	}
	plain := runCLI(t, nil, "compare", ruritania1, "--weights-b", "offence=3", "--format", "json")
	detail := runCLI(t, nil, "compare", ruritania1, "--weights-b", "offence=3", "--format", "json", "--detail")
	if plain.code != ExitOK || plain.stdout != detail.stdout {
		t.Errorf("--detail changed the JSON: exit %d %s", plain.code, plain.stderr)
	}
}
