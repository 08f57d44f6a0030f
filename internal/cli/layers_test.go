package cli

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/capscore/capscore/internal/testfix"
)

const layersConfig = "internal/cli/testdata/layers/capscore.yaml"

// layersRun has every layer in force: a rubric profile, a config file
// with weights and settings, CAPSCORE_WEIGHTS and --weight.
func layersRun(t *testing.T, args ...string) result {
	t.Helper()
	env := map[string]string{"CAPSCORE_WEIGHTS": "intelligence=1.75,sigint-scale=2"}
	all := append([]string{"--config", layersConfig, "--profile", "military", "--weight", "offence=4"}, args...)
	res := runCLI(t, env, all...)
	if res.code != ExitOK {
		t.Fatalf("%v: exit %d: %s", args, res.code, res.stderr)
	}
	return res
}

// The layers in force above and where the header must name them.
var layersNamed = []string{
	"Weights: rubric · profile military · config " + layersConfig + " (national-strategy) · env CAPSCORE_WEIGHTS (intelligence, sigint-scale) · flag (offence)",
	"Settings: profile military (flag --profile) · aggregation geometric (config " + layersConfig + ") · missing zero (config " + layersConfig + ")",
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Every format of score and compare names each layer: a header in tables
// and Markdown, columns in CSV, the config file, settings and every
// weight's origin in JSON.
func TestLayersNamedEverywhere(t *testing.T) {
	chdirRepo(t)
	sum := fileSHA256(t, layersConfig)
	for _, cmd := range [][]string{
		{"score", "assessments/japan/2021.yaml"},
		{"compare", "assessments/japan/2021.yaml", "assessments/japan/2025.yaml"},
	} {
		for _, f := range []string{"table", "markdown", "csv", "json"} {
			t.Run(cmd[0]+"/"+f, func(t *testing.T) {
				res := layersRun(t, append(cmd, "--format", f)...)
				golden(t, "layers/"+cmd[0]+"_"+f+".golden", res.stdout)
				switch f {
				case "table", "markdown":
					out := strings.ReplaceAll(res.stdout, `\`, "") // Markdown escapes
					for _, want := range layersNamed {
						if !strings.Contains(out, want+"\n") {
							t.Errorf("no line %q in\n%s", want, out)
						}
					}
				case "csv":
					checkLayersCSV(t, res.stdout, sum)
				case "json":
					checkLayersJSON(t, res.stdout, sum, cmd[0] == "compare")
				}
			})
		}
	}
}

func checkLayersCSV(t *testing.T, out, sum string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	weightsCol := "weights"
	if _, ok := col[weightsCol]; !ok {
		weightsCol = "weights_to" // compare: each side's
	}
	for _, h := range []string{weightsCol, "settings", "config", "config_sha256"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("no column %s in %v", h, rows[0])
		}
	}
	for _, r := range rows[1:] {
		if "Weights: "+r[col[weightsCol]] != layersNamed[0] || "Settings: "+r[col["settings"]] != layersNamed[1] ||
			r[col["config"]] != layersConfig || r[col["config_sha256"]] != sum {
			t.Fatalf("row %v does not name the layers", r)
		}
	}
}

type layersDoc struct {
	Config *struct{ File, SHA256 string }
	// Settings name where each came from.
	Settings []struct{ Name, Value, Origin string }
	Weights  json.RawMessage
}

type weightOrigins struct {
	Pillars, Criteria []struct {
		ID     string
		Weight float64
		Origin string
	}
}

func checkLayersJSON(t *testing.T, out, sum string, perColumn bool) {
	t.Helper()
	var doc layersDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Config == nil || doc.Config.File != layersConfig || doc.Config.SHA256 != sum {
		t.Errorf("config %+v, want %s with SHA-256 %s", doc.Config, layersConfig, sum)
	}
	var set []string
	for _, s := range doc.Settings {
		set = append(set, s.Name+"="+s.Value+" "+strings.SplitN(s.Origin, ":", 2)[0])
	}
	want := []string{"profile=military flag --profile", "aggregation=geometric config " + layersConfig, "missing=zero config " + layersConfig}
	if !slices.Equal(set, want) {
		t.Errorf("settings %q, want %q", set, want)
	}
	var ws []weightOrigins
	if perColumn {
		if err := json.Unmarshal(doc.Weights, &ws); err != nil {
			t.Fatal(err)
		}
	} else {
		ws = make([]weightOrigins, 1)
		if err := json.Unmarshal(doc.Weights, &ws[0]); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range ws {
		origin := map[string]string{}
		for _, e := range append(w.Pillars, w.Criteria...) {
			origin[e.ID] = e.Origin
		}
		for id, prefix := range map[string]string{"offence": "flag --weight offence=4", "intelligence": "env CAPSCORE_WEIGHTS",
			"national-strategy": "config " + layersConfig + ":6:3", "governance": "profile military (", "strategy": "rubric "} {
			if !strings.HasPrefix(origin[id], prefix) {
				t.Errorf("%s set by %q, want %q", id, origin[id], prefix)
			}
		}
	}
}

// A ./capscore.yaml found in the working folder is named in the table and
// recorded in JSON with the SHA-256 of its bytes; --no-config and
// CAPSCORE_NO_CONFIG=1 give the numbers of a run without it.
func TestConfigInWorkingFolder(t *testing.T) {
	japan, err := filepath.Abs("../../assessments/japan/2021.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bare := t.TempDir()
	t.Chdir(bare)
	plain := runCLI(t, nil, "score", japan, "--format", "json")
	if plain.code != ExitOK {
		t.Fatal(plain.stderr)
	}

	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, "capscore.yaml", "# weights of this folder\nweights:\n  offence: 3\n")
	sum := fileSHA256(t, "capscore.yaml")
	table := runCLI(t, nil, "score", japan)
	if !strings.HasPrefix(table.stdout, "Weights: rubric · config capscore.yaml (offence)\n") {
		t.Errorf("the table does not name the config file:\n%s", table.stdout)
	}
	js := runCLI(t, nil, "score", japan, "--format", "json")
	var doc layersDoc
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Config == nil || doc.Config.File != "capscore.yaml" || doc.Config.SHA256 != sum {
		t.Errorf("config %+v, want capscore.yaml with SHA-256 %s", doc.Config, sum)
	}
	if js.stdout == plain.stdout {
		t.Fatal("the config file changed nothing; the test proves nothing")
	}
	for _, tt := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--no-config"}},
		{map[string]string{"CAPSCORE_NO_CONFIG": "1"}, nil},
		{map[string]string{"CAPSCORE_NO_CONFIG": "true", "CAPSCORE_CONFIG": "capscore.yaml"}, nil},
	} {
		off := runCLI(t, tt.env, append([]string{"score", japan, "--format", "json"}, tt.args...)...)
		if off.code != ExitOK || off.stdout != plain.stdout {
			t.Errorf("%v %v: exit %d, output differs from a run without the config file:\n%s%s", tt.env, tt.args, off.code, off.stdout, off.stderr)
		}
	}
	for _, tt := range []struct {
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{nil, []string{"--config", "capscore.yaml", "--no-config"}, ExitUsage, "--no-config reads none"},
		{map[string]string{"CAPSCORE_NO_CONFIG": "1"}, []string{"--config", "capscore.yaml"}, ExitUsage, "CAPSCORE_NO_CONFIG=1 reads none"},
		{map[string]string{"CAPSCORE_NO_CONFIG": "yes please"}, nil, ExitInvalid, `CAPSCORE_NO_CONFIG "yes please"`},
	} {
		res := runCLI(t, tt.env, append([]string{"score", japan}, tt.args...)...)
		if res.code != tt.code || !strings.Contains(res.stderr, tt.msg) {
			t.Errorf("%v %v: exit %d, want %d with %q:\n%s", tt.env, tt.args, res.code, tt.code, tt.msg, res.stderr)
		}
	}
}

// For random combinations of layers, the Weights line names every layer
// that set a weight in force, with the ids it set, and no other.
func TestLayersHeaderProperty(t *testing.T) {
	chdirRepo(t)
	r := testfix.Rubric(t, "")
	// Rubric order, each pillar followed by its criteria, as the header
	// lists ids.
	var ids []string
	for _, pl := range r.Pillars {
		ids = append(ids, pl.ID)
		for _, cr := range pl.Criteria {
			ids = append(ids, cr.ID)
		}
	}
	profiles := r.ProfileNames()
	rng := rand.New(rand.NewPCG(13, 1))
	dir := t.TempDir()
	pick := func() []string {
		var out []string
		for _, id := range ids {
			if rng.IntN(12) == 0 {
				out = append(out, id)
			}
		}
		return out
	}
	for i := range 40 {
		// The layers, weakest first, each with the ids it sets.
		type layer struct {
			name string
			ids  []string
		}
		var layers []layer
		var args []string
		env := map[string]string{}
		if rng.IntN(2) == 0 {
			name := profiles[rng.IntN(len(profiles))]
			p, _ := r.Profile(name)
			var pids []string
			for _, s := range p.Weights {
				pids = append(pids, s.ID)
			}
			layers = append(layers, layer{"profile " + name, pids})
			args = append(args, "--profile", name)
		}
		cfg := filepath.Join(dir, fmt.Sprintf("c%d.yaml", i))
		text := "weights:\n"
		cids := pick()
		for _, id := range cids {
			text += fmt.Sprintf("  %s: %d\n", id, 1+rng.IntN(4))
		}
		if len(cids) == 0 {
			text = "missing: exclude\n"
		}
		writeFile(t, cfg, text)
		args = append(args, "--config", cfg)
		layers = append(layers, layer{"config " + cfg, cids})
		var env1 []string
		eids := pick()
		for _, id := range eids {
			env1 = append(env1, fmt.Sprintf("%s=%d", id, 1+rng.IntN(4)))
		}
		if len(eids) > 0 {
			env["CAPSCORE_WEIGHTS"] = strings.Join(env1, ",")
		}
		layers = append(layers, layer{"env CAPSCORE_WEIGHTS", eids})
		fids := pick()
		for _, id := range fids {
			args = append(args, "--weight", fmt.Sprintf("%s=%d", id, 1+rng.IntN(4)))
		}
		layers = append(layers, layer{"flag", fids})

		// Each id goes to the strongest layer that sets it.
		inForce := map[int][]string{}
		for _, id := range ids {
			for l := len(layers) - 1; l >= 0; l-- {
				if slices.Contains(layers[l].ids, id) {
					inForce[l] = append(inForce[l], id)
					break
				}
			}
		}
		want := []string{"rubric"}
		for l, ly := range layers {
			switch {
			case len(inForce[l]) == 0:
			case strings.HasPrefix(ly.name, "profile"):
				want = append(want, ly.name)
			default:
				want = append(want, ly.name+" ("+strings.Join(inForce[l], ", ")+")")
			}
		}
		line := "Weights: " + strings.Join(want, " · ")
		if len(want) == 1 {
			line = "Weights: rubric defaults (" + r.File + ")"
		}
		res := runCLI(t, env, append(args, "score", "assessments/japan/2021.yaml")...)
		if res.code != ExitOK {
			t.Fatalf("%v %v: %s", env, args, res.stderr)
		}
		if got, _, _ := strings.Cut(res.stdout, "\n"); got != line {
			t.Errorf("%v %v:\n got %s\nwant %s", env, args, got, line)
		}
	}
}
