package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/examples/blog/internal/loginlimit"
	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/examples/blog/store/storetest"
)

func TestEmptyBlogSendsToSignUp(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		_, c := newTestApp(t, db, nil)
		want(t, "GET /", c.Get("/"), 302, "/compose")
		want(t, "GET /compose", c.Get("/compose"), 302, "/auth/login?next=%2Fcompose")
		want(t, "GET /auth/login", c.Get("/auth/login?next=%2Fcompose"), 302, "/auth/create?next=%2Fcompose")
		resp := c.Get("/auth/create?next=%2Fcompose")
		want(t, "GET /auth/create", resp, 200, "")
		contains(t, "create form", resp, `name="next" value="/compose"`, `name="_xsrf"`, `name="email"`)
		want(t, "GET /feed", c.Get("/feed"), 200, "")
		want(t, "GET /archive", c.Get("/archive"), 200, "")

		// POST without _xsrf is refused before anything else.
		want(t, "POST /auth/create without _xsrf", postRaw(c, "/auth/create", testAuthor), 403, "")

		// Invalid forms come back with a message per field, what was typed kept.
		resp = c.Post("/auth/create", url.Values{"email": {"not-an-email"}, "name": {strings.Repeat("n", 101)}, "password": {"short"}, "next": {"/compose"}})
		want(t, "invalid author", resp, 400, "")
		contains(t, "invalid author", resp, "email must be a valid email address", "name must be at most 100 characters",
			"password must be at least 8 characters", `value="not-an-email"`, `name="next" value="/compose"`)
		lacks(t, "invalid author", resp, `value="short"`)
		resp = c.Post("/auth/create", url.Values{"email": {""}, "name": {""}, "password": {strings.Repeat("p", 73)}})
		want(t, "empty author", resp, 400, "")
		contains(t, "empty author", resp, "email is required", "name is required", "password must be at most 72 bytes")

		// An open redirect is refused.
		form := url.Values{"next": {"//evil.example/"}}
		for k, v := range testAuthor {
			form[k] = v
		}
		want(t, "create with next=//evil", c.Post("/auth/create", form), 400, "")

		form.Set("next", "/compose")
		want(t, "POST /auth/create", c.Post("/auth/create", form), 302, "/compose")
		if c.Cookie(userCookie) == "" {
			t.Fatal("no blogdemo_user cookie after creating the author")
		}
		// A second author is refused, form or not.
		want(t, "second GET /auth/create", c.Get("/auth/create"), 400, "")
		form.Set("email", "eve@example.com")
		want(t, "second POST /auth/create", c.Post("/auth/create", form), 400, "")
		if n, _ := db.CountAuthors(context.Background()); n != 1 {
			t.Fatalf("%d authors, want 1", n)
		}
		resp = c.Get("/compose")
		want(t, "GET /compose signed in", resp, 200, "")
		contains(t, "compose", resp, `name="title"`, `name="markdown"`, `name="_xsrf"`, "Sign out", `href="/compose"`)
		lacks(t, "compose", resp, `name="id"`)
	})
}

