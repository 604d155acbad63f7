package web_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

const robots = "User-agent: *\nDisallow: /\n" // 26 bytes, as Tornado's test file

// staticDir lays out a static directory as Tornado's tests have it, plus
// secret files beside it and symlinks leading out of it and staying in.
func staticDir(t *testing.T) (root string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "static")
	files := map[string]string{
		"static/robots.txt":     robots,
		"static/dir/index.html": "this is the index\n",
		"static/sample.xml":     "<a/>",
		"static/sample.xml.gz":  "gz",
		"static/sample.xml.bz2": "bz",
		"static/style.css":      "body{}",
		"static/a/b.txt":        "b",
		"static/%2e%2e/x.txt":   "literal dots",
		"static_foo.txt":        "secret outside the root",
		"outside/secret":        "secret in a directory beside the root",
	}
	for name, body := range files {
		p := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// os.Root follows relative symlinks that stay inside, not absolute ones
	// nor relative ones that climb out.
	for link, target := range map[string]string{
		"escape.txt":  filepath.Join(base, "static_foo.txt"), // absolute, out
		"rel_escape":  "../outside/secret",                   // relative, out
		"outdir":      "../outside",                          // a directory, out
		"inside.txt":  "robots.txt",                          // a file, in
		"insidedir":   "a",                                   // a directory, in
		"a/up_inside": "../robots.txt",                       // climbs, stays in
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func sha512Hex(s string) string {
	sum := sha512.Sum512([]byte(s))
	return hex.EncodeToString(sum[:])
}

// getAndHead fetches with HEAD and GET and checks that their Content-*
// headers agree, as Tornado's get_and_head does.
func getAndHead(t *testing.T, c *webtest.Client, target string, header ...string) *webtest.Response {
	t.Helper()
	head := c.Head(target, header...)
	get := c.Get(target, header...)
	if head.Status != get.Status {
		t.Errorf("%s: HEAD %d, GET %d", target, head.Status, get.Status)
	}
	if len(head.Body) != 0 {
		t.Errorf("%s: HEAD has a body", target)
	}
	names := map[string]bool{}
	for n := range get.Header.All() {
		names[n] = true
	}
	for n := range head.Header.All() {
		names[n] = true
	}
	for n := range names {
		if strings.HasPrefix(n, "Content-") && head.Get(n) != get.Get(n) {
			t.Errorf("%s: %s differs between GET (%q) and HEAD (%q)", target, n, get.Get(n), head.Get(n))
		}
	}
	return get
}

func TestStaticFiles(t *testing.T) {
	root := staticDir(t)
	c := client(t, []web.Rule{
		{Pattern: "/static_url/(.*)", Handler: fn(func(h *web.RequestHandler) error {
			v, _ := h.GetArgument("include_version", "1")
			return h.Write(h.StaticURL(h.PathArgs()[0], web.StaticURLOptions{NoVersion: v == "0"}))
		})},
		{Pattern: "/abs_static_url/(.*)", Handler: fn(func(h *web.RequestHandler) error {
			return h.Write(h.StaticURL(h.PathArgs()[0], web.StaticURLOptions{IncludeHost: true}))
		})},
		{Pattern: "/root_static/(.*)", Handler: &web.StaticFileHandler{Path: "/"}},
	}, web.Settings{StaticPath: root})
	hash := sha512Hex(robots)

	for _, target := range []string{"/robots.txt", "/static/robots.txt"} {
		r := getAndHead(t, c, target)
		if r.Status != 200 || r.Text() != robots || r.Get("Content-Type") != "text/plain" {
			t.Errorf("GET %s = %d %q %q", target, r.Status, r.Text(), r.Get("Content-Type"))
		}
		if r.Get("Etag") != `"`+hash+`"` || r.Get("Accept-Ranges") != "bytes" || r.Get("Content-Length") != "26" {
			t.Errorf("GET %s headers: %s", target, r.Header.String())
		}
		if r.Header.Has("Cache-Control") || r.Header.Has("Expires") {
			t.Errorf("unversioned %s is cacheable", target)
		}
	}
	r := c.Get("/robots.txt?v=12345")
	if r.Get("Cache-Control") != "max-age=315360000" || r.Get("Expires") == "" {
		t.Errorf("versioned URL: Cache-Control %q Expires %q", r.Get("Cache-Control"), r.Get("Expires"))
	}
	for target, ctype := range map[string]string{
		"/static/sample.xml.gz":  "application/gzip",
		"/static/sample.xml.bz2": "application/octet-stream",
		"/static/style.css":      "text/css",
	} {
		if got := c.Get(target).Get("Content-Type"); got != ctype {
			t.Errorf("%s: Content-Type %q; want %q", target, got, ctype)
		}
	}
	if got := c.Get("/static/sample.xml").Get("Content-Type"); got != "text/xml" && got != "application/xml" {
		t.Errorf("sample.xml: Content-Type %q", got)
	}
	expect(t, "static_url", c.Get("/static_url/robots.txt"), 200, "/static/robots.txt?v="+hash)
	expect(t, "static_url without version", c.Get("/static_url/robots.txt?include_version=0"), 200, "/static/robots.txt")
	expect(t, "absolute static_url", c.Get("/abs_static_url/robots.txt"), 200, "http://127.0.0.1/static/robots.txt?v="+hash)
	expect(t, "static_url of a missing file", c.Get("/static_url/missing.txt"), 200, "/static/missing.txt")
	expectStatus(t, "missing file", getAndHead(t, c, "/static/blarg"), 404)
	expect(t, "nested file", c.Get("/static/a/b.txt"), 200, "b")
	expect(t, "symlink inside the root", c.Get("/static/inside.txt"), 200, robots)
	expect(t, "root path /", c.Get("/root_static"+filepath.ToSlash(filepath.Join(root, "robots.txt"))), 200, robots)
	expect(t, "double-encoded dots are a plain name", c.Get("/static/%252e%252e/x.txt"), 200, "literal dots")
}

func TestStaticTraversal(t *testing.T) {
	root := staticDir(t)
	app := newApp(t, nil, web.Settings{StaticPath: root})
	c := webtest.NewClient(t, app)
	s := webtest.StartServer(t, app)
	for _, tt := range []struct {
		target string
		status int
	}{
		{"/static/../static_foo.txt", 403},
		{"/static/%2e%2e/static_foo.txt", 403},
		{"/static/%2E%2E%2Fstatic_foo.txt", 403},
		{"/static/a/../../static_foo.txt", 403},
		{"/static/..%5cstatic_foo.txt", 403},
		{"/static/%5c..%5cstatic_foo.txt", 403},
		{"/static/robots.txt%00.png", 403},
		{"/static//etc/passwd", 403},
		{"/static/%2fetc/passwd", 403},
		{"/static/escape.txt", 403},      // absolute symlink out
		{"/static/rel_escape", 403},      // ../outside/secret
		{"/static/outdir/secret", 403},   // symlinked directory out
		{"/static/outdir%2fsecret", 403}, // the same, slash encoded
		{"/static/insidedir/../outdir/secret", 403},
		// Double-encoded dots are decoded once: "%2e%2e" is a plain name
		// (staticDir has such a directory), never "..".
		{"/static/%252e%252e%252fstatic_foo.txt", 404},
		{"/static/%252e%252e/static_foo.txt", 404},
		{"/static/%252e%252e%252f%252e%252e%252fstatic_foo.txt", 404},
		{"/static/%252e%252e%252foutside%252fsecret", 404},
		{"/static/a/%252e%252e%252f%252e%252e%252fstatic_foo.txt", 404},
		{"/static/%25252e%25252e%25252fstatic_foo.txt", 404},
	} {
		r := getAndHead(t, c, tt.target)
		if r.Status != tt.status || leaksSecret(r.Body) {
			t.Errorf("GET %s = %d %q; want %d", tt.target, r.Status, r.Text(), tt.status)
		}
		// The loop server hands the handler the target as sent, and
		// decoding happens once, in routing, either way.
		resp, body, err := s.Get(tt.target)
		if err != nil || resp.StatusCode != tt.status || leaksSecret(body) {
			t.Errorf("real server: GET %s = %v %q, %v; want %d", tt.target, resp, body, err, tt.status)
		}
	}
	expect(t, "dots that stay inside", c.Get("/static/a/../robots.txt"), 200, robots)
	expect(t, "symlinked file inside", c.Get("/static/inside.txt"), 200, robots)
	expect(t, "symlinked directory inside", c.Get("/static/insidedir/b.txt"), 200, "b")
	expect(t, "symlink climbing but staying inside", c.Get("/static/a/up_inside"), 200, robots)
}

// leaksSecret reports whether a response body holds a file from outside
// staticDir's root.
func leaksSecret(body []byte) bool {
	return bytes.Contains(body, []byte("secret outside")) || bytes.Contains(body, []byte("secret in"))
}

func TestStaticConditional(t *testing.T) {
	root := staticDir(t)
	c := client(t, nil, web.Settings{StaticPath: root})
	r1 := getAndHead(t, c, "/static/robots.txt")
	r2 := getAndHead(t, c, "/static/robots.txt", "If-Modified-Since", r1.Get("Last-Modified"))
	if r2.Status != 304 || r2.Header.Has("Content-Length") {
		t.Errorf("If-Modified-Since: %d %s", r2.Status, r2.Header.String())
	}
	expectStatus(t, "If-None-Match", getAndHead(t, c, "/static/robots.txt", "If-None-Match", r1.Get("Etag")), 304)
	expectStatus(t, "If-None-Match mismatch wins over If-Modified-Since",
		getAndHead(t, c, "/static/robots.txt", "If-None-Match", `"MISMATCH"`, "If-Modified-Since", r1.Get("Last-Modified")), 200)
	expectStatus(t, "pre-epoch If-Modified-Since", getAndHead(t, c, "/static/robots.txt", "If-Modified-Since", "Fri, 01 Jan 1960 00:00:00 GMT"), 200)
	expectStatus(t, "invalid If-Modified-Since", getAndHead(t, c, "/static/robots.txt", "If-Modified-Since", "yesterday"), 200)
	st, _ := os.Stat(filepath.Join(root, "robots.txt"))
	before := httputil.FormatTimestamp(st.ModTime().Add(-time.Second))
	after := httputil.FormatTimestamp(st.ModTime().Add(time.Second))
	expectStatus(t, "modified since a second before", getAndHead(t, c, "/static/robots.txt", "If-Modified-Since", before), 200)
	expectStatus(t, "not modified since a second after", getAndHead(t, c, "/static/robots.txt", "If-Modified-Since", after), 304)
}

func TestStaticRanges(t *testing.T) {
	root := staticDir(t)
	c := client(t, nil, web.Settings{StaticPath: root})
	etag := `"` + sha512Hex(robots) + `"`
	tests := []struct {
		rng          string
		status       int
		body, length string
		contentRange string
	}{
		{"bytes=0-9", 206, "User-agent", "10", "bytes 0-9/26"},
		{"bytes=0-", 200, robots, "26", ""},
		{"bytes=0-10000000", 200, robots, "26", ""},
		{"bytes=1-10000000", 206, robots[1:], "25", "bytes 1-25/26"},
		{"bytes=22-", 206, ": /\n", "4", "bytes 22-25/26"},
		{"bytes=-4", 206, ": /\n", "4", "bytes 22-25/26"},
		{"bytes=-1000000", 200, robots, "26", ""},
		{"asdf", 200, robots, "26", ""},
		{"bytes=0-1,3-4", 200, robots, "26", ""},
		{"bytes=-0", 416, "", "0", "bytes */26"},
		{"bytes=26", 416, "", "0", "bytes */26"},
		{"bytes=10-3", 416, "", "0", "bytes */26"},
	}
	for _, tt := range tests {
		r := getAndHead(t, c, "/static/robots.txt", "Range", tt.rng)
		if r.Status != tt.status || r.Text() != tt.body || r.Get("Content-Length") != tt.length || r.Get("Content-Range") != tt.contentRange {
			t.Errorf("Range %q = %d %q length %q range %q; want %d %q %q %q", tt.rng, r.Status, r.Text(),
				r.Get("Content-Length"), r.Get("Content-Range"), tt.status, tt.body, tt.length, tt.contentRange)
		}
		if tt.status != 416 && r.Get("Etag") != etag {
			t.Errorf("Range %q: Etag %q", tt.rng, r.Get("Etag"))
		}
	}
	r := c.Head("/static/robots.txt", "Range", "bytes=1-4")
	if r.Status != 206 || len(r.Body) != 0 || r.Get("Content-Length") != "4" {
		t.Errorf("HEAD range: %d %q %s", r.Status, r.Body, r.Header.String())
	}
	r = getAndHead(t, c, "/static/robots.txt", "Range", "bytes=1-4", "If-None-Match", etag)
	if r.Status != 304 || len(r.Body) != 0 || r.Header.Has("Content-Length") || r.Get("Etag") != etag {
		t.Errorf("range + If-None-Match: %d %s", r.Status, r.Header.String())
	}
}

func TestStaticDefaultFilename(t *testing.T) {
	root := staticDir(t)
	c := client(t, nil, web.Settings{StaticPath: root, StaticDefaultFilename: "index.html"})
	expect(t, "directory with slash", c.Get("/static/dir/"), 200, "this is the index\n")
	r := c.Get("/static/dir")
	if r.Status != 301 || r.Get("Location") != "/static/dir/" {
		t.Errorf("directory without slash: %d %q", r.Status, r.Get("Location"))
	}
	c = client(t, nil, web.Settings{StaticPath: root})
	expectStatus(t, "directory without default filename", c.Get("/static/dir/"), 403)

	// The open redirect fixed in Tornado 6.3.2: prefix "/" and a path
	// starting with two slashes.
	c = client(t, nil, web.Settings{StaticPath: root, StaticDefaultFilename: "index.html", StaticURLPrefix: "/"})
	expectStatus(t, "//evil.com/../dir", c.Get("//evil.com/.."+root+"/dir"), 403)
	r = c.Get("//dir")
	if r.Status == 301 && strings.HasPrefix(r.Get("Location"), "//") {
		t.Errorf("protocol-relative redirect to %q", r.Get("Location"))
	}
}

func TestStaticFS(t *testing.T) {
	fsys := fstest.MapFS{
		"robots.txt":     {Data: []byte(robots)},
		"css/site.css":   {Data: []byte("p{}")},
		"dir/index.html": {Data: []byte("index")},
	}
	c := client(t, []web.Rule{
		{Pattern: "/url/(.*)", Handler: fn(func(h *web.RequestHandler) error { return h.Write(h.StaticURL(h.PathArgs()[0])) })},
		{Pattern: "/files/(.*)", Handler: &web.StaticFileHandler{FS: fsys, DefaultFilename: "index.html"}},
	}, web.Settings{StaticFS: fsys})
	expect(t, "fs file", c.Get("/static/css/site.css"), 200, "p{}")
	expect(t, "fs static_url", c.Get("/url/robots.txt"), 200, "/static/robots.txt?v="+sha512Hex(robots))
	expect(t, "fs default filename", c.Get("/files/dir/"), 200, "index")
	expectStatus(t, "fs traversal", c.Get("/files/../x"), 403)
	expectStatus(t, "fs missing", c.Get("/files/nope"), 404)
}

func TestStaticLargeFileIsStreamed(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320000 bytes: 5 chunks of 64 KiB
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	c := client(t, nil, web.Settings{StaticPath: dir})
	r := c.Get("/static/big.bin")
	if r.Status != 200 || !bytes.Equal(r.Body, big) {
		t.Fatalf("big file: %d, %d bytes", r.Status, len(r.Body))
	}
	if r.Flushes != 5 {
		t.Errorf("big file went out in %d flushes; want 5 chunks", r.Flushes)
	}
	r = c.Get("/static/big.bin", "Range", "bytes=100000-")
	if r.Status != 206 || !bytes.Equal(r.Body, big[100000:]) {
		t.Errorf("big range: %d, %d bytes", r.Status, len(r.Body))
	}
}

func TestGzip(t *testing.T) {
	root := staticDir(t)
	long := "hello world" + strings.Repeat("!", 1024)
	c := client(t, []web.Rule{
		{Pattern: "/", Handler: fn(func(h *web.RequestHandler) error {
			vs, _ := h.GetArguments("vary")
			for _, v := range vs {
				h.AddHeader("Vary", v)
			}
			return h.Write(long)
		})},
		{Pattern: "/short", Handler: fn(func(h *web.RequestHandler) error { return h.Write("short") })},
		{Pattern: "/png", Handler: fn(func(h *web.RequestHandler) error {
			h.SetHeader("Content-Type", "image/png")
			return h.Write(long)
		})},
		{Pattern: "/json", Handler: fn(func(h *web.RequestHandler) error { return h.Write(map[string]string{"a": long}) })},
		{Pattern: "/stream", Handler: fn(func(h *web.RequestHandler) error {
			h.Write("part one, ")
			h.Flush()
			return h.Write("part two")
		})},
	}, web.Settings{CompressResponse: true, StaticPath: root})
	gz := []string{"Accept-Encoding", "gzip, deflate"}
	gunzip := func(r *webtest.Response) string {
		zr, err := gzip.NewReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("%s: %v", r.Request.Target, err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", r.Request.Target, err)
		}
		return string(b)
	}
	r := c.Get("/", gz...)
	if r.Get("Content-Encoding") != "gzip" || r.Get("Vary") != "Accept-Encoding" || gunzip(r) != long ||
		r.Get("Content-Length") != strconv.Itoa(len(r.Body)) {
		t.Errorf("gzip: %s", r.Header.String())
	}
	r = c.Get("/")
	if r.Header.Has("Content-Encoding") || r.Get("Vary") != "Accept-Encoding" || r.Text() != long {
		t.Errorf("gzip not requested: %s", r.Header.String())
	}
	r = c.Get("/?vary=Accept-Language", gz...)
	if r.Get("Content-Encoding") != "gzip" || r.Get("Vary") != "Accept-Language, Accept-Encoding" {
		t.Errorf("Vary already present: %q", r.Get("Vary"))
	}
	r = c.Get("/?vary=Accept-Language&vary=Cookie", gz...)
	if got := strings.ReplaceAll(r.Get("Vary"), " ", ""); got != "Accept-Language,Cookie,Accept-Encoding" {
		t.Errorf("Vary already present twice: %q", r.Get("Vary"))
	}
	for _, target := range []string{"/short", "/png"} {
		if r := c.Get(target, gz...); r.Header.Has("Content-Encoding") {
			t.Errorf("%s compressed", target)
		}
	}
	if r := c.Get("/json", gz...); r.Get("Content-Encoding") != "gzip" {
		t.Errorf("JSON not compressed")
	}
	r = c.Get("/stream", gz...)
	if r.Get("Content-Encoding") != "gzip" || gunzip(r) != "part one, part two" || r.Header.Has("Content-Length") {
		t.Errorf("streamed gzip: %s", r.Header.String())
	}
	r = c.Get("/robots.txt", gz...)
	if r.Get("Content-Encoding") != "gzip" || r.Get("Vary") != "Accept-Encoding" || gunzip(r) != robots {
		t.Errorf("static gzip: %d %q %s", r.Status, r.Body, r.Header.String())
	}
	// Without CompressResponse nothing is touched.
	c = client(t, []web.Rule{{Pattern: "/", Handler: fn(func(h *web.RequestHandler) error { return h.Write(long) })}}, web.Settings{})
	if r := c.Get("/", gz...); r.Header.Has("Vary") || r.Header.Has("Content-Encoding") {
		t.Errorf("no gzip setting: %s", r.Header.String())
	}
}
