package browsertest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The blocker must see what a page asks of the network, or the report's
// "no request left the page" test would pass for nothing.
func TestBlockNetworkRecordsRequests(t *testing.T) {
	ctx := New(t, 20*time.Second)
	rec := BlockNetwork(t, ctx)
	page := filepath.Join(t.TempDir(), "page.html")
	html := `<!DOCTYPE html><title>t</title>
<link rel="stylesheet" href="https://fonts.example.invalid/font.css">
<img src="http://192.0.2.1/pixel.png" alt="">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<p id="done">done</p>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitReady(chromedp.ID("done"))); err != nil {
		t.Fatal(err)
	}
	got := rec.Blocked()
	for _, want := range []string{"https://fonts.example.invalid/font.css", "http://192.0.2.1/pixel.png"} {
		if !slices.Contains(got, want) {
			t.Errorf("blocked %q, want %s among them", got, want)
		}
	}
	for _, u := range got {
		if local(u) {
			t.Errorf("blocked a local address %s", u)
		}
	}
}

func TestLocal(t *testing.T) {
	for u, want := range map[string]bool{
		"file:///tmp/report.html": true,
		"data:image/png;base64,":  true,
		"http://127.0.0.1/":       false,
		"https://example.org/":    false,
		"ws://127.0.0.1/":         false,
	} {
		if got := local(u); got != want {
			t.Errorf("local(%q) = %v, want %v", u, got, want)
		}
	}
}