func TestLoginLogout(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		_, c := newTestApp(t, db, nil)
		signUp(t, c)
		want(t, "logout", c.Get("/auth/logout?next=%2Farchive"), 302, "/archive")
		if c.Cookie(userCookie) != "" {
			t.Fatal("logout kept the login cookie")
		}
		want(t, "compose signed out", c.Get("/compose"), 302, "/auth/login?next=%2Fcompose")
		want(t, "POST compose signed out", c.Post("/compose", url.Values{"title": {"x"}, "markdown": {"y"}}), 403, "")

		resp := c.Get("/auth/login?next=%2Fcompose")
		want(t, "GET /auth/login", resp, 200, "")
		contains(t, "login form", resp, `name="next" value="/compose"`, `name="_xsrf"`)

		want(t, "login without _xsrf", postRaw(c, "/auth/login", url.Values{"email": testAuthor["email"], "password": testAuthor["password"]}), 403, "")

		resp = c.Post("/auth/login", url.Values{"email": {"nobody@example.com"}, "password": {"whatever1"}, "next": {"/compose"}})
		want(t, "unknown email", resp, 200, "")
		contains(t, "unknown email", resp, "Error: email not found", `value="nobody@example.com"`, `name="next" value="/compose"`)

		resp = c.Post("/auth/login", url.Values{"email": testAuthor["email"], "password": {"wrong password"}})
		want(t, "wrong password", resp, 200, "")
		contains(t, "wrong password", resp, "Error: incorrect password")
		if c.Cookie(userCookie) != "" {
			t.Fatal("a wrong password signed in")
		}

		for _, bad := range []string{"//evil.example/", "http://evil.example/", `/\evil.example`, "evil", "/a\\b"} {
			want(t, "login next="+bad, c.Post("/auth/login", url.Values{"email": testAuthor["email"], "password": testAuthor["password"], "next": {bad}}), 400, "")
			want(t, "logout next="+bad, c.Get("/auth/logout?next="+url.QueryEscape(bad)), 400, "")
			want(t, "login page next="+bad, c.Get("/auth/login?next="+url.QueryEscape(bad)), 400, "")
		}
		if c.Cookie(userCookie) != "" {
			t.Fatal("a refused next still signed in")
		}
		resp = c.Post("/auth/login", url.Values{"email": testAuthor["email"], "password": testAuthor["password"], "next": {"/compose"}})
		want(t, "login", resp, 302, "/compose")
		want(t, "compose signed in", c.Get("/compose"), 200, "")
		want(t, "logout without next", c.Get("/auth/logout"), 302, "/")

		// A forged cookie is nobody.
		c.SetCookie(userCookie, "1")
		want(t, "forged cookie", c.Get("/compose"), 302, "/auth/login?next=%2Fcompose")
	})
}

func TestLoginLimit(t *testing.T) {
	_, c := newTestApp(t, storetest.SQLite(t, nil), loginlimit.New(loginlimit.Config{PerAddress: 3, PerEmail: 2}))
	signUp(t, c)
	c.Get("/auth/logout")
	c.Get("/auth/login")
	for i := range 2 {
		resp := c.Post("/auth/login", url.Values{"email": testAuthor["email"], "password": {"wrong password"}})
		want(t, fmt.Sprint("failure ", i), resp, 200, "")
	}
	resp := c.Post("/auth/login", url.Values{"email": testAuthor["email"], "password": testAuthor["password"]})
	want(t, "limited", resp, 429, "")
	contains(t, "limited", resp, "too many failed sign-ins")
	if resp.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// Another email from the same address: one more failure blocks the address.
	c.Post("/auth/login", url.Values{"email": {"x@example.com"}, "password": {"wrong password"}})
	want(t, "address limited", c.Post("/auth/login", url.Values{"email": {"y@example.com"}, "password": {"p"}}), 429, "")
	// Another address is still welcome for another email.
	c.RemoteIP = "192.0.2.7"
	want(t, "other address", c.Post("/auth/login", url.Values{"email": {"y@example.com"}, "password": {"p"}}), 200, "")
}

