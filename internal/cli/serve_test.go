package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServeFlagParsing(t *testing.T) {
	for _, tc := range []struct {
		args []string
		addr string
	}{
		{nil, "127.0.0.1:8080"},
		{[]string{"--addr", "[::1]:9000", "a.yaml"}, "[::1]:9000"},
	} {
		a := &app{io: IO{}, getenv: func(string) (string, bool) { return "", false }}
		var got *serveOptions
		cmd := a.newServeCmd(func(o *serveOptions) error { got = o; return errors.New("stop") })
		cmd.SetArgs(tc.args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		if err := cmd.Execute(); err == nil || got == nil {
			t.Fatal("runF not called")
		}
		if got.addr != tc.addr {
			t.Errorf("%v: addr %q, want %q", tc.args, got.addr, tc.addr)
		}
	}
}

// lockedBuffer is written by the command while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var servingAt = regexp.MustCompile(`at (http://\S+/) `)

// serve starts `capscore serve` in-process and returns its address; the
// returned func stops it as Ctrl-C would and returns the exit status.
func serve(t *testing.T, env map[string]string, args ...string) (string, *lockedBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb lockedBuffer
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := make(chan int, 1)
	go func() {
		code <- Run(ctx, append([]string{"serve"}, args...), IO{In: strings.NewReader(""), Out: &out, Err: &errb}, getenv)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := servingAt.FindStringSubmatch(out.String()); m != nil {
			stop := func() int {
				cancel()
				select {
				case c := <-code:
					return c
				case <-time.After(6 * time.Second):
					t.Fatal("serve did not stop after the interrupt")
					return -1
				}
			}
			t.Cleanup(func() { cancel() })
			return m[1], &errb, stop
		}
		select {
		case c := <-code:
			cancel()
			t.Fatalf("serve exited %d before listening: %s", c, errb.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start: %s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type apiReply struct {
	Assessments []struct {
		Label string `json:"label"`
		Value string `json:"value"`
	} `json:"assessments"`
	Command string `json:"command"`
}

// A score the page shows equals `capscore score --format json` run with
// the command line the page gives for the same weights.
func TestServeMatchesScoreJSON(t *testing.T) {
	chdirRepo(t)
	env := map[string]string{"CAPSCORE_WEIGHTS": "leadership=0.5"}
	url, stderr, stop := serve(t, env, "--addr", "127.0.0.1:0", "--profile", "military")
	body := `{"profile": "economic-power", "weights": {"offence": 2.5, "national-strategy": 0.25}}`
	res, err := http.Post(url+"api/score", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var got apiReply
	err = json.NewDecoder(res.Body).Decode(&got)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", res.StatusCode, err)
	}
	want := "capscore score --profile economic-power --weight national-strategy=0.25 --weight leadership=0.5 --weight offence=2.5"
	if got.Command != want {
		t.Fatalf("command %q, want %q", got.Command, want)
	}
	args := append(strings.Fields(strings.TrimPrefix(got.Command, "capscore ")), "--format", "json")
	cli := runCLI(t, nil, args...)
	if cli.code != ExitOK {
		t.Fatalf("%v: exit %d: %s", args, cli.code, cli.stderr)
	}
	var doc struct {
		Assessments []struct {
			Overall json.Number `json:"overall"`
		} `json:"assessments"`
	}
	if err := json.Unmarshal([]byte(cli.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Assessments) != len(got.Assessments) {
		t.Fatalf("%d assessments scored, %d served", len(doc.Assessments), len(got.Assessments))
	}
	for i, a := range got.Assessments {
		if a.Value != doc.Assessments[i].Overall.String() {
			t.Errorf("%s: page %s, capscore score %s", a.Label, a.Value, doc.Assessments[i].Overall)
		}
	}
	if code := stop(); code != ExitOK {
		t.Errorf("exit %d after the interrupt: %s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "warning: listening") {
		t.Errorf("warned about a loopback address: %s", stderr.String())
	}
}

// Ctrl-C stops serve within a second even while a client holds a
// half-sent request, with exit 0 and no error.
func TestServeStopsWithAHalfSentRequest(t *testing.T) {
	url, stderr, stop := serve(t, nil, "--addr", "127.0.0.1:0")
	conn, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET / HT")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	code := stop()
	if d := time.Since(start); d > time.Second {
		t.Errorf("stopped after %v, over a second", d)
	}
	if code != ExitOK || stderr.String() != "" {
		t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr.String())
	}
}

func TestServeWarnsBeyondLoopback(t *testing.T) {
	_, stderr, stop := serve(t, nil, "--addr", "0.0.0.0:0")
	if code := stop(); code != ExitOK {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(stderr.String(), "which other machines may reach") {
		t.Errorf("no warning for 0.0.0.0: %q", stderr.String())
	}
}

func TestServeErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"serve", "--weight", "offence=-1", "--addr", "127.0.0.1:0"}, ExitUsage, "negative"},
		{[]string{"serve", "--profile", "nope", "--addr", "127.0.0.1:0"}, ExitUsage, "no such profile"},
		{[]string{"serve", "--addr", "127.0.0.1:99999"}, ExitUsage, "--addr 127.0.0.1:99999"},
	} {
		res := runCLI(t, nil, tc.args...)
		if res.code != tc.code || !strings.Contains(res.stderr, tc.says) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d saying %q", tc.args, res.code, res.stderr, tc.code, tc.says)
		}
	}
}

// The page of `capscore serve` names the same layers as `capscore score`
// run with the same config file, variable and flags, in its answer and in
// the report it links to.
func TestServeNamesEveryLayer(t *testing.T) {
	chdirRepo(t)
	env := map[string]string{"CAPSCORE_WEIGHTS": "intelligence=1.75,sigint-scale=2"}
	url, stderr, stop := serve(t, env, "--addr", "127.0.0.1:0", "--config", layersConfig, "--profile", "military", "--weight", "offence=4")
	defer func() {
		if code := stop(); code != ExitOK {
			t.Errorf("exit %d after the interrupt: %s", code, stderr.String())
		}
	}()
	res, err := http.Get(url + "api/score")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		WeightsLine  string `json:"weights_line"`
		SettingsLine string `json:"settings_line"`
		ConfigFile   struct {
			File   string `json:"file"`
			SHA256 string `json:"sha256"`
		} `json:"config_file"`
	}
	err = json.NewDecoder(res.Body).Decode(&got)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", res.StatusCode, err)
	}
	if lines := []string{"Weights: " + got.WeightsLine, "Settings: " + got.SettingsLine}; !slices.Equal(lines, layersNamed) {
		t.Errorf("page names\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(layersNamed, "\n"))
	}
	if got.ConfigFile.File != layersConfig || got.ConfigFile.SHA256 != fileSHA256(t, layersConfig) {
		t.Errorf("config_file %+v", got.ConfigFile)
	}
	res, err = http.Get(url + "report")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range layersNamed {
		if !strings.Contains(string(body), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
