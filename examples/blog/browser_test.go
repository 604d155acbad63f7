package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tornago/tornago/internal/browsertest"

	"github.com/tornago/tornago/examples/blog/store/storetest"
	"github.com/tornago/tornago/webtest"
)

// browserTimeout bounds the whole browser session: starting Chromium and
// about twenty page loads on a busy two-core machine.
const browserTimeout = 90 * time.Second

// artifactsDir is where the screenshots go: $TORNAGO_ARTIFACTS/blog, or a
// temporary directory, logged either way.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if a := os.Getenv("TORNAGO_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, "blog")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// TestBrowser drives the blog in headless Chromium as a person would: sign
// up, sign out, sign in, write a post in Markdown, find it on every page,
// edit it, delete it.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	browser := browsertest.Path(t)
	shots := artifactsDir(t)
	app, _ := newTestApp(t, storetest.SQLite(t, nil), nil)
	srv := webtest.StartServer(t, app)

	allocCtx, cancelAlloc := browsertest.Allocator(t, browser, chromedp.WindowSize(1024, 768))
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelCtx()
	ctx, cancel := context.WithTimeout(ctx, browserTimeout)
	defer cancel()

	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	get := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	var url, text string
	page := func(what string) {
		t.Helper()
		run(what, chromedp.WaitReady(chromedp.CSS("body")))
		url = get(what, chromedp.Location())
		text = get(what, chromedp.Text(chromedp.CSS("body")))
	}
	// waitText waits until the page (after a form's navigation) shows s.
	waitText := func(s string) {
		t.Helper()
		js := fmt.Sprintf("document.body !== null && document.body.innerText.includes(%q)", s)
		var err error
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			var ok bool
			// During the navigation the old page's context vanishes: retry.
			if ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
				return
			}
		}
		t.Fatalf("the page never showed %q (%v)", s, err)
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// An empty blog sends the visitor to sign up, and back to compose.
	run("open", chromedp.Navigate(srv.URL+"/"))
	page("first visit")
	if !strings.HasSuffix(url, "/auth/create?next=%2Fcompose") {
		t.Fatalf("an empty blog led to %s", url)
	}
	run("sign up",
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "ben@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "Ben"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "correct horse"),
		chromedp.Click(chromedp.CSS(`input[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`textarea[name="markdown"]`)))
	page("after sign up")
	if !strings.HasSuffix(url, "/compose") {
		t.Fatalf("sign up ended at %s", url)
	}

	// Sign out, then in again from the sign-in link.
	// Wait for the signed-out page (a sign-in link, or the sign-in form
	// itself): the current page's body would be ready at once, and a
	// Navigate while the sign-out is under way aborts one of the two.
	run("sign out", chromedp.Click(chromedp.CSS(`a[href^="/auth/logout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/auth/login"], input[name="email"]`)))
	run("open login", chromedp.Navigate(srv.URL+"/auth/login?next=%2Fcompose"), chromedp.WaitVisible(chromedp.CSS(`input[name="email"]`)))
	run("wrong password",
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "ben@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "wrong horse"),
		chromedp.Click(chromedp.CSS(`input[type="submit"]`)))
	waitText("incorrect password")
	page("wrong password")
	if !strings.Contains(text, "incorrect password") {
		t.Fatalf("wrong password page: %s", text)
	}
	run("sign in",
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), "correct horse"),
		chromedp.Click(chromedp.CSS(`input[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`textarea[name="markdown"]`)))
	page("after sign in")
	if !strings.HasSuffix(url, "/compose") {
		t.Fatalf("sign in ended at %s", url)
	}

	// Compose a post in Markdown.
	run("compose",
		chromedp.SendKeys(chromedp.CSS(`input[name="title"]`), "My first post"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="markdown"]`), "Hello from **Chromium**.\n\n<script>document.title='owned'</script>"))
	shot("compose.png")
	run("publish", chromedp.Click(chromedp.CSS(`input[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`div.entry`)))
	page("entry")
	strong := get("entry body", chromedp.Text(chromedp.CSS(`div.entry .body strong`)))
	title := get("entry title", chromedp.Title())
	if !strings.HasSuffix(url, "/entry/my-first-post") || strong != "Chromium" || title != blogTitle {
		t.Fatalf("entry page %s: strong %q, title %q", url, strong, title)
	}

	// Home, archive and feed show it.
	run("home", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`div.entry`)))
	page("home")
	if !strings.Contains(text, "My first post") || !strings.Contains(text, "Edit this post") {
		t.Fatalf("home: %s", text)
	}
	shot("home.png")
	run("archive", chromedp.Click(chromedp.CSS(`a[href="/archive"]`)), chromedp.WaitVisible(chromedp.CSS(`ul.archive`)))
	page("archive")
	if !strings.Contains(text, "My first post") {
		t.Fatalf("archive: %s", text)
	}
	feed := fetchFeed(t, srv)
	if len(feed.Entries) != 1 || feed.Entries[0].Title != "My first post" {
		t.Fatalf("feed entries: %+v", feed.Entries)
	}

	// Edit it.
	run("open entry", chromedp.Navigate(srv.URL+"/entry/my-first-post"), chromedp.WaitVisible(chromedp.CSS(`div.entry`)))
	run("edit", chromedp.Click(chromedp.CSS(`.admin a`)), chromedp.WaitVisible(chromedp.CSS(`input[name="title"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="title"]`), "My edited post"),
		chromedp.Click(chromedp.CSS(`input[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`div.entry`)))
	page("edited entry")
	if !strings.HasSuffix(url, "/entry/my-first-post") || !strings.Contains(text, "My edited post") {
		t.Fatalf("edited entry %s: %s", url, text)
	}
	if feed := fetchFeed(t, srv); feed.Entries[0].Title != "My edited post" {
		t.Fatalf("feed after edit: %+v", feed.Entries)
	}

	// Delete it, after confirming.
	run("open editor", chromedp.Click(chromedp.CSS(`.admin a`)), chromedp.WaitVisible(chromedp.CSS(`a.delete`)))
	run("delete", chromedp.Click(chromedp.CSS(`a.delete`)), chromedp.WaitVisible(chromedp.CSS(`form.delete`)))
	page("confirmation")
	if !strings.Contains(text, "My edited post") {
		t.Fatalf("confirmation: %s", text)
	}
	run("confirm", chromedp.Click(chromedp.CSS(`form.delete input[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`textarea[name="markdown"]`)))
	page("after delete")
	if !strings.HasSuffix(url, "/compose") { // no entries left: home sends to compose
		t.Fatalf("after delete: %s", url)
	}
	run("deleted entry", chromedp.Navigate(srv.URL+"/entry/my-first-post"))
	page("deleted entry")
	if !strings.Contains(text, "404: Not Found") {
		t.Fatalf("deleted entry: %s", text)
	}
}

func fetchFeed(t *testing.T, srv *webtest.Server) atomFeed {
	t.Helper()
	resp, body, err := srv.Get("/feed")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /feed: %v %v", resp, err)
	}
	var f atomFeed
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("feed: %v", err)
	}
	return f
}