func TestEntries(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		_, c := newTestApp(t, db, nil)
		signUp(t, c)

		// Invalid compose forms come back with messages.
		c.Get("/compose")
		resp := c.Post("/compose", url.Values{"title": {" "}, "markdown": {"kept text"}})
		want(t, "empty title", resp, 400, "")
		contains(t, "empty title", resp, `<p class="error">title is required</p>`, ">kept text</textarea>")
		resp = c.Post("/compose", url.Values{"title": {strings.Repeat("é", 513)}, "markdown": {""}})
		want(t, "long title", resp, 400, "")
		contains(t, "long title", resp, "title must be at most 512 characters", "markdown is required")
		want(t, "compose without _xsrf", postRaw(c, "/compose", url.Values{"title": {"t"}, "markdown": {"m"}}), 403, "")

		md := "Some *text*.\n\n<script>alert('x')</script>\n\n[link](javascript:alert(1)) <img src=x onerror=alert(1)>"
		loc := post(t, c, "Hello, Wörld & Friends", md)
		if loc != "/entry/hello-world-friends" {
			t.Fatalf("first entry at %q", loc)
		}
		if loc2 := post(t, c, "Hello Wörld friends!", "second"); loc2 != "/entry/hello-world-friends-2" {
			t.Fatalf("colliding slug %q", loc2)
		}
		if loc3 := post(t, c, "Hello World Friends", "third"); loc3 != "/entry/hello-world-friends-3" {
			t.Fatalf("colliding slug %q", loc3)
		}
		if loc4 := post(t, c, "日本語", "fourth"); loc4 != "/entry/entry" {
			t.Fatalf("non-ASCII title slug %q", loc4)
		}
		if loc5 := post(t, c, strings.Repeat("long ", 60), "fifth"); len(loc5)-len("/entry/") > store.MaxSlugLength {
			t.Fatalf("slug longer than %d: %q", store.MaxSlugLength, loc5)
		}

		resp = c.Get(loc)
		want(t, "GET entry", resp, 200, "")
		contains(t, "entry", resp, "Hello, Wörld &amp; Friends", "<em>text</em>", `href="/compose?id=`, "Edit this post")
		lacks(t, "entry", resp, "<script>alert", "javascript:", "onerror")
		e, err := db.EntryBySlug(context.Background(), "hello-world-friends")
		if err != nil {
			t.Fatal(err)
		}

		want(t, "unknown slug", c.Get("/entry/no-such-entry"), 404, "")
		contains(t, "unknown slug", c.Get("/entry/no-such-entry"), "404: Not Found", "There is no such page", `<link rel="stylesheet"`)
		want(t, "unknown URL", c.Get("/no/such/page"), 404, "")
		want(t, "POST unknown URL", postRaw(c, "/no/such/page", nil), 404, "")

		resp = c.Get("/")
		want(t, "home", resp, 200, "")
		contains(t, "home", resp, "Hello, Wörld &amp; Friends", "Hello Wörld friends!", `href="/archive"`, `class="date"`)
		if n := strings.Count(resp.Text(), `<div class="entry">`); n != 5 {
			t.Fatalf("home shows %d entries, want 5", n)
		}
		resp = c.Get("/archive")
		want(t, "archive", resp, 200, "")
		contains(t, "archive", resp, `href="/entry/hello-world-friends-3"`, "Hello World Friends")
		lacks(t, "archive", resp, `class="pages"`)
		want(t, "archive page 2", c.Get("/archive?page=2"), 404, "")
		want(t, "archive page x", c.Get("/archive?page=x"), 400, "")
		want(t, "archive page 0", c.Get("/archive?page=0"), 400, "")

		// Edit: the form is filled, the slug stays, the text changes.
		id := fmt.Sprint(e.ID)
		resp = c.Get("/compose?id=" + id)
		want(t, "edit form", resp, 200, "")
		contains(t, "edit form", resp, `value="Hello, Wörld &amp; Friends"`, `name="id" value="`+id+`"`, "Delete this post", "Save changes")
		resp = c.Post("/compose", url.Values{"id": {id}, "title": {""}, "markdown": {"x"}})
		want(t, "invalid edit", resp, 400, "")
		contains(t, "invalid edit", resp, `name="id" value="`+id+`"`, "title is required")
		want(t, "edit", c.Post("/compose", url.Values{"id": {id}, "title": {"Edited title"}, "markdown": {"New **body**"}}), 302, loc)
		contains(t, "edited", c.Get(loc), "Edited title", "<strong>body</strong>")
		want(t, "edit unknown id", c.Get("/compose?id=99999"), 404, "")
		want(t, "edit bad id", c.Get("/compose?id=abc"), 404, "")
		want(t, "POST edit unknown id", c.Post("/compose", url.Values{"id": {"99999"}, "title": {"t"}, "markdown": {"m"}}), 404, "")

		// Delete: confirmation, XSRF, then gone.
		resp = c.Get("/delete?id=" + id)
		want(t, "delete confirmation", resp, 200, "")
		contains(t, "delete confirmation", resp, "Edited title", `action="/delete"`, `name="_xsrf"`)
		want(t, "delete without _xsrf", postRaw(c, "/delete", url.Values{"id": {id}}), 403, "")
		want(t, "delete", c.Post("/delete", url.Values{"id": {id}}), 302, "/")
		want(t, "deleted entry", c.Get(loc), 404, "")
		want(t, "delete again", c.Post("/delete", url.Values{"id": {id}}), 404, "")
		want(t, "delete without id", c.Get("/delete"), 400, "")

		// Signed out: no edit links, no compose or delete.
		c.Get("/auth/logout")
		resp = c.Get("/")
		lacks(t, "home signed out", resp, "Edit this post", "Sign out")
		contains(t, "home signed out", resp, `<a href="/auth/login?next=%2F">Sign in</a> to compose/edit`)
		want(t, "delete signed out", c.Get("/delete?id=1"), 302, "/auth/login?next=%2Fdelete%3Fid%3D1")
		want(t, "POST delete signed out", c.Post("/delete", url.Values{"id": {"1"}}), 403, "")
	})
}

