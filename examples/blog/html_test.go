package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/examples/blog/store/storetest"
)

// vnuTimeout bounds one run of the Nu Html Checker over every page (a JVM
// start and a dozen small files).
const vnuTimeout = 120 * time.Second

// vnuJar finds the Nu Html Checker: $TORNAGO_VNU_JAR, or where
// `npm install --ignore-scripts vnu-jar` put it in ~/.cache/tornago-vnu.
// Without it (or without java) the test skips, unless CI=true.
func vnuJar(t *testing.T) (java, jar string) {
	t.Helper()
	jar = os.Getenv("TORNAGO_VNU_JAR")
	if jar == "" {
		if home, err := os.UserHomeDir(); err == nil {
			jar = filepath.Join(home, ".cache/tornago-vnu/node_modules/vnu-jar/build/dist/vnu.jar")
		}
	}
	java, err := exec.LookPath("java")
	if _, serr := os.Stat(jar); err != nil || serr != nil {
		msg := fmt.Sprintf("HTML validation skipped: needs java (%v) and vnu.jar at %q (%v); install it with: mkdir -p ~/.cache/tornago-vnu && cd ~/.cache/tornago-vnu && npm install --ignore-scripts vnu-jar, or set TORNAGO_VNU_JAR", err, jar, serr)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return java, jar
}

// TestHTMLValid renders every page a visitor and the author see, in every
// state (empty, with form errors, paginated), and checks them with the Nu
// Html Checker: no errors allowed.
func TestHTMLValid(t *testing.T) {
	if testing.Short() {
		t.Skip("HTML validation skipped in -short mode")
	}
	java, jar := vnuJar(t)
	db := storetest.SQLite(t, nil)
	_, c := newTestApp(t, db, nil)
	dir := t.TempDir()
	n := 0
	save := func(target string, status int, form url.Values) {
		t.Helper()
		resp := c.Get(target)
		if form != nil {
			resp = c.Post(target, form)
		}
		want(t, target, resp, status, "")
		n++
		name := fmt.Sprintf("%02d%s.html", n, strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_").Replace(target))
		if err := os.WriteFile(filepath.Join(dir, name), resp.Body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	save("/auth/create?next=%2Fcompose", 200, nil)
	save("/auth/create", 400, url.Values{"email": {"x"}, "name": {""}, "password": {"short"}})
	signUp(t, c)
	save("/compose", 200, nil)
	save("/compose", 400, url.Values{"title": {""}, "markdown": {""}})
	md := "# Heading\n\nText with *emphasis*, `code` and a [link](https://example.com/?a=1&b=2).\n\n" +
		"```go\nfunc main() {}\n```\n\n> a quote\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n" +
		"![an image](/static/none.png \"title\")\n\n<script>alert(1)</script>\n\n~~struck~~ https://autolinked.example/"
	entry := post(t, c, "Valid & <checked>", md)
	e, err := db.EntryBySlug(context.Background(), strings.TrimPrefix(entry, "/entry/"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range archivePageSize {
		s := fmt.Sprintf("filler-%d", i)
		if _, err := db.CreateEntry(context.Background(), store.NewEntry{AuthorID: e.AuthorID, Slug: s, Title: s, Markdown: s, HTML: "<p>" + s + "</p>"}); err != nil {
			t.Fatal(err)
		}
	}
	save(entry, 200, nil)
	save("/", 200, nil)
	save("/archive", 200, nil)
	save("/archive?page=2", 200, nil)
	save(fmt.Sprintf("/compose?id=%d", e.ID), 200, nil)
	save(fmt.Sprintf("/delete?id=%d", e.ID), 200, nil)
	save("/no-such-page", 404, nil)
	c.Get("/auth/logout")
	save("/", 200, nil)
	save("/auth/login?next=%2Fcompose", 200, nil)
	save("/auth/login", 200, url.Values{"email": {"ben@example.com"}, "password": {"wrong password"}})

	ctx, cancel := context.WithTimeout(context.Background(), vnuTimeout)
	defer cancel()
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	args := append([]string{"-jar", jar, "--errors-only", "--format", "text"}, files...)
	out, err := exec.CommandContext(ctx, java, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("the Nu Html Checker found errors in %d pages (%v):\n%s", len(files), err, out)
	}
	t.Logf("%d pages valid HTML5", len(files))
}
