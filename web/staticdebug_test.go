package web_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tornago/tornago/web"
)

// TestStaticVersionNotCachedInDebug rewrites a static file keeping its size
// and modification time, which the version cache cannot see: the cached
// application keeps the old hash, a Debug one (static_hash_cache=False)
// hashes the new content.
func TestStaticVersionNotCachedInDebug(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "site.css")
	stamp := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(file, stamp, stamp); err != nil {
			t.Fatal(err)
		}
	}
	url := fn(func(h *web.RequestHandler) error { return h.Write(h.StaticURL("site.css")) })
	write("p{a}")
	cached := client(t, []web.Rule{{Pattern: "/url", Handler: url}}, web.Settings{StaticPath: dir})
	debug := client(t, []web.Rule{{Pattern: "/url", Handler: url}}, web.Settings{StaticPath: dir, Debug: true})
	old := "/static/site.css?v=" + sha512Hex("p{a}")
	expect(t, "cached, before", cached.Get("/url"), 200, old)
	expect(t, "debug, before", debug.Get("/url"), 200, old)
	write("p{b}")
	expect(t, "cached, after", cached.Get("/url"), 200, old)
	expect(t, "debug, after", debug.Get("/url"), 200, "/static/site.css?v="+sha512Hex("p{b}"))
}
