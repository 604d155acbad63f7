package template

import (
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
)

// accKind says how an attribute name resolves on a Go type.
type accKind uint8

const (
	accNone   accKind = iota
	accField          // a struct field (through a pointer when deref)
	accMethod         // a method
	accMapKey         // a key of a map with string keys
)

// accessor is the resolution of one attribute name on one Go type. It is
// computed once per (type, name) and cached.
type accessor struct {
	kind     accKind
	deref    bool  // the value is a pointer to the struct holding the field
	index    []int // accField: path through embedded structs
	method   int   // accMethod: index in the receiver type's method set
	ptrRecv  bool  // accMethod: the method is on *T and the value is a T
	nIn      int   // accMethod: parameters besides the receiver
	variadic bool  // accMethod: the last parameter is variadic
}

type attrKey struct {
	t    reflect.Type
	name string
}

// accessors caches lookupAccessor results for every (type, name) seen.
var accessors sync.Map // attrKey → *accessor

// attrSite is the inline cache of one attribute expression: the last type
// it saw and how the name resolved on it. Most sites see one type only, so
// this skips even the sync.Map lookup.
type attrSite struct {
	last atomic.Pointer[siteEntry]
}

type siteEntry struct {
	t   reflect.Type
	acc *accessor
}

func (s *attrSite) accessor(t reflect.Type, name string) *accessor {
	if s != nil {
		if e := s.last.Load(); e != nil && e.t == t {
			return e.acc
		}
	}
	acc := cachedAccessor(t, name)
	if s != nil {
		s.last.Store(&siteEntry{t: t, acc: acc})
	}
	return acc
}

func cachedAccessor(t reflect.Type, name string) *accessor {
	key := attrKey{t, name}
	if a, ok := accessors.Load(key); ok {
		return a.(*accessor)
	}
	a, _ := accessors.LoadOrStore(key, lookupAccessor(t, name))
	return a.(*accessor)
}

// normName folds a name for matching: lower case, underscores dropped, so
// author_id, authorId and AuthorID all meet.
func normName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r != '_' {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// lookupAccessor resolves name on t: an exported field or method of that
// exact name first, then one whose name matches ignoring case and
// underscores (fields before methods), then a key of a string-keyed map.
func lookupAccessor(t reflect.Type, name string) *accessor {
	st, deref := t, false
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		st, deref = t.Elem(), true
	}
	ptrT := t
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		ptrT = reflect.PointerTo(t)
	}
	methodAcc := func(m reflect.Method, onPtr bool) *accessor {
		mt := m.Type // includes the receiver
		return &accessor{kind: accMethod, method: m.Index, ptrRecv: onPtr, nIn: mt.NumIn() - 1, variadic: mt.IsVariadic()}
	}
	findMethod := func(match func(string) bool) *accessor {
		for i := 0; i < t.NumMethod(); i++ {
			if m := t.Method(i); match(m.Name) {
				return methodAcc(m, false)
			}
		}
		if ptrT != t {
			for i := 0; i < ptrT.NumMethod(); i++ {
				if m := ptrT.Method(i); match(m.Name) {
					return methodAcc(m, true)
				}
			}
		}
		return nil
	}
	findField := func(match func(string) bool) *accessor {
		if st.Kind() != reflect.Struct {
			return nil
		}
		var best *reflect.StructField
		for _, f := range reflect.VisibleFields(st) {
			if !f.IsExported() || !match(f.Name) {
				continue
			}
			if best == nil || len(f.Index) < len(best.Index) {
				f := f
				best = &f
			}
		}
		if best == nil {
			return nil
		}
		return &accessor{kind: accField, deref: deref, index: best.Index}
	}
	exact := func(s string) bool { return s == name }
	if a := findField(exact); a != nil {
		return a
	}
	if a := findMethod(exact); a != nil {
		return a
	}
	norm := normName(name)
	folded := func(s string) bool { return normName(s) == norm }
	if a := findField(folded); a != nil {
		return a
	}
	if a := findMethod(folded); a != nil {
		return a
	}
	if t.Kind() == reflect.Map && t.Key().Kind() == reflect.String {
		return &accessor{kind: accMapKey}
	}
	return &accessor{kind: accNone}
}

