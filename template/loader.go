package template

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// A Loader loads templates by name from a directory, an fs.FS or a map,
// compiles them once and caches them. Templates it loads may use
// {% extends %} and {% include %}: relative names resolve against the
// including template's directory, and no name reaches outside the root.
// A Loader is safe for concurrent use.
type Loader struct {
	read    func(name string) ([]byte, error)
	opts    options
	optErr  error
	mu      sync.Mutex
	cache   map[string]*Template
	origin  string // for error messages: the directory, "fs" or "dict"
	dictMap map[string]string
}

// NewLoader returns a Loader reading templates from the directory root.
// Files are read through os.Root, so symbolic links cannot lead outside it.
func NewLoader(root string, opts ...Option) *Loader {
	if abs, err := filepath.Abs(root); err == nil {
		root = abs // immune to later changes of the working directory
	}
	l := newLoader(opts)
	l.origin = root
	l.read = func(name string) ([]byte, error) {
		r, err := os.OpenRoot(root)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return r.ReadFile(name)
	}
	return l
}

// NewFSLoader returns a Loader reading templates from fsys, such as an
// embed.FS.
func NewFSLoader(fsys fs.FS, opts ...Option) *Loader {
	l := newLoader(opts)
	l.origin = "fs"
	l.read = func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) }
	return l
}

// NewDictLoader returns a Loader serving templates from memory, keyed by
// name (slash-separated paths).
func NewDictLoader(files map[string]string, opts ...Option) *Loader {
	l := newLoader(opts)
	l.origin = "dict"
	l.dictMap = make(map[string]string, len(files))
	for k, v := range files {
		if clean, err := cleanName(k); err == nil {
			l.dictMap[clean] = v
		}
	}
	l.read = func(name string) ([]byte, error) {
		src, ok := l.dictMap[name]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		return []byte(src), nil
	}
	return l
}

func newLoader(opts []Option) *Loader {
	o, err := buildOptions(opts)
	return &Loader{opts: o, optErr: err, cache: map[string]*Template{}}
}

// Load returns the compiled template name, compiling and caching it on
// first use.
func (l *Loader) Load(name string) (*Template, error) {
	return l.load(name, "", nil)
}

// Reset drops every cached template, so the next Load reads and compiles
// afresh (for development, after editing templates).
func (l *Loader) Reset() {
	l.mu.Lock()
	l.cache = map[string]*Template{}
	l.mu.Unlock()
}

// loadCtx follows one chain of loads (a template loading what it extends
// and includes) to detect cycles.
type loadCtx struct {
	stack []string
}

func (l *Loader) load(name, parent string, lc *loadCtx) (*Template, error) {
	if l.optErr != nil {
		return nil, l.optErr
	}
	resolved, err := resolveName(name, parent)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	t := l.cache[resolved]
	l.mu.Unlock()
	if t != nil {
		return t, nil
	}
	if lc == nil {
		lc = &loadCtx{}
	}
	if slices.Contains(lc.stack, resolved) {
		return nil, fmt.Errorf("template: cycle: %s -> %s", strings.Join(lc.stack, " -> "), resolved)
	}
	lc.stack = append(lc.stack, resolved)
	defer func() { lc.stack = lc.stack[:len(lc.stack)-1] }()
	src, err := l.read(resolved)
	if err != nil {
		return nil, fmt.Errorf("template: loading %q: %w", resolved, err)
	}
	t, err = newTemplate(resolved, string(src), l, l.opts, lc)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	if existing := l.cache[resolved]; existing != nil {
		t = existing
	} else {
		l.cache[resolved] = t
	}
	l.mu.Unlock()
	return t, nil
}

// errEscapesRoot reports a template name that leads outside the loader's root.
var errEscapesRoot = errors.New("template name leads outside the template root")

// resolveName turns a name from Load, extends or include into a clean path
// under the root. A relative name in a template resolves against that
// template's directory, as in Tornado; a leading "/" means the root.
func resolveName(name, parent string) (string, error) {
	if parent != "" && !strings.HasPrefix(parent, "<") && !strings.HasPrefix(parent, "/") && !strings.HasPrefix(name, "/") {
		name = path.Join(path.Dir(parent), name)
	}
	return cleanName(name)
}

func cleanName(name string) (string, error) {
	if strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("template: invalid name %q", name)
	}
	clean := path.Clean("/" + strings.ReplaceAll(name, "\\", "/"))[1:]
	if strings.Contains(name, "..") {
		// path.Clean("/..") is "/": check the name lexically as well, so
		// "../x" is an error rather than silently the root's "x".
		rel := path.Clean(name)
		if strings.HasPrefix(rel, "/") {
			rel = path.Clean(rel[1:])
		}
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return "", fmt.Errorf("template: %q: %w", name, errEscapesRoot)
		}
	}
	if clean == "" {
		return "", fmt.Errorf("template: empty template name")
	}
	return clean, nil
}
