package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// weight is one weight in force: its value and the origin shown for it.
type weight struct {
	value  float64
	origin string
}

// stackConfig writes a config file with weights and a profile of its own,
// so that every layer of the stack is in play.
func stackConfig(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "capscore.yaml")
	cfg := "weights:\n  offence: 2\n  sigint-scale: 0.5\nprofiles:\n  navy:\n    offence: 4\n    intelligence: 3\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// weightsByID is what `capscore weights` prints for args, by id.
func weightsByID(t *testing.T, env map[string]string, args ...string) map[string]weight {
	t.Helper()
	res := runCLI(t, env, append(append([]string{"weights"}, args...), "--format", "json")...)
	if res.code != ExitOK {
		t.Fatalf("weights %v: exit %d: %s", args, res.code, res.stderr)
	}
	type entry struct {
		ID       string  `json:"id"`
		Relative float64 `json:"relative"`
		Origin   string  `json:"origin"`
		Criteria []entry `json:"criteria"`
	}
	var doc struct {
		Pillars []entry `json:"pillars"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]weight{}
	for _, p := range doc.Pillars {
		out[p.ID] = weight{p.Relative, p.Origin}
		for _, c := range p.Criteria {
			out[c.ID] = weight{c.Relative, c.Origin}
		}
	}
	return out
}

// sameWeights fails unless got has every weight of want, with its value
// and origin. A compare column's own weights read "flag --weights-b ..."
// where `capscore weights` reads "flag --weight ...": for flags only the
// layer is compared.
func sameWeights(t *testing.T, what string, got, want map[string]weight) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d weights, want %d", what, len(got), len(want))
	}
	for id, w := range want {
		g := got[id]
		origin, wantOrigin := g.origin, w.origin
		if strings.HasPrefix(wantOrigin, "flag ") {
			origin, _, _ = strings.Cut(origin, " ")
			wantOrigin = "flag"
		}
		if g.value != w.value || origin != wantOrigin {
			t.Errorf("%s: %s = %g from %q, want %g from %q", what, id, g.value, g.origin, w.value, w.origin)
		}
	}
}

// Each compare column's weights are those of `capscore weights` with the
// flags the column stands for: its profile in place of --profile, its
// --weights-a/-b after every --weight.
func TestCompareSidesResolveAsFlags(t *testing.T) {
	chdirRepo(t)
	cfg := stackConfig(t)
	env := map[string]string{"CAPSCORE_WEIGHTS": "empowerment=3"}
	for _, tc := range []struct {
		name    string
		args    []string
		columns [][]string // the flags of `capscore weights` for each column
	}{
		{"profile and weights of the other side",
			[]string{ruritania1, "--profile-b", "navy", "--weights-b", "intelligence=2,offence=1", "--weight", "strategy=3", "--weight", "offence=5"},
			[][]string{{"--weight", "strategy=3", "--weight", "offence=5"},
				{"--profile", "navy", "--weight", "strategy=3", "--weight", "offence=5", "--weight", "intelligence=2", "--weight", "offence=1"}}},
		{"a side's profile in place of --profile",
			[]string{ruritania1, ruritania2, "--profile", "economic-power", "--profile-a", "military", "--weights-a", "offence=0.5"},
			[][]string{{"--profile", "military", "--weight", "offence=0.5"}, {"--profile", "economic-power"}}},
		{"profiles per column",
			[]string{ruritania1, ruritania2, "--profiles", "navy,equal", "--weights-b", "resilience=2"},
			[][]string{{"--profile", "navy"}, {"--profile", "equal", "--weight", "resilience=2"},
				{"--profile", "navy", "--weight", "resilience=2"}, {"--profile", "equal", "--weight", "resilience=2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--config", cfg, "compare"}, tc.args...)
			res := runCLI(t, env, append(args, "--format", "json")...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			var doc struct {
				Weights []struct {
					Pillars []struct {
						ID     string
						Weight float64
						Origin string
					} `json:"pillars"`
					Criteria []struct {
						ID     string
						Weight float64
						Origin string
					} `json:"criteria"`
				} `json:"weights"`
			}
			if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Weights) != len(tc.columns) {
				t.Fatalf("%d columns, want %d", len(doc.Weights), len(tc.columns))
			}
			for i, col := range doc.Weights {
				got := map[string]weight{}
				for _, w := range append(col.Pillars, col.Criteria...) {
					got[w.ID] = weight{w.Weight, w.Origin}
				}
				want := weightsByID(t, env, append([]string{"--config", cfg}, tc.columns[i]...)...)
				sameWeights(t, strings.Join(tc.columns[i], " "), got, want)
			}
		})
	}
}

// The page's weights are those of `capscore weights` with the page's
// profile and weights as --profile and --weight: the page opens with the
// command line's, and the config file's and the environment's stay under
// whatever it sets. What the page sets is named as the page's.
func TestServePageResolvesAsFlags(t *testing.T) {
	chdirRepo(t)
	cfg := stackConfig(t)
	env := map[string]string{"CAPSCORE_WEIGHTS": "empowerment=3"}
	url, _, stop := serve(t, env, "--config", cfg, "--addr", "127.0.0.1:0", "--profile", "military", "--weight", "offence=4", ruritania1, ruritania2)
	defer stop()
	for _, tc := range []struct {
		name, method, target, body string
		flags                      []string
	}{
		{"the opening state", http.MethodGet, "api/score", "", []string{"--profile", "military", "--weight", "offence=4"}},
		{"a profile of the config file and a slider", http.MethodPost, "api/score", `{"profile": "navy", "weights": {"intelligence": 2}}`,
			[]string{"--profile", "navy", "--weight", "intelligence=2"}},
		{"no profile, a weight of the config file moved", http.MethodGet, "api/score?weight=sigint-scale=3", "", []string{"--weight", "sigint-scale=3"}},
		{"a query", http.MethodGet, "api/score?profile=equal&weight=strategy=0", "", []string{"--profile", "equal", "--weight", "strategy=0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, url+tc.target, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Weights []struct {
					ID     string  `json:"id"`
					Value  float64 `json:"value"`
					Origin string  `json:"origin"`
				} `json:"weights"`
			}
			err = json.NewDecoder(res.Body).Decode(&doc)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, %v", res.StatusCode, err)
			}
			got := map[string]weight{}
			for _, w := range doc.Weights {
				got[w.ID] = weight{w.Value, w.Origin}
			}
			want := weightsByID(t, env, append([]string{"--config", cfg}, tc.flags...)...)
			sameWeights(t, strings.Join(tc.flags, " "), got, want)
			// The page's flags read as the command line's, place and all,
			// but for the layer's name: a weight the page set reads as the
			// page's, one the command line's --weight set as that flag.
			for id, w := range want {
				origin := w.origin
				if text, ok := strings.CutPrefix(origin, "flag --weight "); ok && text != "offence=4" {
					origin = "flag page " + text
				}
				if got[id].origin != origin {
					t.Errorf("%s from %q, want %q", id, got[id].origin, origin)
				}
			}
		})
	}
}
