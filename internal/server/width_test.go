package server

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/capscore/capscore/internal/browsertest"
	"github.com/capscore/capscore/internal/report/textfmt"
	"github.com/chromedp/chromedp"
)

// layout is how the page sits in the window.
type layout struct {
	ScrollWidth int `json:"scrollWidth"`
	ClientWidth int `json:"clientWidth"`
	// Scrolling lists the elements that scroll sideways inside the page.
	Scrolling []string `json:"scrolling"`
	Columns   []struct {
		ID    string  `json:"id"`
		Left  float64 `json:"left"`
		Right float64 `json:"right"`
	} `json:"columns"`
}

const readLayout = `({
	scrollWidth: document.documentElement.scrollWidth,
	clientWidth: document.documentElement.clientWidth,
	scrolling: Array.from(document.querySelectorAll("body *"))
		.filter(e => e.scrollWidth > e.clientWidth && ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
		.map(e => e.tagName.toLowerCase() + "." + e.className + " " + e.scrollWidth + " > " + e.clientWidth),
	columns: Array.from(document.querySelectorAll("table.scores thead th[id^=col-]")).map(th => {
		const b = th.getBoundingClientRect();
		return {id: th.id, left: b.left, right: b.right};
	}),
})`

// At 1,000 px wide, and just wide enough for the controls beside the
// scores, the page with the bundled assessments does not scroll sideways,
// nor does anything in it, and every pillar's column is in view.
func TestPageFitsAt1000pxInBrowser(t *testing.T) {
	s, r, _ := newServer(t)
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx := browsertest.New(t, 25*time.Second)
	for _, width := range []int64{1000, 1360} {
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 800),
			chromedp.Navigate(ts.URL+"/"),
			chromedp.WaitVisible(chromedp.ID("overall-1")),
		); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](readLayout))
		if err != nil {
			t.Fatal(err)
		}
		if got.ScrollWidth > got.ClientWidth || len(got.Scrolling) > 0 {
			t.Errorf("%d px: the page is %d px wide in a %d px window; scrolling sideways: %v", width, got.ScrollWidth, got.ClientWidth, got.Scrolling)
		}
		if len(got.Columns) != len(r.Pillars) {
			t.Fatalf("%d px: %d pillar columns, want %d", width, len(got.Columns), len(r.Pillars))
		}
		for _, c := range got.Columns {
			if c.Left < 0 || c.Right > float64(got.ClientWidth) {
				t.Errorf("%d px: column %s spans %.0f to %.0f px, outside the window", width, c.ID, c.Left, c.Right)
			}
		}
		if last := got.Columns[len(got.Columns)-1]; last.ID != "col-offence" {
			t.Errorf("last column %s, want col-offence", last.ID)
		}
		if width == 1000 {
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Keep(t, *screenshots, "page-1000.png", png)
		}
	}
}

// A page opened with mistakes in its query shows each beside its
// control, and the other controls work: a slider moves the scores, and
// moving the slider whose weight was wrong clears its message.
func TestPageQueryMistakesInBrowser(t *testing.T) {
	s, r, as := newServer(t)
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx := browsertest.New(t, 25*time.Second)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1000, 800),
		chromedp.Navigate(ts.URL+"/?weight=offence=abc&profile=nope"),
		chromedp.WaitVisible(chromedp.ID("e-offence")),
		chromedp.WaitVisible(chromedp.ID("profile-error")),
	); err != nil {
		t.Fatal(err)
	}
	// The message sits under its slider, within the slider's box.
	type box struct{ Slider, Msg, Pillar [4]float64 }
	b, err := chromedp.Run(ctx, chromedp.Evaluate[box](`(() => {
		const r = id => { const b = document.getElementById(id).getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
		const pillar = document.getElementById("w-offence").closest(".pillar").getBoundingClientRect();
		return {Slider: r("w-offence"), Msg: r("e-offence"), Pillar: [pillar.left, pillar.top, pillar.right, pillar.bottom]};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if b.Msg[1] < b.Slider[3]-1 || b.Msg[1] > b.Slider[3]+20 || b.Msg[0] < b.Pillar[0] || b.Msg[2] > b.Pillar[2] {
		t.Errorf("message at %v, slider at %v, in pillar %v", b.Msg, b.Slider, b.Pillar)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Keep(t, *screenshots, "page-mistakes.png", png)

	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const slider = document.getElementById("w-strategy");
		slider.value = "3";
		slider.dispatchEvent(new Event("input", { bubbles: true }));
	})()`)); err != nil {
		t.Fatal(err)
	}
	want := engine(t, r, as[0], "", "strategy=3")
	wait(t, ctx, `document.getElementById("overall-0").dataset.value === "`+strconv.FormatFloat(*want.Overall, 'g', -1, 64)+`"`)
	if got := read(t, ctx, 0); got.Text != textfmt.Num1(want.Overall) {
		t.Errorf("page shows %s, engine %s", got.Text, textfmt.Num1(want.Overall))
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const slider = document.getElementById("w-offence");
		slider.value = "2";
		slider.dispatchEvent(new Event("input", { bubbles: true }));
	})()`)); err != nil {
		t.Fatal(err)
	}
	wait(t, ctx, `document.getElementById("e-offence") === null && !document.getElementById("w-offence").hasAttribute("aria-invalid")`)
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("profile-error") !== null`)); err != nil || !ok {
		t.Errorf("the profile's message went with a change to the weights (%v)", err)
	}
}