// getAttr is Python's x.name for an attribute that is not called.
func getAttr(x value, name string, site *attrSite) (value, error) {
	switch x.k {
	case kStr:
		if strMethods[name] {
			return anyV(&boundMethod{recv: x, name: name}), nil
		}
		return value{}, noAttr(x, name)
	case kBuiltin:
		if builtinTable[x.n].name == "str" && strMethods[name] {
			return anyV(strMethodRef(name)), nil
		}
		return value{}, noAttr(x, name)
	case kAny:
	default:
		if isNone(x) {
			return value{}, exc("AttributeError", "'NoneType' object has no attribute '%s'", name)
		}
		return value{}, noAttr(x, name)
	}
	switch c := x.a.(type) {
	case map[string]any:
		if v, ok := c[name]; ok {
			return fromAny(v), nil
		}
		if dictMethods[name] {
			return anyV(&boundMethod{recv: x, name: name}), nil
		}
		return value{}, exc("AttributeError", "map has no key '%s'", name)
	case *dictVal:
		if v, found, _ := c.get(strV(name)); found {
			return v, nil
		}
		if dictMethods[name] {
			return anyV(&boundMethod{recv: x, name: name}), nil
		}
		return value{}, noAttr(x, name)
	case *listVal, tupleVal:
		if listMethods[name] {
			return anyV(&boundMethod{recv: x, name: name}), nil
		}
		return value{}, noAttr(x, name)
	case time.Time:
		if v, ok := timeAttr(c, name); ok {
			return v, nil
		}
		if timeMethods[name] {
			return anyV(&boundMethod{recv: x, name: name}), nil
		}
	case *pyObject:
		if v, ok := c.attrs[name]; ok {
			return v, nil
		}
		return value{}, exc("AttributeError", "'%s' has no attribute '%s'", c.name, name)
	case *Exception:
		switch name {
		case "args":
			return anyV(tupleVal{strV(c.Message)}), nil
		case "message":
			return strV(c.Message), nil
		}
		return value{}, noAttr(x, name)
	case nil:
		return value{}, exc("AttributeError", "'NoneType' object has no attribute '%s'", name)
	}
	rv := reflect.ValueOf(x.a)
	acc := site.accessor(rv.Type(), name)
	switch acc.kind {
	case accField:
		return fieldOf(rv, acc, name)
	case accMethod:
		m, err := methodOf(rv, acc, name)
		if err != nil {
			return value{}, err
		}
		if acc.nIn == 0 || (acc.nIn == 1 && acc.variadic) {
			return callReflect(m, name, nil, nil, nil)
		}
		return anyV(m.Interface()), nil
	case accMapKey:
		r := rv.MapIndex(reflect.ValueOf(name).Convert(rv.Type().Key()))
		if !r.IsValid() {
			if dictMethods[name] {
				return anyV(&boundMethod{recv: x, name: name}), nil
			}
			return value{}, exc("AttributeError", "map has no key '%s'", name)
		}
		return fromReflect(r), nil
	}
	if _, ok := mappingOf(x); ok && dictMethods[name] {
		return anyV(&boundMethod{recv: x, name: name}), nil
	}
	if s := scalar(x); s.k == kStr && strMethods[name] {
		return anyV(&boundMethod{recv: s, name: name}), nil
	}
	if isNone(x) {
		return value{}, exc("AttributeError", "'NoneType' object has no attribute '%s'", name)
	}
	return value{}, noAttr(x, name)
}

func noAttr(x value, name string) error {
	return exc("AttributeError", "'%s' object has no attribute '%s'", typeName(x), name)
}

func fieldOf(rv reflect.Value, acc *accessor, name string) (value, error) {
	if acc.deref {
		if rv.IsNil() {
			return value{}, exc("AttributeError", "'NoneType' object has no attribute '%s'", name)
		}
		rv = rv.Elem()
	}
	f, err := rv.FieldByIndexErr(acc.index)
	if err != nil {
		return value{}, exc("AttributeError", "'%s' object has no attribute '%s' (nil embedded pointer)", rv.Type(), name)
	}
	return fromReflect(f), nil
}

// methodOf returns the method value acc names on rv.
func methodOf(rv reflect.Value, acc *accessor, name string) (reflect.Value, error) {
	if acc.ptrRecv {
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		rv = p
	} else if rv.Kind() == reflect.Pointer && rv.IsNil() && rv.Type().Method(acc.method).Type.In(0).Kind() != reflect.Pointer {
		return reflect.Value{}, exc("AttributeError", "'NoneType' object has no attribute '%s'", name)
	}
	return rv.Method(acc.method), nil
}

// callMethod is Python's x.name(args...).
func callMethod(fr *frame, x value, name string, site *attrSite, args []value, kwNames []string, kwVals []value) (value, error) {
	switch x.k {
	case kStr:
		if strMethods[name] {
			return strMethod(x.s, name, args, kwNames, kwVals)
		}
		return value{}, noAttr(x, name)
	case kAny:
	default:
		if isNone(x) {
			return value{}, exc("AttributeError", "'NoneType' object has no attribute '%s'", name)
		}
		return value{}, noAttr(x, name)
	}
	switch c := x.a.(type) {
	case *dictVal, map[string]any:
		if dictMethods[name] {
			return dictMethod(fr, x, name, args, kwNames, kwVals)
		}
	case *listVal, tupleVal:
		if listMethods[name] {
			return listMethod(x, name, args, kwNames, kwVals)
		}
	case nil:
		return value{}, exc("AttributeError", "'NoneType' object has no attribute '%s'", name)
	case *pyObject, *Exception, *boundMethod, rangeVal, []byte:
	default:
		if t, ok := c.(time.Time); ok && timeMethods[name] {
			return timeMethod(t, name, args, kwNames, kwVals)
		}
		rv := reflect.ValueOf(x.a)
		acc := site.accessor(rv.Type(), name)
		switch {
		case acc.kind == accMethod:
			m, err := methodOf(rv, acc, name)
			if err != nil {
				return value{}, err
			}
			return callReflect(m, name, args, kwNames, kwVals)
		case rv.Kind() == reflect.Map && dictMethods[name]:
			return dictMethod(fr, x, name, args, kwNames, kwVals)
		case acc.kind == accNone:
			// A named string type (type Slug string) has str's methods.
			if s := scalar(x); s.k == kStr && strMethods[name] {
				return strMethod(s.s, name, args, kwNames, kwVals)
			}
		}
	}
	fn, err := getAttr(x, name, site)
	if err != nil {
		return value{}, err
	}
	return callValue(fr, fn, args, kwNames, kwVals)
}
