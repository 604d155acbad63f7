package template

import (
	"bytes"
	"fmt"
	"io"
	"runtime/debug"
)

// DefaultAutoescape is the namespace function {{ }} output goes through
// unless a template says otherwise, Tornado's default.
const DefaultAutoescape = "xhtml_escape"

// A Template is a compiled template. It is immutable: one Template renders
// from many goroutines at once.
type Template struct {
	name      string
	file      *file
	loader    *Loader
	namespace map[string]any
	ancestors []*Template // itself first, then what it extends
	prog      *program
}

// An Option configures New and the loaders.
type Option func(*options)

type options struct {
	autoescape    string
	autoescapeSet bool
	whitespace    string
	namespace     map[string]any
}

// Autoescape names the namespace function every {{ }} is passed through
// (default "xhtml_escape"); "" turns autoescaping off, like Tornado's
// autoescape=None. A template's own {% autoescape %} directive wins.
func Autoescape(name string) Option {
	return func(o *options) { o.autoescape, o.autoescapeSet = name, true }
}

// Whitespace sets the whitespace mode: "all", "single" or "oneline". By
// default templates whose names end in .html or .js use "single", others
// "all".
func Whitespace(mode string) Option {
	return func(o *options) { o.whitespace = mode }
}

// Namespace adds names every render sees, below the render vars and above
// the default namespace (escape, xhtml_escape, url_escape, json_encode,
// squeeze, linkify, datetime and Python's builtins).
func Namespace(ns map[string]any) Option {
	return func(o *options) { o.namespace = ns }
}

func buildOptions(opts []Option) (options, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.whitespace != "" && !validWhitespace(o.whitespace) {
		return o, fmt.Errorf("template: invalid whitespace mode %q (want all, single or oneline)", o.whitespace)
	}
	if !o.autoescapeSet {
		o.autoescape = DefaultAutoescape
	}
	return o, nil
}

// New compiles a template from source. The name appears in error messages
// and picks the whitespace default; "" stands for Tornado's "<string>".
// Templates made by New have no loader, so they cannot use
// {% extends %} or {% include %}.
func New(name, source string, opts ...Option) (*Template, error) {
	o, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	return newTemplate(name, source, nil, o, nil)
}

func newTemplate(name, source string, l *Loader, o options, lc *loadCtx) (t *Template, err error) {
	if name == "" {
		name = "<string>"
	}
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, &ParseError{Message: fmt.Sprintf("internal error compiling template: %v\n%s", r, debug.Stack()), Filename: name}
		}
	}()
	ws := o.whitespace
	if ws == "" {
		ws = defaultWhitespace(name)
	}
	f, err := parseFile(name, source, ws, o.autoescape)
	if err != nil {
		return nil, err
	}
	t = &Template{name: name, file: f, loader: l, namespace: o.namespace}
	if err := compileTemplate(t, lc); err != nil {
		return nil, err
	}
	return t, nil
}

// Name returns the template's name.
func (t *Template) Name() string { return t.name }

// Generate renders the template with vars and returns the output.
func (t *Template) Generate(vars map[string]any) ([]byte, error) {
	fr := getFrame()
	fr.flushAt = noFlush
	err := t.render(fr, vars)
	var out []byte
	if err == nil {
		out = bytes.Clone(fr.buf) // no zeroing of the copy
	}
	putFrame(fr)
	return out, err
}

// Execute renders the template with vars into w, writing in chunks as the
// output grows rather than building it all in memory. On an error, part of
// the output may already have been written.
func (t *Template) Execute(w io.Writer, vars map[string]any) error {
	fr := getFrame()
	fr.w, fr.flushAt = w, flushThreshold
	err := t.render(fr, vars)
	if err == nil && len(fr.buf) > 0 {
		if _, werr := w.Write(fr.buf); werr != nil {
			err = werr
		}
	}
	putFrame(fr)
	return err
}

// render runs the program in fr. A panic anywhere below (a bug, or a Go
// function misbehaving in a way not caught closer) becomes a RenderError
// naming the last statement reached.
func (t *Template) render(fr *frame, vars map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			where, code := t.name, ""
			if fr.cur != nil {
				where, code = fr.cur.where, fr.cur.code
			}
			err = &RenderError{Where: where, Code: code, Err: fmt.Errorf("panic: %v", r)}
		}
	}()
	p := t.prog
	fr.locals = grow(fr.locals, p.nLocals)
	fr.globals = grow(fr.globals, len(p.globals))
	if cap(fr.loopKeys) < p.nLoops {
		fr.loopKeys = make([][]string, p.nLoops)
	}
	fr.loopKeys = fr.loopKeys[:p.nLoops]
	for i, name := range p.globals {
		fr.globals[i] = t.lookupGlobal(name, vars)
	}
	if p.body(fr) == ctlErr {
		if fr.werr != nil {
			return fr.werr
		}
		return fr.err
	}
	return nil
}

// grow returns s resized to n zeroed (unset) values.
func grow(s []value, n int) []value {
	if cap(s) < n {
		return make([]value, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// lookupGlobal resolves a name as Tornado's generate does: render vars over
// the loader's (or New's) namespace over the default namespace, then
// Python's builtins.
func (t *Template) lookupGlobal(name string, vars map[string]any) value {
	if v, ok := vars[name]; ok {
		return fromAny(v)
	}
	if v, ok := t.namespace[name]; ok {
		return fromAny(v)
	}
	if name == modulesName {
		if v, ok := vars["modules"]; ok {
			return fromAny(v)
		}
		if v, ok := t.namespace["modules"]; ok {
			return fromAny(v)
		}
		return value{}
	}
	if name == "datetime" {
		return anyV(datetimeModule)
	}
	if i, ok := builtinNames[name]; ok {
		return builtinV(i)
	}
	return value{}
}
