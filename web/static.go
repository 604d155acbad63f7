package web

import (
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tornago/tornago/httputil"
)

const (
	// staticCacheMaxAge is how long a versioned static URL (?v=) may be
	// cached: Tornado's CACHE_MAX_AGE, ten years.
	staticCacheMaxAge = 86400 * 365 * 10

	// staticChunkSize is the piece of a file read and flushed at a time:
	// Tornado's 64 KiB, so a large file is never held in memory whole.
	staticChunkSize = 64 << 10
)

// StaticFileHandler serves the files under a directory (Path) or a file
// system (FS), Tornado's StaticFileHandler: paths are confined to the root
// (against "..", encoded dots, backslashes, NUL and symlinks leading out),
// with ETag (the file's SHA-512), Last-Modified, conditional requests (304),
// single byte ranges (206/416), a ten-year cache for versioned URLs (?v=)
// and HEAD. Files are streamed in 64 KiB chunks.
//
// Settings.StaticPath routes /static/(.*), /(favicon\.ico) and
// /(robots\.txt) to one; a rule can mount others:
//
//	{Pattern: "/docs/(.*)", Handler: &web.StaticFileHandler{Path: "./docs", DefaultFilename: "index.html"}}
type StaticFileHandler struct {
	RequestHandler
	// Path is the root directory; FS, if set, is served instead.
	Path string
	FS   fs.FS
	// DefaultFilename is served for a directory (its URL redirected to end
	// in "/"); without it a directory is a 403.
	DefaultFilename string
}

// Get serves the file at the URL's path.
func (h *StaticFileHandler) Get(p string) error { return h.serve(p, true) }

// Head serves the headers of the file at the URL's path.
func (h *StaticFileHandler) Head(p string) error { return h.serve(p, false) }

// staticSource is a root the static files come from.
type staticSource struct {
	fsys fs.FS
	key  string // names the root in the version cache; "" for no cache
}

var (
	rootsMu sync.Mutex
	roots   = map[string]*os.Root{}
)

// openRoot returns the os.Root of a directory, opened once: its FS refuses
// names that leave the directory, through ".." or symlinks alike.
func openRoot(dir string) (fs.FS, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	rootsMu.Lock()
	defer rootsMu.Unlock()
	if r, ok := roots[abs]; ok {
		return r.FS(), nil
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	roots[abs] = r
	return r.FS(), nil
}

func (h *StaticFileHandler) source() (staticSource, error) {
	if h.FS != nil {
		return staticSource{fsys: h.FS}, nil
	}
	if h.Path == "" {
		return staticSource{}, errors.New("web: StaticFileHandler has neither Path nor FS")
	}
	fsys, err := openRoot(h.Path)
	if err != nil {
		return staticSource{}, err
	}
	abs, _ := filepath.Abs(h.Path)
	return staticSource{fsys: fsys, key: "dir:" + abs}, nil
}

// cleanStaticPath maps a URL path (decoded) to a name inside the root, or
// fails with the 403 of a path that leads out of it (Tornado's
// validate_absolute_path): "..", also percent-encoded (the groups are
// decoded), an absolute path, a backslash or a NUL.
func cleanStaticPath(p string) (string, error) {
	c := path.Clean(p)
	if strings.ContainsAny(p, "\x00\\") || strings.HasPrefix(p, "/") || c == ".." || strings.HasPrefix(c, "../") || !fs.ValidPath(c) {
		return "", NewHTTPError(403, "%q is not in root static directory", p)
	}
	return c, nil
}

func (h *StaticFileHandler) serve(urlPath string, includeBody bool) error {
	src, err := h.source()
	if err != nil {
		return err
	}
	name, err := cleanStaticPath(urlPath)
	if err != nil {
		return err
	}
	info, err := fs.Stat(src.fsys, name)
	if err == nil && info.IsDir() && h.DefaultFilename != "" {
		if !strings.HasSuffix(h.Request.Path, "/") {
			if strings.HasPrefix(h.Request.Path, "//") {
				return NewHTTPError(403, "cannot redirect path with two initial slashes")
			}
			return h.Redirect(h.Request.Path+"/", 301)
		}
		name = path.Join(name, h.DefaultFilename)
		info, err = fs.Stat(src.fsys, name)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return NewHTTPError(404)
		}
		return NewHTTPError(403, "%q is not in root static directory: %v", urlPath, err)
	}
	if !info.Mode().IsRegular() {
		return NewHTTPError(403, "%q is not a file", urlPath)
	}
	modified := info.ModTime().Truncate(time.Second)
	size := info.Size()
	version, err := staticVersion(src, name, info, h.app.settings.staticHashCache())
	if err != nil {
		return err
	}

	h.SetHeader("Accept-Ranges", "bytes")
	h.SetHeader("Etag", `"`+version+`"`)
	h.SetHeader("Last-Modified", modified)
	ctype := staticContentType(name)
	h.SetHeader("Content-Type", ctype)
	if _, ok := h.Request.QueryArguments()["v"]; ok {
		h.SetHeader("Expires", time.Now().Add(staticCacheMaxAge*time.Second))
		h.SetHeader("Cache-Control", "max-age="+strconv.Itoa(staticCacheMaxAge))
	}
	if h.notModified(modified) {
		h.SetStatus(304)
		return nil
	}

	first, end := int64(0), size
	if rh := h.Request.Header.Get("Range"); rh != "" {
		if start, stop, ok := httputil.ParseRange(rh); ok {
			f, e, partial, satisfiable := httputil.ResolveRange(start, stop, size)
			if !satisfiable {
				h.SetStatus(416)
				h.SetHeader("Content-Type", "text/plain")
				h.SetHeader("Content-Range", httputil.UnsatisfiedContentRange(size))
				return nil
			}
			if partial {
				h.SetStatus(206)
				h.SetHeader("Content-Range", httputil.ContentRange(f, e, size))
			}
			first, end = f, e
		}
	}
	h.SetHeader("Content-Length", end-first)
	if !includeBody {
		return nil
	}
	f, err := src.fsys.Open(name)
	if err != nil {
		return NewHTTPError(404, "%v", err)
	}
	if first > 0 {
		if err := skip(f, first); err != nil {
			f.Close()
			return err
		}
	}
	h.stream(f, end-first)
	return nil
}

