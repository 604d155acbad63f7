package web

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/tornago/tornago/escape"
	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/locale"
)

// UIModule is the base of a UI module, a reusable piece of page that
// templates render with {% module Name(args) %} (Tornado's UIModule). Embed
// it in a struct with a Render method taking the module's arguments and
// returning string or (string, error); register a prototype in
// Settings.UIModules. A fresh copy serves each request.
//
// The module may also define any of JavaScriptFiles() []string,
// EmbeddedJavaScript() string, CSSFiles() []string, EmbeddedCSS() string,
// HTMLHead() string and HTMLBody() string: Render puts them into the page
// once, whatever the number of times the module was used. Relative file
// paths go through StaticURL.
//
//	type EntryModule struct{ web.UIModule }
//
//	func (m *EntryModule) Render(e *Entry) (string, error) {
//		return m.RenderString("modules/entry.html", web.Vars{"entry": e})
//	}
//	func (m *EntryModule) CSSFiles() []string { return []string{"entry.css"} }
type UIModule struct {
	// Handler is the request handler rendering the page.
	Handler *RequestHandler
}

func (m *UIModule) uiModule() *UIModule { return m }

type uiModuleBase interface{ uiModule() *UIModule }

// Request returns the request being handled.
func (m *UIModule) Request() *httpserver.Request { return m.Handler.Request }

// CurrentUser returns the handler's CurrentUser.
func (m *UIModule) CurrentUser() any { return m.Handler.CurrentUser() }

// Locale returns the handler's Locale.
func (m *UIModule) Locale() *locale.Locale { return m.Handler.Locale() }

// RenderString renders a template with the handler's namespace plus vars.
func (m *UIModule) RenderString(name string, vars Vars) (string, error) {
	return m.Handler.RenderString(name, vars)
}

// uiModuleSpec is a registered UI module.
type uiModuleSpec struct {
	name       string
	fn         any           // a plain function module
	typ        reflect.Type  // a struct module: its type...
	proto      reflect.Value // ...prototype...
	render     int           // ...Render's method index on *typ...
	renderType reflect.Type  // ...and Render's type without the receiver
}

// uiMethodSpec is a registered UI method.
type uiMethodSpec struct {
	name  string
	fn    reflect.Value
	first reflect.Type // the first parameter, for binding the handler
	bound reflect.Type // the type without it
}

type uiRegistry struct {
	modules []*uiModuleSpec
	methods []*uiMethodSpec
}

var (
	stringType  = reflect.TypeFor[string]()
	handlerPtr  = reflect.TypeFor[*RequestHandler]()
	moduleIface = reflect.TypeFor[uiModuleBase]()
)

