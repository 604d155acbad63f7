package template

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// seqView is read access to anything that behaves as a Python list or
// tuple: template lists and tuples, []any, and any Go slice or array.
type seqView struct {
	items []value
	anys  []any
	rv    reflect.Value
	n     int
	tuple bool
}

func seqOf(v value) (seqView, bool) {
	if v.k != kAny {
		return seqView{}, false
	}
	switch x := v.a.(type) {
	case *listVal:
		return seqView{items: x.items, n: len(x.items)}, true
	case tupleVal:
		return seqView{items: x, n: len(x), tuple: true}, true
	case []any:
		return seqView{anys: x, n: len(x)}, true
	case []byte, string, nil:
		return seqView{}, false
	}
	rv := reflect.ValueOf(v.a)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return seqView{rv: rv, n: rv.Len()}, true
	case reflect.Pointer:
		if !rv.IsNil() && rv.Elem().Kind() == reflect.Array {
			return seqView{rv: rv.Elem(), n: rv.Elem().Len()}, true
		}
	}
	return seqView{}, false
}

func (s seqView) at(i int) value {
	switch {
	case s.items != nil:
		return s.items[i]
	case s.anys != nil:
		return fromAny(s.anys[i])
	}
	return fromReflect(s.rv.Index(i))
}

func (s seqView) appendTo(dst []value) []value {
	if s.items != nil {
		return append(dst, s.items...)
	}
	for i := 0; i < s.n; i++ {
		dst = append(dst, s.at(i))
	}
	return dst
}

// mapping is read access to a Python dict: a template dict or a Go map.
type mapping struct {
	d  *dictVal
	m  map[string]any
	rv reflect.Value
}

func mappingOf(v value) (mapping, bool) {
	if v.k != kAny {
		return mapping{}, false
	}
	switch x := v.a.(type) {
	case *dictVal:
		return mapping{d: x}, true
	case map[string]any:
		return mapping{m: x}, true
	case nil:
		return mapping{}, false
	}
	rv := reflect.ValueOf(v.a)
	if rv.Kind() == reflect.Map {
		return mapping{rv: rv}, true
	}
	return mapping{}, false
}

func (m mapping) len() int {
	switch {
	case m.d != nil:
		return len(m.d.keys)
	case m.m != nil:
		return len(m.m)
	case m.rv.IsValid():
		return m.rv.Len()
	}
	return 0
}

// get looks a key up; found is false when it is absent.
func (m mapping) get(k value) (value, bool, error) {
	switch {
	case m.d != nil:
		return m.d.get(k)
	case m.m != nil:
		s := scalar(k)
		if s.k != kStr {
			if _, err := hashKey(k); err != nil {
				return value{}, false, err
			}
			return value{}, false, nil
		}
		x, ok := m.m[s.s]
		if !ok {
			return value{}, false, nil
		}
		return fromAny(x), true, nil
	case !m.rv.IsValid():
		return value{}, false, nil
	}
	kt := m.rv.Type().Key()
	kv, err := convertValue(k, kt)
	if err != nil {
		if _, herr := hashKey(k); herr != nil {
			return value{}, false, herr
		}
		return value{}, false, nil
	}
	r := m.rv.MapIndex(kv)
	if !r.IsValid() {
		return value{}, false, nil
	}
	return fromReflect(r), true, nil
}

// sortedKeys returns the keys in iteration order: insertion order for
// template dicts, sorted order for Go maps (which have no order of their own).
func (m mapping) sortedKeys() ([]value, error) {
	switch {
	case m.d != nil:
		return slices.Clone(m.d.keys), nil
	case m.m != nil:
		keys := make([]string, 0, len(m.m))
		for k := range m.m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := make([]value, len(keys))
		for i, k := range keys {
			out[i] = strV(k)
		}
		return out, nil
	case !m.rv.IsValid():
		return nil, nil
	}
	keys := sortedMapKeys(m.rv)
	out := make([]value, len(keys))
	for i, k := range keys {
		out[i] = fromReflect(k)
	}
	return out, nil
}

// sortedMapKeys returns a Go map's keys in a deterministic order: by value
// for strings, numbers and bools, by their printed form otherwise.
func sortedMapKeys(rv reflect.Value) []reflect.Value {
	keys := rv.MapKeys()
	switch rv.Type().Key().Kind() {
	case reflect.String:
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.Int(), b.Int()) })
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.Uint(), b.Uint()) })
	case reflect.Float32, reflect.Float64:
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.Float(), b.Float()) })
	case reflect.Bool:
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			return cmp.Compare(boolInt(a.Bool()), boolInt(b.Bool()))
		})
	default:
		slices.SortStableFunc(keys, func(a, b reflect.Value) int {
			va, vb := fromReflect(a), fromReflect(b)
			if c, err := compare(va, vb); err == nil && c != 2 {
				return c
			}
			return strings.Compare(fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
		})
	}
	return keys
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (r rangeVal) length() int64 {
	switch {
	case r.step > 0 && r.stop > r.start:
		return (r.stop - r.start + r.step - 1) / r.step
	case r.step < 0 && r.start > r.stop:
		return (r.start - r.stop - r.step - 1) / -r.step
	}
	return 0
}

