package web

import (
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/locale"
)

// A Handler is a request handler prototype: a pointer to a struct that embeds
// RequestHandler (directly or through the application's own base handler).
// Each request gets a fresh copy of the prototype, so the prototype's fields
// play the part of Tornado's initialize() arguments.
//
// Besides its verb methods (Get, Head, Post, Delete, Patch, Put, Options,
// each taking the URL's groups as strings and returning error), a handler may
// define any of these, found once when the route is registered:
//
//	Prepare() error                   // before the verb method
//	OnFinish()                        // after the response is finished
//	OnConnectionClose()               // the client went away before Finish
//	SetDefaultHeaders()               // after the default headers are set
//	GetCurrentUser() (any, error)     // CurrentUser's loader
//	GetUserLocale() *locale.Locale    // Locale's loader; nil: the browser's
//	GetLoginURL() string              // Authenticated's login page
//	WriteError(status int, err error) error // the error page
//	CheckXSRFCookie() error           // the XSRF check of unsafe methods
//	ComputeEtag() string              // the automatic ETag; "" disables it
//	GetTemplatePath() string          // the template directory of Render
//	DataReceived(chunk []byte) error  // streams the body (see StreamedBodies)
//	DataReceived(chunk []byte) *ioloop.Future // the same, with flow control
type Handler interface {
	base() *RequestHandler
}

// verbFunc calls one verb method of a handler with the URL's groups.
type verbFunc func(h Handler, args []string) error

// The HTTP methods a handler can implement, in Tornado's SUPPORTED_METHODS.
const (
	mGet = iota
	mHead
	mPost
	mDelete
	mPatch
	mPut
	mOptions
	numMethods
)

var (
	methodNames = [numMethods]string{"GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"}
	verbNames   = [numMethods]string{"Get", "Head", "Post", "Delete", "Patch", "Put", "Options"}
)

// methodIndex maps a request method to its verb, or -1.
func methodIndex(m string) int {
	switch m {
	case "GET":
		return mGet
	case "HEAD":
		return mHead
	case "POST":
		return mPost
	case "DELETE":
		return mDelete
	case "PATCH":
		return mPatch
	case "PUT":
		return mPut
	case "OPTIONS":
		return mOptions
	}
	return -1
}

// The optional methods a handler may define.
type (
	preparer           interface{ Prepare() error }
	finishHook         interface{ OnFinish() }
	connCloseHook      interface{ OnConnectionClose() }
	defaultHeadersHook interface{ SetDefaultHeaders() }
	currentUserGetter  interface{ GetCurrentUser() (any, error) }
	userLocaleGetter   interface{ GetUserLocale() *locale.Locale }
	loginURLGetter     interface{ GetLoginURL() string }
	errorWriter        interface {
		WriteError(status int, err error) error
	}
	xsrfChecker       interface{ CheckXSRFCookie() error }
	etagComputer      interface{ ComputeEtag() string }
	templatePathGiver interface{ GetTemplatePath() string }
	blockingMarker    interface{ blocking() }
	bodyReceiver      interface{ DataReceived(chunk []byte) error }
	flowBodyReceiver  interface {
		DataReceived(chunk []byte) *ioloop.Future
	}
	xsrfExempt interface{ xsrfExempt() }
)

// hookNames lists the optional methods with the interface each must satisfy,
// so that a method of the right name and the wrong signature is reported at
// registration rather than silently never called.
var hookNames = []struct {
	name  string
	iface reflect.Type
}{
	{"Prepare", reflect.TypeFor[preparer]()},
	{"OnFinish", reflect.TypeFor[finishHook]()},
	{"OnConnectionClose", reflect.TypeFor[connCloseHook]()},
	{"SetDefaultHeaders", reflect.TypeFor[defaultHeadersHook]()},
	{"GetCurrentUser", reflect.TypeFor[currentUserGetter]()},
	{"GetUserLocale", reflect.TypeFor[userLocaleGetter]()},
	{"GetLoginURL", reflect.TypeFor[loginURLGetter]()},
	{"WriteError", reflect.TypeFor[errorWriter]()},
	{"CheckXSRFCookie", reflect.TypeFor[xsrfChecker]()},
	{"ComputeEtag", reflect.TypeFor[etagComputer]()},
	{"GetTemplatePath", reflect.TypeFor[templatePathGiver]()},
}

// handlerType is what registration learns about a handler's type, once.
type handlerType struct {
	typ   reflect.Type // the struct type; handlers are pointers to it
	name  string       // for logs: "*main.EntryHandler"
	verbs [numMethods]verbFunc
	arity [numMethods]int // -1: variadic
	allow string          // the Allow header of a 405

	prepare, onFinish, onConnClose, defaultHeaders bool
	currentUser, userLocale, computeEtag           bool
	blocking, xsrfExempt, authenticated            bool
	removeSlash, addSlash                          bool
	streaming                                      bool // DataReceived: the body comes in pieces
}

var errorType = reflect.TypeFor[error]()

