package main

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tornago/tornago/internal/browsertest"

	"github.com/tornago/tornago/templates"
)

// browserTimeout bounds the session: starting Chromium, two page loads and
// two messages on a busy two-core machine.
const browserTimeout = 60 * time.Second

// TestBrowserTwoTabs opens the chat in two tabs of headless Chromium; each
// tab posts a message and sees the other's, linkified, over WebSockets
// (with permessage-deflate, which Chromium offers).
func TestBrowserTwoTabs(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	browser := browsertest.Path(t)
	files, err := fs.Sub(templates.FS, "chat")
	if err != nil {
		t.Fatal(err)
	}
	app, room, err := newAppRoom(files, false)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := app.Listen(0, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	url := "http://" + srv.Addr().String() + "/"

	allocCtx, cancelAlloc := browsertest.Allocator(t, browser)
	defer cancelAlloc()
	tab1, cancel1 := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancel1()
	tab1, cancelT := context.WithTimeout(tab1, browserTimeout)
	defer cancelT()

	open := func(tab context.Context, name string) {
		t.Helper()
		if err := chromedp.Do(tab,
			chromedp.Navigate(url),
			chromedp.Steps(waitJS(`window.chatSocket !== undefined && window.chatSocket.readyState === 1`)),
		); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	open(tab1, "tab 1")
	// A second tab (in a window of its own, so it gets animation frames
	// for Poll) of the browser the first Run started.
	tab2, cancel2 := chromedp.NewContext(tab1)
	defer cancel2()
	open(tab2, "tab 2")
	post := func(tab context.Context, text string) {
		t.Helper()
		if err := chromedp.Do(tab,
			chromedp.SendKeys(chromedp.CSS("#message"), text),
			chromedp.Click(chromedp.CSS(`input[type="submit"]`)),
		); err != nil {
			t.Fatalf("posting %q: %v", text, err)
		}
	}
	inbox := func(tab context.Context, want string) string {
		t.Helper()
		if err := chromedp.Do(tab, waitJS(`document.getElementById("inbox").innerText.includes(`+jsString(want)+`)`)); err != nil {
			t.Fatalf("waiting for %q: %v", want, err)
		}
		html, err := chromedp.Run(tab, chromedp.InnerHTML(chromedp.CSS("#inbox")))
		if err != nil {
			t.Fatal(err)
		}
		return html
	}

	if on, all := room.compressed(); on != 2 || all != 2 {
		t.Fatalf("%d of %d browser sockets negotiated permessage-deflate, want 2 of 2", on, all)
	}
	post(tab1, "hello from tab 1, see http://tornadoweb.org")
	html := inbox(tab2, "hello from tab 1")
	if !strings.Contains(html, `<a href="http://tornadoweb.org">http://tornadoweb.org</a>`) {
		t.Fatalf("tab 2 inbox without the link:\n%s", html)
	}
	post(tab2, "and hello from tab 2 <script>")
	html = inbox(tab1, "and hello from tab 2 <script>")
	if strings.Count(html, `class="message"`) != 2 {
		t.Fatalf("tab 1 inbox:\n%s", html)
	}
}

// waitJS waits until the expression is true in the page.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr)(ctx, t)
		return err
	})
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "<", `\x3c`)
	return `"` + r.Replace(s) + `"`
}