func TestOtherAuthorsEntries(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		_, c := newTestApp(t, db, nil)
		signUp(t, c)
		ctx := context.Background()
		other, err := db.CreateAuthor(ctx, store.NewAuthor{Email: "eve@example.com", Name: "Eve", HashedPassword: "x"})
		if err != nil {
			t.Fatal(err)
		}
		e, err := db.CreateEntry(ctx, store.NewEntry{AuthorID: other.ID, Slug: "eves", Title: "Eve's", Markdown: "m", HTML: "<p>m</p>"})
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprint(e.ID)
		want(t, "edit another's", c.Get("/compose?id="+id), 403, "")
		c.Get("/compose")
		want(t, "POST edit another's", c.Post("/compose", url.Values{"id": {id}, "title": {"t"}, "markdown": {"m"}}), 403, "")
		want(t, "delete another's", c.Post("/delete", url.Values{"id": {id}}), 403, "")
		want(t, "still there", c.Get("/entry/eves"), 200, "")
	})
}

func TestArchivePages(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		_, c := newTestApp(t, db, nil)
		signUp(t, c)
		a, err := db.AuthorByEmail(context.Background(), testAuthor.Get("email"))
		if err != nil {
			t.Fatal(err)
		}
		for i := range archivePageSize + 1 {
			s := fmt.Sprintf("e%03d", i)
			if _, err := db.CreateEntry(context.Background(), store.NewEntry{AuthorID: a.ID, Slug: s, Title: s, Markdown: s, HTML: s}); err != nil {
				t.Fatal(err)
			}
		}
		resp := c.Get("/archive")
		want(t, "archive 1", resp, 200, "")
		contains(t, "archive 1", resp, "Page 1 of 2", `href="/archive?page=2"`)
		if n := strings.Count(resp.Text(), "<li>"); n != archivePageSize {
			t.Fatalf("page 1 lists %d entries", n)
		}
		resp = c.Get("/archive?page=2")
		want(t, "archive 2", resp, 200, "")
		contains(t, "archive 2", resp, "Page 2 of 2", `href="/archive?page=1"`)
		if n := strings.Count(resp.Text(), "<li>"); n != 1 {
			t.Fatalf("page 2 lists %d entries", n)
		}
		want(t, "archive 3", c.Get("/archive?page=3"), 404, "")
	})
}

