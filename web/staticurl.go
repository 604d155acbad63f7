package web

import (
	"errors"
	"io/fs"
	"path/filepath"
	"regexp"
	"sync"
)

// StaticURLOptions change what StaticURL returns.
type StaticURLOptions struct {
	// IncludeHost makes the URL absolute: "https://host/static/...".
	IncludeHost bool
	// NoVersion leaves out the "?v=" content hash.
	NoVersion bool
}

// staticVersions is the application's static file root, opened on first
// use, for StaticURL.
type staticVersions struct {
	settings *Settings
	once     sync.Once
	src      staticSource
	err      error
}

func newStaticVersions(s *Settings) *staticVersions { return &staticVersions{settings: s} }

func (sv *staticVersions) source() (staticSource, error) {
	sv.once.Do(func() {
		s := sv.settings
		switch {
		case s.StaticFS != nil:
			sv.src = staticSource{fsys: s.StaticFS, key: "app-fs"}
		case s.StaticPath != "":
			fsys, err := openRoot(s.StaticPath)
			if err != nil {
				sv.err = err
				return
			}
			abs, _ := filepath.Abs(s.StaticPath)
			sv.src = staticSource{fsys: fsys, key: "dir:" + abs}
		default:
			sv.err = errors.New("web: StaticURL needs Settings.StaticPath or StaticFS")
		}
	})
	return sv.src, sv.err
}

// version returns the content hash of a static file, or "" (logged) when it
// cannot be read.
func (app *Application) staticVersion(p string) string {
	src, err := app.statics.source()
	if err == nil {
		var name string
		if name, err = cleanStaticPath(p); err == nil {
			var info fs.FileInfo
			if info, err = fs.Stat(src.fsys, name); err == nil {
				var v string
				if v, err = staticVersion(src, name, info, app.settings.staticHashCache()); err == nil {
					return v
				}
			}
		}
	}
	app.logger().Error("Could not open static file " + p + ": " + err.Error())
	return ""
}

// StaticURL returns the URL of a static file: the static URL prefix, the
// path, and "?v=" with the file's content hash, so that the URL changes
// when the file does and can be cached for ten years. A file that cannot
// be read gets a URL without version (and an error in the log).
func (h *RequestHandler) StaticURL(path string, opts ...StaticURLOptions) string {
	var o StaticURLOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	u := h.app.settings.staticURLPrefix() + path
	if !o.NoVersion {
		if v := h.app.staticVersion(path); v != "" {
			u += "?v=" + v
		}
	}
	if o.IncludeHost {
		u = h.Request.Protocol + "://" + h.Request.Host + u
	}
	return u
}

// staticFileHandler is implemented by StaticFileHandler and the structs
// embedding it.
type staticFileHandler interface{ staticFile() *StaticFileHandler }

func (h *StaticFileHandler) staticFile() *StaticFileHandler { return h }

// staticRules are the routes Settings.StaticPath adds before the
// application's: the prefix, /favicon.ico and /robots.txt.
func (app *Application) staticRules() ([]Rule, error) {
	s := &app.settings
	proto := s.StaticHandler
	if proto == nil {
		proto = &StaticFileHandler{}
	}
	sf, ok := proto.(staticFileHandler)
	if !ok {
		return nil, errors.New("web: Settings.StaticHandler must embed web.StaticFileHandler")
	}
	b := sf.staticFile()
	if b.Path == "" && b.FS == nil {
		b.Path, b.FS = s.StaticPath, s.StaticFS
	}
	if b.DefaultFilename == "" {
		b.DefaultFilename = s.StaticDefaultFilename
	}
	return []Rule{
		{Pattern: regexp.QuoteMeta(s.staticURLPrefix()) + "(.*)", Handler: proto},
		{Pattern: `/(favicon\.ico)`, Handler: proto},
		{Pattern: `/(robots\.txt)`, Handler: proto},
	}, nil
}