// newHandlerType inspects a prototype.
func newHandlerType(proto Handler) (*handlerType, error) {
	pv := reflect.ValueOf(proto)
	if pv.Kind() != reflect.Pointer || pv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("web: handler %T must be a pointer to a struct embedding web.RequestHandler", proto)
	}
	if pv.IsNil() {
		return nil, fmt.Errorf("web: handler %T is a nil pointer", proto)
	}
	pt := pv.Type()
	st := pt.Elem()
	// The RequestHandler must live inside the struct: embedded by pointer it
	// would be shared by every request copied from the prototype.
	b := uintptr(unsafe.Pointer(proto.base()))
	start := uintptr(pv.UnsafePointer())
	if b < start || b >= start+st.Size() {
		return nil, fmt.Errorf("web: handler %T embeds *web.RequestHandler; embed web.RequestHandler (not a pointer)", proto)
	}
	ht := &handlerType{typ: st, name: pt.String()}
	var allow []string
	for m := range numMethods {
		meth, ok := pt.MethodByName(verbNames[m])
		if !ok {
			continue
		}
		arity, err := verbArity(meth.Type)
		if err != nil {
			return nil, fmt.Errorf("web: (%s).%s %v", ht.name, verbNames[m], err)
		}
		ht.arity[m] = arity
		if f := verbCaller(m, arity); f != nil {
			ht.verbs[m] = f
		} else {
			ht.verbs[m] = reflectVerb(meth.Index, arity)
		}
		allow = append(allow, methodNames[m])
	}
	ht.allow = strings.Join(allow, ", ")
	for _, hk := range hookNames {
		if meth, ok := pt.MethodByName(hk.name); ok && !pt.Implements(hk.iface) {
			want := hk.iface.Method(0)
			return nil, fmt.Errorf("web: (%s).%s has type %v; want %v", ht.name, hk.name, meth.Type, want.Type)
		}
	}
	if meth, ok := pt.MethodByName("DataReceived"); ok {
		_, plain := proto.(bodyReceiver)
		_, flow := proto.(flowBodyReceiver)
		if !plain && !flow {
			return nil, fmt.Errorf("web: (%s).DataReceived has type %v; want func([]byte) error or func([]byte) *ioloop.Future", ht.name, meth.Type)
		}
		ht.streaming = true
	}
	_, ht.prepare = proto.(preparer)
	_, ht.onFinish = proto.(finishHook)
	_, ht.onConnClose = proto.(connCloseHook)
	_, ht.defaultHeaders = proto.(defaultHeadersHook)
	_, ht.currentUser = proto.(currentUserGetter)
	_, ht.userLocale = proto.(userLocaleGetter)
	_, ht.computeEtag = proto.(etagComputer)
	_, ht.blocking = proto.(blockingMarker)
	_, ht.xsrfExempt = proto.(xsrfExempt)
	_, ht.authenticated = proto.(authMarker)
	_, ht.removeSlash = proto.(removeSlashMarker)
	_, ht.addSlash = proto.(addSlashMarker)
	return ht, nil
}

// verbArity checks a verb method's type (receiver first) and returns how
// many strings it takes, -1 for a variadic ...string.
func verbArity(t reflect.Type) (int, error) {
	if t.NumOut() != 1 || t.Out(0) != errorType {
		return 0, fmt.Errorf("must return exactly one error, has type %v", t)
	}
	n := t.NumIn() - 1 // the receiver
	for i := 1; i < t.NumIn(); i++ {
		in := t.In(i)
		if t.IsVariadic() && i == t.NumIn()-1 {
			if in.Elem().Kind() != reflect.String {
				return 0, fmt.Errorf("must take string arguments, has type %v", t)
			}
			return -1, nil
		}
		if in.Kind() != reflect.String {
			return 0, fmt.Errorf("must take string arguments, has type %v", t)
		}
	}
	return n, nil
}

// reflectVerb calls a verb method with more arguments than the generated
// callers cover; it allocates, which such routes can afford.
func reflectVerb(index, arity int) verbFunc {
	return func(h Handler, a []string) error {
		in := make([]reflect.Value, len(a))
		for i, s := range a {
			in[i] = reflect.ValueOf(s)
		}
		out := reflect.ValueOf(h).Method(index).Call(in)
		err, _ := out[0].Interface().(error)
		return err
	}
}

// accepts reports whether verb m takes n path arguments.
func (ht *handlerType) accepts(m, n int) bool {
	return ht.verbs[m] == nil || ht.arity[m] < 0 || ht.arity[m] == n
}

// newHandler returns a fresh copy of the prototype proto (of type ht.typ):
// the one allocation of a request. A prototype without fields set needs no
// copy: the new value is already zero.
func (ht *handlerType) newHandler(proto reflect.Value, zero bool) Handler {
	pv := reflect.New(ht.typ)
	if !zero {
		pv.Elem().Set(proto)
	}
	return pv.Interface().(Handler)
}
