package template

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"
)

var (
	errorType = reflect.TypeFor[error]()
	timeType  = reflect.TypeFor[time.Time]()
)

// callValue is Python's fn(args...): builtins, bound methods and Go funcs.
func callValue(fr *frame, fn value, args []value, kwNames []string, kwVals []value) (value, error) {
	switch fn.k {
	case kBuiltin:
		return builtinTable[fn.n].fn(fr, args, kwNames, kwVals)
	case kAny:
		switch f := fn.a.(type) {
		case *boundMethod:
			return callMethod(fr, f.recv, f.name, nil, args, kwNames, kwVals)
		case *lambdaVal:
			return f.call(fr, args, kwNames)
		case strMethodRef:
			if len(args) == 0 {
				return value{}, typeErrorf("unbound method str.%s() needs an argument", string(f))
			}
			s := scalar(args[0])
			if s.k != kStr {
				return value{}, typeErrorf("descriptor '%s' for 'str' objects doesn't apply to a '%s' object", string(f), typeName(args[0]))
			}
			return strMethod(s.s, string(f), args[1:], kwNames, kwVals)
		case *pyObject:
			if f.call != nil {
				return f.call(fr, args, kwNames, kwVals)
			}
			return value{}, typeErrorf("'%s' object is not callable", f.name)
		}
		if fn.a == nil {
			break
		}
		if len(kwNames) == 0 {
			if v, ok, err := callFast(fn.a, args); ok {
				return v, err
			}
		}
		rv := reflect.ValueOf(fn.a)
		if rv.Kind() == reflect.Func {
			if rv.IsNil() {
				return value{}, typeErrorf("'NoneType' object is not callable")
			}
			return callReflect(rv, "", args, kwNames, kwVals)
		}
	}
	return value{}, typeErrorf("'%s' object is not callable", typeName(fn))
}

// strMethodRef is an unbound str method, str.lower in sorted(xs, key=str.lower).
type strMethodRef string

// callFast calls the most common helper signatures without reflection.
func callFast(f any, args []value) (v value, ok bool, err error) {
	switch f := f.(type) {
	case func(string) string:
		if len(args) == 1 && args[0].k == kStr {
			defer recoverCall(&err, f)
			return strV(f(args[0].s)), true, nil
		}
	case func(string) (string, error):
		if len(args) == 1 && args[0].k == kStr {
			defer recoverCall(&err, f)
			s, err := f(args[0].s)
			return strV(s), true, err
		}
	case func() string:
		if len(args) == 0 {
			defer recoverCall(&err, f)
			return strV(f()), true, nil
		}
	case func(any) string:
		if len(args) == 1 {
			defer recoverCall(&err, f)
			return strV(f(toAny(args[0]))), true, nil
		}
	}
	return value{}, false, nil
}

// recoverCall turns a panic in a called Go function into an error.
func recoverCall(err *error, fn any) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("panic in %s: %v", funcName(reflect.ValueOf(fn)), r)
	}
}

// funcName names a Go func for error messages: "escape.Linkify".
func funcName(rv reflect.Value) string {
	if rv.Kind() != reflect.Func || rv.IsNil() {
		return "function"
	}
	f := runtime.FuncForPC(rv.Pointer())
	if f == nil {
		return "function"
	}
	name := f.Name()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSuffix(name, "-fm")
}

// isOptionsType reports whether a parameter of type t can receive keyword
// arguments: a struct (time.Time aside), a pointer to one, or a map with
// string keys.
func isOptionsType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		return t != timeType
	case reflect.Pointer:
		return t.Elem().Kind() == reflect.Struct && t.Elem() != timeType
	case reflect.Map:
		return t.Key().Kind() == reflect.String
	}
	return false
}