// atomFeed is what a feed reader needs from the Atom feed.
type atomFeed struct {
	XMLName xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string     `xml:"title"`
	ID      string     `xml:"id"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Author  string     `xml:"author>name"`
	Entries []struct {
		ID        string   `xml:"id"`
		Title     string   `xml:"title"`
		Link      atomLink `xml:"link"`
		Updated   string   `xml:"updated"`
		Published string   `xml:"published"`
		Content   struct {
			Type string `xml:"type,attr"`
			Div  struct {
				XMLName xml.Name `xml:"http://www.w3.org/1999/xhtml div"`
				Inner   string   `xml:",innerxml"`
			} `xml:"div"`
		} `xml:"content"`
	} `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr"`
}

func TestFeed(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		_, c := newTestApp(t, db, nil)
		c.Host = "blog.example"
		resp := c.Get("/feed")
		want(t, "empty feed", resp, 200, "")
		var f atomFeed
		if err := xml.Unmarshal(resp.Body, &f); err != nil {
			t.Fatalf("empty feed: %v\n%s", err, resp.Text())
		}
		if _, err := time.Parse(time.RFC3339, f.Updated); err != nil || len(f.Entries) != 0 {
			t.Fatalf("empty feed: updated %q (%v), %d entries", f.Updated, err, len(f.Entries))
		}

		signUp(t, c)
		for i := range feedEntries + 2 {
			post(t, c, fmt.Sprintf("Post %d <&>", i), fmt.Sprintf("Body *%d* <script>x()</script>", i))
		}
		resp = c.Get("/feed")
		want(t, "feed", resp, 200, "")
		if ct := resp.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
			t.Fatalf("feed Content-Type %q", ct)
		}
		f = atomFeed{}
		if err := xml.Unmarshal(resp.Body, &f); err != nil {
			t.Fatalf("feed: %v\n%s", err, resp.Text())
		}
		if f.Title != blogTitle || f.ID != "http://blog.example/" || f.Author != blogTitle {
			t.Fatalf("feed head: %+v", f)
		}
		if len(f.Links) != 2 || f.Links[0].Href != "http://blog.example/" || f.Links[1].Rel != "self" || f.Links[1].Href != "http://blog.example/feed" {
			t.Fatalf("feed links: %+v", f.Links)
		}
		if len(f.Entries) != feedEntries {
			t.Fatalf("%d entries, want %d", len(f.Entries), feedEntries)
		}
		newest, _ := db.NewestEntries(context.Background(), 1)
		got := f.Entries[0]
		if got.Title != newest[0].Title || got.ID != "http://blog.example/entry/"+newest[0].Slug ||
			got.Link.Href != "http://blog.example/entry/"+newest[0].Slug || got.Content.Type != "xhtml" {
			t.Fatalf("newest entry: %+v (want %q)", got, newest[0].Title)
		}
		for _, ts := range []string{f.Updated, got.Updated, got.Published} {
			if _, err := time.Parse(time.RFC3339, ts); err != nil {
				t.Fatalf("feed time %q: %v", ts, err)
			}
		}
		if !strings.Contains(got.Content.Div.Inner, "<em>") || strings.Contains(got.Content.Div.Inner, "<script") {
			t.Fatalf("entry content %q", got.Content.Div.Inner)
		}
	})
}

func TestStaticFiles(t *testing.T) {
	_, c := newTestApp(t, storetest.SQLite(t, nil), nil)
	resp := c.Get("/static/blog.css")
	want(t, "blog.css", resp, 200, "")
	if !strings.HasPrefix(resp.Get("Content-Type"), "text/css") || len(resp.Body) == 0 {
		t.Fatalf("blog.css: %q, %d bytes", resp.Get("Content-Type"), len(resp.Body))
	}
	want(t, "missing static", c.Get("/static/nope.css"), 404, "")
}