// newUIRegistry checks Settings.UIModules and UIMethods once.
func newUIRegistry(s *Settings) (*uiRegistry, error) {
	reg := &uiRegistry{}
	for name, m := range s.UIModules {
		spec, err := newModuleSpec(name, m)
		if err != nil {
			return nil, err
		}
		reg.modules = append(reg.modules, spec)
	}
	slices.SortFunc(reg.modules, func(a, b *uiModuleSpec) int { return cmpString(a.name, b.name) })
	for name, f := range s.UIMethods {
		fv := reflect.ValueOf(f)
		if fv.Kind() != reflect.Func || fv.IsNil() {
			return nil, fmt.Errorf("web: UI method %q is %T, not a function", name, f)
		}
		spec := &uiMethodSpec{name: name, fn: fv}
		ft := fv.Type()
		if ft.NumIn() > 0 && (ft.In(0) == handlerPtr || ft.In(0).Kind() == reflect.Interface) &&
			!(ft.IsVariadic() && ft.NumIn() == 1) {
			spec.first = ft.In(0)
			in := make([]reflect.Type, ft.NumIn()-1)
			for i := range in {
				in[i] = ft.In(i + 1)
			}
			out := make([]reflect.Type, ft.NumOut())
			for i := range out {
				out[i] = ft.Out(i)
			}
			spec.bound = reflect.FuncOf(in, out, ft.IsVariadic())
		}
		reg.methods = append(reg.methods, spec)
	}
	slices.SortFunc(reg.methods, func(a, b *uiMethodSpec) int { return cmpString(a.name, b.name) })
	return reg, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func newModuleSpec(name string, m any) (*uiModuleSpec, error) {
	v := reflect.ValueOf(m)
	if v.Kind() == reflect.Func && !v.IsNil() {
		return &uiModuleSpec{name: name, fn: m}, nil
	}
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct || !v.Type().Implements(moduleIface) {
		return nil, fmt.Errorf("web: UI module %q (%T) must be a func or a pointer to a struct embedding web.UIModule", name, m)
	}
	b := uintptr(unsafe.Pointer(m.(uiModuleBase).uiModule()))
	start := uintptr(v.UnsafePointer())
	if b < start || b >= start+v.Elem().Type().Size() {
		return nil, fmt.Errorf("web: UI module %q embeds *web.UIModule; embed web.UIModule", name)
	}
	meth, ok := v.Type().MethodByName("Render")
	if !ok {
		return nil, fmt.Errorf("web: UI module %q (%T) has no Render method", name, m)
	}
	mt := meth.Type
	if mt.NumOut() < 1 || mt.NumOut() > 2 || mt.Out(0) != stringType || (mt.NumOut() == 2 && mt.Out(1) != errorType) {
		return nil, fmt.Errorf("web: (%T).Render must return string or (string, error)", m)
	}
	in := make([]reflect.Type, mt.NumIn()-1)
	for i := range in {
		in[i] = mt.In(i + 1)
	}
	out := []reflect.Type{mt.Out(0)}
	if mt.NumOut() == 2 {
		out = append(out, errorType)
	}
	return &uiModuleSpec{
		name:       name,
		typ:        v.Elem().Type(),
		proto:      v.Elem(),
		render:     meth.Index,
		renderType: reflect.FuncOf(in, out, mt.IsVariadic()),
	}, nil
}

// bindMethods adds the UI methods to a template namespace, those taking
// the handler first bound to h.
func (reg *uiRegistry) bindMethods(h *RequestHandler, ns map[string]any) {
	for _, m := range reg.methods {
		if m.first == nil {
			ns[m.name] = m.fn.Interface()
			continue
		}
		var recv reflect.Value
		switch {
		case m.first == handlerPtr:
			recv = reflect.ValueOf(h)
		case reflect.TypeOf(h.self).Implements(m.first):
			recv = reflect.ValueOf(h.self)
		default:
			ns[m.name] = m.fn.Interface()
			continue
		}
		fn := m.fn
		variadic := fn.Type().IsVariadic()
		ns[m.name] = reflect.MakeFunc(m.bound, func(args []reflect.Value) []reflect.Value {
			in := append([]reflect.Value{recv}, args...)
			if variadic {
				return fn.CallSlice(in)
			}
			return fn.Call(in)
		}).Interface()
	}
}

// moduleState is a request's UI modules: the namespace templates see, and
// the modules used so far, in order of first use.
type moduleState struct {
	ns     map[string]any
	active []activeModule
	tmpl   *templateModule
	reset  bool // the template cache was emptied for this request
}

type activeModule struct {
	name string
	inst any
}

func (h *RequestHandler) moduleState() *moduleState {
	x := h.ext()
	if x.modules == nil {
		x.modules = &moduleState{}
	}
	return x.modules
}

// moduleNamespace builds the "modules" template entry once per request:
// the built-in linkify, xsrf_form_html and Template, then the application's.
func (h *RequestHandler) moduleNamespace() map[string]any {
	ms := h.moduleState()
	if ms.ns != nil {
		return ms.ns
	}
	ms.ns = map[string]any{
		"linkify":        escape.Linkify,
		"xsrf_form_html": h.XSRFFormHTML,
		"Template":       h.templateModuleRender,
	}
	for _, spec := range h.app.ui.modules {
		if spec.fn != nil {
			ms.ns[spec.name] = spec.fn
			continue
		}
		spec := spec
		variadic := spec.renderType.IsVariadic()
		ms.ns[spec.name] = reflect.MakeFunc(spec.renderType, func(args []reflect.Value) []reflect.Value {
			m := h.moduleInstance(spec).Method(spec.render)
			if variadic {
				return m.CallSlice(args)
			}
			return m.Call(args)
		}).Interface()
	}
	return ms.ns
}

// moduleInstance returns the request's instance of a struct module, making
// it (and marking it used) on first use.
func (h *RequestHandler) moduleInstance(spec *uiModuleSpec) reflect.Value {
	ms := h.moduleState()
	for _, am := range ms.active {
		if am.name == spec.name {
			return reflect.ValueOf(am.inst)
		}
	}
	pv := reflect.New(spec.typ)
	pv.Elem().Set(spec.proto)
	pv.Interface().(uiModuleBase).uiModule().Handler = h
	ms.active = append(ms.active, activeModule{spec.name, pv.Interface()})
	return pv
}

// templateModule is the built-in Template module: it renders another
// template, which may declare resources with set_resources(...).
type templateModule struct {
	list   []map[string]any
	byPath map[string]map[string]any
}

// templateModuleRender is {% module Template("entry.html", entry=e) %}.
func (h *RequestHandler) templateModuleRender(name string, kwargs map[string]any) (string, error) {
	ms := h.moduleState()
	if ms.tmpl == nil {
		ms.tmpl = &templateModule{byPath: make(map[string]map[string]any)}
		ms.active = append(ms.active, activeModule{"Template", ms.tmpl})
	}
	t := ms.tmpl
	vars := Vars{"set_resources": func(res map[string]any) (string, error) {
		if prev, ok := t.byPath[name]; ok {
			if !reflect.DeepEqual(prev, res) {
				return "", fmt.Errorf("web: set_resources called with different resources for the same template %q", name)
			}
			return "", nil
		}
		t.byPath[name] = res
		t.list = append(t.list, res)
		return "", nil
	}}
	for k, v := range kwargs {
		vars[k] = v
	}
	return h.RenderString(name, vars)
}

func (t *templateModule) strings(key string) []string {
	var out []string
	for _, r := range t.list {
		switch v := r[key].(type) {
		case nil:
		case string:
			out = append(out, v)
		case []string:
			out = append(out, v...)
		case []any:
			for _, x := range v {
				out = append(out, fmt.Sprint(x))
			}
		default:
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}

func joinNonEmpty(parts []string, sep string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func (t *templateModule) JavaScriptFiles() []string { return t.strings("javascript_files") }
func (t *templateModule) EmbeddedJavaScript() string {
	return joinNonEmpty(t.strings("embedded_javascript"), "\n")
}
func (t *templateModule) CSSFiles() []string  { return t.strings("css_files") }
func (t *templateModule) EmbeddedCSS() string { return joinNonEmpty(t.strings("embedded_css"), "\n") }
func (t *templateModule) HTMLHead() string    { return joinNonEmpty(t.strings("html_head"), "") }
func (t *templateModule) HTMLBody() string    { return joinNonEmpty(t.strings("html_body"), "") }