func (r rangeVal) each(fn func(int64) bool) {
	n := r.length()
	for i, x := int64(0), r.start; i < n; i, x = i+1, x+r.step {
		if !fn(x) {
			return
		}
	}
}

func (r rangeVal) contains(x int64) bool {
	if r.step > 0 {
		if x < r.start || x >= r.stop {
			return false
		}
	} else if x > r.start || x <= r.stop {
		return false
	}
	return (x-r.start)%r.step == 0
}

// forEach calls fn with each item Python's `for` would produce, until fn
// returns false. Strings yield their characters, maps their keys (sorted for
// Go maps), Go iterator functions (iter.Seq, iter.Seq2) and channels what
// they produce.
func forEach(v value, fn func(value) bool) error {
	switch v.k {
	case kStr:
		forEachChar(v.s, fn)
		return nil
	case kAny:
	default:
		return typeErrorf("'%s' object is not iterable", typeName(v))
	}
	switch x := v.a.(type) {
	case *listVal:
		// Index each time: the body may append to the list, as in Python.
		for i := 0; i < len(x.items); i++ {
			if !fn(x.items[i]) {
				return nil
			}
		}
		return nil
	case tupleVal:
		for _, it := range x {
			if !fn(it) {
				return nil
			}
		}
		return nil
	case []any:
		for _, it := range x {
			if !fn(fromAny(it)) {
				return nil
			}
		}
		return nil
	case []string:
		for _, it := range x {
			if !fn(strV(it)) {
				return nil
			}
		}
		return nil
	case rangeVal:
		x.each(func(i int64) bool { return fn(intV(i)) })
		return nil
	case []byte:
		for _, b := range x {
			if !fn(intV(int64(b))) {
				return nil
			}
		}
		return nil
	case nil:
		return typeErrorf("'NoneType' object is not iterable")
	}
	if m, ok := mappingOf(v); ok {
		keys, err := m.sortedKeys()
		if err != nil {
			return err
		}
		for _, k := range keys {
			if !fn(k) {
				return nil
			}
		}
		return nil
	}
	if s, ok := seqOf(v); ok {
		for i := 0; i < s.n; i++ {
			if !fn(s.at(i)) {
				return nil
			}
		}
		return nil
	}
	rv := reflect.ValueOf(v.a)
	switch rv.Kind() {
	case reflect.String:
		forEachChar(rv.String(), fn)
		return nil
	case reflect.Chan:
		if rv.Type().ChanDir()&reflect.RecvDir == 0 {
			break
		}
		for {
			x, ok := rv.Recv()
			if !ok || !fn(fromReflect(x)) {
				return nil
			}
		}
	case reflect.Func:
		if rv.IsNil() {
			break
		}
		if canSeq(rv.Type(), 1) {
			for x := range rv.Seq() {
				if !fn(fromReflect(x)) {
					break
				}
			}
			return nil
		}
		if canSeq(rv.Type(), 2) {
			for a, b := range rv.Seq2() {
				if !fn(anyV(tupleVal{fromReflect(a), fromReflect(b)})) {
					break
				}
			}
			return nil
		}
	}
	return typeErrorf("'%s' object is not iterable", typeName(v))
}

// canSeq reports whether t is func(yield func(K[, V]) bool), an iter.Seq
// or iter.Seq2.
func canSeq(t reflect.Type, n int) bool {
	if t.NumIn() != 1 || t.NumOut() != 0 {
		return false
	}
	y := t.In(0)
	return y.Kind() == reflect.Func && y.NumIn() == n && y.NumOut() == 1 && y.Out(0).Kind() == reflect.Bool
}

func forEachChar(s string, fn func(value) bool) {
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		if !fn(strV(s[i : i+size])) {
			return
		}
		i += size
	}
}

// collect returns every item of an iterable.
func collect(v value) ([]value, error) {
	if s, ok := seqOf(v); ok {
		return s.appendTo(make([]value, 0, s.n)), nil
	}
	var out []value
	err := forEach(v, func(x value) bool {
		out = append(out, x)
		return len(out) <= maxRepeatLen
	})
	if len(out) > maxRepeatLen {
		return nil, exc("MemoryError", "iterable too long")
	}
	return out, err
}
