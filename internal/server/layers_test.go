package server

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/browsertest"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/capscore/capscore/internal/rubric"
	"github.com/capscore/capscore/internal/score"
	"github.com/capscore/capscore/internal/weights"
	"github.com/chromedp/chromedp"
)

// hostileConfig is a config file name made of markup, as a path on disk
// may be.
const hostileConfig = `cfg/<img src=x onerror=alert(1)>"&'.yaml`

// layeredServer serves with every layer in force, as `capscore serve`
// run with a config file (weights and aggregation), CAPSCORE_WEIGHTS,
// --profile military and --weight offence=4 would.
func layeredServer(t *testing.T) *Server {
	t.Helper()
	r, as := fixture(t)
	at := func(line int) string { return hostileConfig + ":" + strconv.Itoa(line) + ":3" }
	st := weights.Stack{
		Rubric: r,
		Config: []weights.Override{{ID: "national-strategy", Value: 3, Text: "national-strategy: 3",
			Origin: weights.Origin{Layer: weights.Config, Source: at(4), Name: hostileConfig}}},
		Env: []weights.Override{{ID: "intelligence", Value: 1.75, Text: "intelligence=1.75",
			Origin: weights.Origin{Layer: weights.Env, Source: "CAPSCORE_WEIGHTS", Name: "CAPSCORE_WEIGHTS"}}},
		Flags: flagLayer(t, "offence=4"),
	}
	profiles := weights.ProfilesOf(r, nil)
	st.Profile, _ = profiles.Find("military")
	layers := textfmt.Layers{
		Config: &textfmt.ConfigFile{File: hostileConfig, SHA256: strings.Repeat("ab", 32)},
		Settings: []textfmt.Setting{
			{Name: "profile", Value: "military", Origin: "flag --profile", From: "flag --profile"},
			{Name: "aggregation", Value: "geometric", Origin: "config " + at(2), From: "config " + hostileConfig},
		},
	}
	s, err := New(Config{Rubric: r, Assessments: as, Options: score.Options{Aggregation: rubric.Geometric},
		Profiles: profiles, Stack: st, Layers: layers, LoopbackOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const (
	cliWeights  = "rubric · profile military · config " + hostileConfig + " (national-strategy) · env CAPSCORE_WEIGHTS (intelligence) · flag (offence)"
	cliSettings = "profile military (flag --profile) · aggregation geometric (config " + hostileConfig + ")"
)

// layerLines reads the Weights and Settings lines off the page, unescaped,
// and whether the Settings line is shown.
func layerLines(t *testing.T, page string) (weightsLine, settingsLine string, shown bool) {
	t.Helper()
	w := regexp.MustCompile(`<span id="weights-line">([^<]*)</span>`).FindStringSubmatch(page)
	s := regexp.MustCompile(`<span id="settings"( hidden)?><br>Settings: <span id="settings-line">([^<]*)</span>`).FindStringSubmatch(page)
	if w == nil || s == nil {
		t.Fatalf("page has no Weights or Settings line")
	}
	return html.UnescapeString(w[1]), html.UnescapeString(s[2]), s[1] == ""
}

// The page, /api/score and the report name every layer that shaped the
// numbers: the config file, the environment, the command line's flags and
// profile, and what the page itself changed, as "page".
func TestPageNamesEveryLayer(t *testing.T) {
	s := layeredServer(t)
	for _, tc := range []struct {
		name, query      string
		weights, setting string
		// origins are weights' origins as the sliders show them.
		origins map[string]string
	}{
		{"the command line's", "", cliWeights, cliSettings,
			map[string]string{"offence": "flag --weight offence=4", "intelligence": "env CAPSCORE_WEIGHTS"}},
		{"a flag's value set again on the page", "?profile=military&weight=offence=4", cliWeights, cliSettings,
			map[string]string{"offence": "flag --weight offence=4"}},
		{"a slider moved", "?profile=military&weight=offence=2.5",
			"rubric · profile military · config " + hostileConfig + " (national-strategy) · env CAPSCORE_WEIGHTS (intelligence) · page (offence)", cliSettings,
			map[string]string{"offence": "flag page offence=2.5"}},
		{"a slider moved beside a flag", "?profile=military&weight=offence=4&weight=intelligence=0.5",
			"rubric · profile military · config " + hostileConfig + " (national-strategy) · flag (offence) · page (intelligence)", cliSettings,
			map[string]string{"offence": "flag --weight offence=4", "intelligence": "flag page intelligence=0.5"}},
		{"another profile", "?profile=defence-first&weight=offence=4",
			"rubric · profile defence-first · config " + hostileConfig + " (national-strategy) · env CAPSCORE_WEIGHTS (intelligence) · flag (offence)",
			"profile defence-first (page) · aggregation geometric (config " + hostileConfig + ")", nil},
		{"no profile", "?weight=offence=4",
			"rubric · config " + hostileConfig + " (national-strategy) · env CAPSCORE_WEIGHTS (intelligence) · flag (offence)",
			"profile none (page) · aggregation geometric (config " + hostileConfig + ")", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := do(t, s, http.MethodGet, "/"+tc.query, "", "")
			if page.status != http.StatusOK {
				t.Fatalf("page: status %d: %s", page.status, page.body)
			}
			if strings.Contains(page.body, "<img") {
				t.Error("the config file's name is markup on the page")
			}
			w, set, shown := layerLines(t, page.body)
			if w != tc.weights || set != tc.setting || !shown {
				t.Errorf("page:\nWeights: %s\nSettings: %s (shown %v)\nwant\nWeights: %s\nSettings: %s", w, set, shown, tc.weights, tc.setting)
			}

			api := do(t, s, http.MethodGet, "/api/score"+tc.query, "", "")
			var resp response
			if err := json.Unmarshal([]byte(api.body), &resp); err != nil || api.status != http.StatusOK {
				t.Fatalf("api: status %d, %v: %s", api.status, err, api.body)
			}
			if resp.WeightsLine != tc.weights || resp.SettingsLine != tc.setting {
				t.Errorf("api: weights_line %q, settings_line %q", resp.WeightsLine, resp.SettingsLine)
			}
			if resp.ConfigFile == nil || resp.ConfigFile.File != hostileConfig || len(resp.Settings) != 2 {
				t.Errorf("api: config_file %+v, settings %+v", resp.ConfigFile, resp.Settings)
			}
			for _, wv := range resp.Weights {
				if want, ok := tc.origins[wv.ID]; ok && wv.Origin != want {
					t.Errorf("api: %s set by %q, want %q", wv.ID, wv.Origin, want)
				}
			}

			rep := do(t, s, http.MethodGet, "/report"+tc.query, "", "")
			if rep.status != http.StatusOK {
				t.Fatalf("report: status %d: %s", rep.status, rep.body)
			}
			if strings.Contains(rep.body, "<img") {
				t.Error("the config file's name is markup in the report")
			}
			body := html.UnescapeString(rep.body)
			for _, want := range []string{"Weights: " + tc.weights + "<br>", "Settings: " + tc.setting + "</p>"} {
				if !strings.Contains(body, want) {
					t.Errorf("report lacks %q", want)
				}
			}
		})
	}
}

// A POST (what the sliders send) names the page's weights as the page's,
// and the command line's where they hold the command line's value; the
// Settings line goes when no setting is left.
func TestScoreNamesThePageLayer(t *testing.T) {
	s := layeredServer(t)
	rep := do(t, s, http.MethodPost, "/api/score", "application/json", `{"profile": "military", "weights": {"offence": 4, "resilience": 2}}`)
	var resp response
	if err := json.Unmarshal([]byte(rep.body), &resp); err != nil || rep.status != http.StatusOK {
		t.Fatalf("status %d, %v: %s", rep.status, err, rep.body)
	}
	want := "rubric · profile military · config " + hostileConfig + " (national-strategy) · env CAPSCORE_WEIGHTS (intelligence) · flag (offence) · page (resilience)"
	if resp.WeightsLine != want {
		t.Errorf("weights_line %q, want %q", resp.WeightsLine, want)
	}

	plain, _, _ := newServer(t)
	rep = do(t, plain, http.MethodPost, "/api/score", "application/json", `{"weights": {}}`)
	if err := json.Unmarshal([]byte(rep.body), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.WeightsLine != "rubric defaults ("+plain.cfg.Rubric.File+")" || resp.SettingsLine != "" || resp.ConfigFile != nil || resp.Settings == nil {
		t.Errorf("rubric alone: weights_line %q, settings_line %q, config_file %v, settings %v", resp.WeightsLine, resp.SettingsLine, resp.ConfigFile, resp.Settings)
	}
	page := do(t, plain, http.MethodGet, "/", "", "")
	if _, _, shown := layerLines(t, page.body); shown {
		t.Error("an empty Settings line is shown")
	}
}

// In the browser the Weights and Settings lines follow the sliders and the
// profile, and the config file's hostile name stays text.
func TestPageLayersInBrowser(t *testing.T) {
	ts := httptest.NewServer(layeredServer(t))
	defer ts.Close()
	ctx := browsertest.New(t, 25*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("weights-line"))); err != nil {
		t.Fatal(err)
	}
	lines := func() [2]string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[2]string](`[document.getElementById("weights-line").textContent,
			document.getElementById("settings").hidden ? "" : document.getElementById("settings-line").textContent]`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := lines(); got != [2]string{cliWeights, cliSettings} {
		t.Errorf("page opens with %q", got)
	}

	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const slider = document.getElementById("w-offence");
		slider.value = "2";
		slider.dispatchEvent(new Event("input", { bubbles: true }));
	})()`)); err != nil {
		t.Fatal(err)
	}
	moved := "rubric · profile military · config " + hostileConfig + " (national-strategy) · env CAPSCORE_WEIGHTS (intelligence) · page (offence)"
	wait(t, ctx, `document.getElementById("weights-line").textContent === `+jsString(t, moved))
	if got := lines(); got[1] != cliSettings {
		t.Errorf("after a slider: Settings %q", got[1])
	}

	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("profile"), "defence-first"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("profile").dispatchEvent(new Event("change"))`),
	); err != nil {
		t.Fatal(err)
	}
	settings := "profile defence-first (page) · aggregation geometric (config " + hostileConfig + ")"
	wait(t, ctx, `document.getElementById("settings-line").textContent === `+jsString(t, settings))
	want := "rubric · profile defence-first · config " + hostileConfig + " (national-strategy) · env CAPSCORE_WEIGHTS (intelligence)"
	if got := lines(); got[0] != want {
		t.Errorf("under the page's profile: Weights %q, want %q", got[0], want)
	}
	imgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("img").length`))
	if err != nil {
		t.Fatal(err)
	}
	if imgs != 0 {
		t.Errorf("%d img elements: the config file's name became markup", imgs)
	}
}

func jsString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