// callReflect calls a Go func with template arguments. Keyword arguments
// fill the func's trailing options parameter (a struct, *struct, string-keyed
// map, or variadic struct); a missing trailing options parameter gets its
// zero value. An error result becomes the call's error; several other
// results become a tuple.
func callReflect(fn reflect.Value, name string, args []value, kwNames []string, kwVals []value) (result value, err error) {
	t := fn.Type()
	if name == "" {
		name = funcName(fn)
	}
	nIn := t.NumIn()
	variadic := t.IsVariadic()
	nFixed := nIn
	if variadic {
		nFixed--
	}
	optIdx := -1
	var optType reflect.Type
	if nIn > 0 {
		last := t.In(nIn - 1)
		if variadic {
			last = last.Elem()
		}
		if isOptionsType(last) {
			optIdx, optType = nIn-1, last
		}
	}
	if len(kwNames) > 0 && optIdx < 0 {
		return value{}, typeErrorf("%s() takes no keyword arguments", name)
	}
	in := make([]reflect.Value, 0, max(nIn, len(args)+1))
	for i, a := range args {
		var pt reflect.Type
		switch {
		case len(kwNames) > 0 && i >= optIdx:
			return value{}, typeErrorf("%s() takes %d positional arguments but %d were given", name, optIdx, len(args))
		case i < nFixed:
			pt = t.In(i)
		case variadic:
			pt = t.In(nIn - 1).Elem()
		default:
			return value{}, typeErrorf("%s() takes %d positional arguments but %d were given", name, nFixed, len(args))
		}
		rv, err := convertValue(a, pt)
		if err != nil {
			return value{}, typeErrorf("%s() argument %d: %v", name, i+1, err)
		}
		in = append(in, rv)
	}
	switch {
	case len(kwNames) > 0:
		if len(in) < optIdx {
			return value{}, typeErrorf("%s() missing %d required positional argument(s)", name, optIdx-len(in))
		}
		ov, err := kwOptions(optType, name, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		in = append(in, ov)
	case len(in) < nFixed:
		if len(in) == nFixed-1 && optIdx == nFixed-1 && !variadic {
			in = append(in, reflect.Zero(t.In(optIdx)))
			break
		}
		return value{}, typeErrorf("%s() missing %d required positional argument(s)", name, nFixed-len(in))
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in %s: %v", name, r)
		}
	}()
	return convertResults(fn.Call(in))
}

func convertResults(out []reflect.Value) (value, error) {
	n := len(out)
	if n > 0 && out[n-1].Type() == errorType {
		if e := out[n-1]; !e.IsNil() {
			return value{}, e.Interface().(error)
		}
		out = out[:n-1]
	}
	switch len(out) {
	case 0:
		return noneV, nil
	case 1:
		return fromReflect(out[0]), nil
	}
	t := make(tupleVal, len(out))
	for i, o := range out {
		t[i] = fromReflect(o)
	}
	return anyV(t), nil
}

// optionFields caches keyword-name → field-index resolutions for options structs.
var optionFields sync.Map // attrKey → []int (nil: no such field)

func optionField(t reflect.Type, name string) []int {
	key := attrKey{t, name}
	if v, ok := optionFields.Load(key); ok {
		return v.([]int)
	}
	var found []int
	norm := normName(name)
	for _, exact := range []bool{true, false} {
		for _, f := range reflect.VisibleFields(t) {
			if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct {
				continue
			}
			if (exact && f.Name == name) || (!exact && normName(f.Name) == norm) {
				if found == nil || len(f.Index) < len(found) {
					found = f.Index
				}
			}
		}
		if found != nil {
			break
		}
	}
	optionFields.Store(key, found)
	return found
}

// kwOptions fills an options value from keyword arguments, matching
// field names as attributes match (extra_params → ExtraParams).
func kwOptions(t reflect.Type, fname string, names []string, vals []value) (reflect.Value, error) {
	if t.Kind() == reflect.Map {
		m := reflect.MakeMapWithSize(t, len(names))
		for i, n := range names {
			v, err := convertValue(vals[i], t.Elem())
			if err != nil {
				return reflect.Value{}, typeErrorf("%s() keyword argument '%s': %v", fname, n, err)
			}
			m.SetMapIndex(reflect.ValueOf(n).Convert(t.Key()), v)
		}
		return m, nil
	}
	st := t
	if t.Kind() == reflect.Pointer {
		st = t.Elem()
	}
	p := reflect.New(st)
	for i, n := range names {
		idx := optionField(st, n)
		if idx == nil {
			return reflect.Value{}, typeErrorf("%s() got an unexpected keyword argument '%s'", fname, n)
		}
		f, err := p.Elem().FieldByIndexErr(idx)
		if err != nil {
			return reflect.Value{}, typeErrorf("%s() keyword argument '%s': %v", fname, n, err)
		}
		v, err := convertValue(vals[i], f.Type())
		if err != nil {
			return reflect.Value{}, typeErrorf("%s() keyword argument '%s': %v", fname, n, err)
		}
		f.Set(v)
	}
	if t.Kind() == reflect.Pointer {
		return p, nil
	}
	return p.Elem(), nil
}

// internalValue reports whether x is one of the engine's own containers,
// which a Go function must receive converted ([]any, map[string]any), never
// as they are.
func internalValue(x any) bool {
	switch x.(type) {
	case *boundMethod, *listVal, tupleVal, *dictVal, rangeVal:
		return true
	}
	return false
}

