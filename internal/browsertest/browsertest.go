// Package browsertest starts Debian's headless Chromium for tests through
// the DevTools protocol, and can block and record every network request a
// page makes. Without Chromium a test is skipped, except under CI=true,
// where a missing browser fails it.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Chromium is where Debian's chromium package puts the browser.
const Chromium = "/usr/bin/chromium"

// New starts a fresh headless Chromium with its own profile directory and
// returns a context for one tab, cancelled when the test ends.
func New(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %v; CI installs it with apt-get install -y chromium", Chromium, err)
		}
		t.Skipf("%s not found; install it (apt-get install -y chromium) to run the browser tests", Chromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", Chromium, err)
	}
	return ctx
}

// Requests records the requests a page tried to make beyond file: and
// data: addresses.
type Requests struct {
	mu      sync.Mutex
	blocked []string
}

// Blocked returns the addresses refused so far.
func (r *Requests) Blocked() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.blocked...)
}

func (r *Requests) add(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.blocked = append(r.blocked, u)
}

// local reports whether an address stays on this machine without a
// network: a file on disk or data inline in the page.
func local(u string) bool {
	return strings.HasPrefix(u, "file:") || strings.HasPrefix(u, "data:")
}

// BlockNetwork pauses every request of the tab, lets file: and data:
// addresses through and fails and records every other one; requests seen
// by the network domain and web sockets are recorded too.
func BlockNetwork(t testing.TB, ctx context.Context) *Requests {
	t.Helper()
	rec := &Requests{}
	// Listen sees events in order, before the reply to the command that
	// caused them, so a navigation's requests are recorded when it returns.
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if !local(e.Request.URL) {
				rec.add(e.Request.URL)
			}
		case *network.EventWebSocketCreated:
			rec.add(e.URL)
		}
	})
	if err != nil {
		t.Fatalf("listen to the network: %v", err)
	}
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	go func() {
		for e, err := range paused {
			if err != nil {
				return
			}
			if local(e.Request.URL) {
				_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
				continue
			}
			rec.add(e.Request.URL)
			_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		}
	}()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable the network domain: %v", err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		t.Fatalf("intercept requests: %v", err)
	}
	return rec
}

// Keep writes a screenshot to the test's temporary directory, and to also
// when it is not empty (a test package's -screenshots flag), so a person
// can look at what the browser showed.
func Keep(t testing.TB, also, name string, png []byte) {
	t.Helper()
	dirs := []string{t.TempDir()}
	if also != "" {
		dirs = append(dirs, also)
	}
	for _, dir := range dirs {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