// notModified is Tornado's should_return_304: If-None-Match alone decides
// when present; otherwise an If-Modified-Since at or after the file's time.
func (h *StaticFileHandler) notModified(modified time.Time) bool {
	if h.Request.Header.Get("If-None-Match") != "" {
		return h.checkEtagHeader()
	}
	ims := h.Request.Header.Get("If-Modified-Since")
	if ims == "" {
		return false
	}
	since, err := httputil.ParseTimestamp(ims)
	if err != nil {
		return false
	}
	return !since.Before(modified)
}

func skip(f fs.File, n int64) error {
	if s, ok := f.(io.Seeker); ok {
		_, err := s.Seek(n, io.SeekStart)
		return err
	}
	_, err := io.CopyN(io.Discard, f, n)
	return err
}

var chunkPool = sync.Pool{New: func() any { b := make([]byte, staticChunkSize); return &b }}

// stream sends n bytes of f in chunks, each flushed before the next is
// read: on a worker by waiting for each flush, inline by continuing from the
// flush's callback (the loop is never held for the whole file).
func (h *StaticFileHandler) stream(f fs.File, n int64) {
	bp := chunkPool.Get().(*[]byte)
	buf := *bp
	done := func() {
		f.Close()
		chunkPool.Put(bp)
	}
	next := func() bool { // reads and writes one chunk; false at the end
		if n <= 0 {
			return false
		}
		k, err := io.ReadFull(f, buf[:min(n, int64(len(buf)))])
		if k > 0 {
			h.out.buf = append(h.out.buf, buf[:k]...)
			n -= int64(k)
		}
		if err != nil {
			n = 0
		}
		return true
	}
	if h.onWorker {
		defer done()
		for next() {
			if err := h.Flush(); err != nil {
				return
			}
		}
		return
	}
	h.Async()
	// A trampoline: a flush callback that runs synchronously only marks
	// that the loop below should go on, so the stack stays flat.
	var (
		inLoop, again bool
		step          func(error)
	)
	step = func(err error) {
		if inLoop {
			again = err == nil
			if err != nil {
				n = 0
			}
			return
		}
		inLoop = true
		for {
			if err != nil || h.closed.Load() || !next() {
				inLoop = false
				done()
				if !h.finished.Load() {
					h.Finish()
				}
				return
			}
			again = false
			h.flushThen(step)
			if !again {
				break
			}
		}
		inLoop = false
	}
	step(nil)
}

// staticContentType is Tornado's get_content_type: by extension, without
// parameters; compressed files are application/gzip or octet-stream.
func staticContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".gz", ".tgz":
		return "application/gzip"
	case ".bz2", ".xz", ".br", ".z", ".zst":
		return "application/octet-stream"
	}
	if t, ok := extraTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return strings.TrimSpace(t)
	}
	return "application/octet-stream"
}

// extraTypes covers common extensions that Go's built-in table lacks when
// the system has no mime.types, so the answer does not depend on the host.
var extraTypes = map[string]string{
	".txt":   "text/plain",
	".ico":   "image/vnd.microsoft.icon",
	".csv":   "text/csv",
	".md":    "text/markdown",
	".xml":   "application/xml",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".map":   "application/json",
	".mp4":   "video/mp4",
	".webm":  "video/webm",
	".mp3":   "audio/mpeg",
	".ogg":   "audio/ogg",
	".wav":   "audio/x-wav",
	".zip":   "application/zip",
}

// versionEntry caches a file's content hash while its size and time hold.
type versionEntry struct {
	hash    string
	size    int64
	modTime time.Time
}

var (
	versionsMu sync.Mutex
	versions   = map[string]versionEntry{}
)

// staticVersion returns the hex SHA-512 of a file, cached per root and name
// (unless cache is false, as in Debug) and recomputed when the file's size
// or time changes.
func staticVersion(src staticSource, name string, info fs.FileInfo, cache bool) (string, error) {
	key := src.key + "\x00" + name
	if cache && src.key != "" {
		versionsMu.Lock()
		e, ok := versions[key]
		versionsMu.Unlock()
		if ok && e.size == info.Size() && e.modTime.Equal(info.ModTime()) {
			return e.hash, nil
		}
	}
	f, err := src.fsys.Open(name)
	if err != nil {
		return "", NewHTTPError(404, "%v", err)
	}
	defer f.Close()
	sum := sha512.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	hash := hex.EncodeToString(sum.Sum(nil))
	if cache && src.key != "" {
		versionsMu.Lock()
		versions[key] = versionEntry{hash, info.Size(), info.ModTime()}
		versionsMu.Unlock()
	}
	return hash, nil
}