// convertValue converts a template value to a Go value of type t for a
// function argument, a map key or an options field.
func convertValue(v value, t reflect.Type) (reflect.Value, error) {
	if v.k == kAny && v.a != nil {
		if !internalValue(v.a) {
			rv := reflect.ValueOf(v.a)
			if rv.Type().AssignableTo(t) {
				return rv, nil
			}
		}
	}
	if v.k == kBuiltin && t.Kind() == reflect.Func {
		if g := reflect.ValueOf(builtinTable[v.n].goValue()); g.IsValid() && g.Type().AssignableTo(t) {
			return g, nil
		}
	}
	s := scalar(v)
	switch t.Kind() {
	case reflect.Interface:
		x := toAny(v)
		if x == nil {
			return reflect.Zero(t), nil
		}
		if rv := reflect.ValueOf(x); rv.Type().AssignableTo(t) {
			return rv, nil
		}
	case reflect.String:
		switch {
		case s.k == kStr:
			return reflect.ValueOf(s.s).Convert(t), nil
		case s.k == kAny:
			if b, ok := s.a.([]byte); ok {
				return reflect.ValueOf(string(b)).Convert(t), nil
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if s.k == kInt || s.k == kBool {
			r := reflect.New(t).Elem()
			if r.OverflowInt(s.n) {
				return reflect.Value{}, exc("OverflowError", "%d does not fit in %s", s.n, t)
			}
			r.SetInt(s.n)
			return r, nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if (s.k == kInt || s.k == kBool) && s.n >= 0 {
			r := reflect.New(t).Elem()
			if r.OverflowUint(uint64(s.n)) {
				return reflect.Value{}, exc("OverflowError", "%d does not fit in %s", s.n, t)
			}
			r.SetUint(uint64(s.n))
			return r, nil
		}
	case reflect.Float32, reflect.Float64:
		if isNumber(s) {
			r := reflect.New(t).Elem()
			r.SetFloat(asFloat(s))
			return r, nil
		}
	case reflect.Bool:
		if s.k == kBool {
			return reflect.ValueOf(s.n != 0).Convert(t), nil
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && s.k == kStr {
			return reflect.ValueOf([]byte(s.s)).Convert(t), nil
		}
		if isNone(v) {
			return reflect.Zero(t), nil
		}
		if sq, ok := seqOf(v); ok {
			r := reflect.MakeSlice(t, sq.n, sq.n)
			for i := 0; i < sq.n; i++ {
				e, err := convertValue(sq.at(i), t.Elem())
				if err != nil {
					return reflect.Value{}, err
				}
				r.Index(i).Set(e)
			}
			return r, nil
		}
	case reflect.Array:
		if sq, ok := seqOf(v); ok && sq.n == t.Len() {
			r := reflect.New(t).Elem()
			for i := 0; i < sq.n; i++ {
				e, err := convertValue(sq.at(i), t.Elem())
				if err != nil {
					return reflect.Value{}, err
				}
				r.Index(i).Set(e)
			}
			return r, nil
		}
	case reflect.Map:
		if isNone(v) {
			return reflect.Zero(t), nil
		}
		if m, ok := mappingOf(v); ok {
			keys, err := m.sortedKeys()
			if err != nil {
				return reflect.Value{}, err
			}
			r := reflect.MakeMapWithSize(t, len(keys))
			for _, k := range keys {
				kv, err := convertValue(k, t.Key())
				if err != nil {
					return reflect.Value{}, err
				}
				val, _, _ := m.get(k)
				vv, err := convertValue(val, t.Elem())
				if err != nil {
					return reflect.Value{}, err
				}
				r.SetMapIndex(kv, vv)
			}
			return r, nil
		}
	case reflect.Pointer:
		if isNone(v) {
			return reflect.Zero(t), nil
		}
		if v.k == kAny && reflect.TypeOf(v.a) == t.Elem() {
			p := reflect.New(t.Elem())
			p.Elem().Set(reflect.ValueOf(v.a))
			return p, nil
		}
		// A pointer to a scalar is how Go spells "optional": take the
		// address of the converted value (locale's Relative *bool).
		if k := t.Elem().Kind(); k != reflect.Struct && k != reflect.Pointer {
			if e, err := convertValue(v, t.Elem()); err == nil {
				p := reflect.New(t.Elem())
				p.Elem().Set(e)
				return p, nil
			}
		}
	case reflect.Func, reflect.Chan:
		if isNone(v) {
			return reflect.Zero(t), nil
		}
	}
	if v.k == kAny && v.a != nil {
		if rv := reflect.ValueOf(v.a); rv.Type().ConvertibleTo(t) && rv.Kind() == t.Kind() {
			return rv.Convert(t), nil
		}
	}
	return reflect.Value{}, typeErrorf("cannot use %s as %s", typeName(v), t)
}
