package template

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
)

// dictVal is a Python dict built by the template ({...} literals, dict()).
// Like Python's it keeps insertion order.
type dictVal struct {
	keys  []value
	vals  []value
	index map[dictKey]int
}

// dictKey is the hashable identity of a key: equal Python values (1, 1.0
// and True) share one.
type dictKey struct {
	k kind
	n int64
	s string
}

func hashKey(v value) (dictKey, error) {
	v = scalar(v)
	switch v.k {
	case kUnset, kNone:
		return dictKey{k: kNone}, nil
	case kBool, kInt:
		return dictKey{k: kInt, n: v.n}, nil
	case kFloat:
		f := v.f()
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
			return dictKey{k: kInt, n: int64(f)}, nil
		}
		return dictKey{k: kFloat, n: v.n}, nil
	case kStr:
		return dictKey{k: kStr, s: v.s}, nil
	case kBig:
		return dictKey{k: kBig, s: v.a.(*big.Int).String()}, nil
	}
	if t, ok := v.a.(tupleVal); ok {
		var b []byte
		for _, it := range t {
			hk, err := hashKey(it)
			if err != nil {
				return dictKey{}, err
			}
			b = append(b, byte(hk.k))
			b = append(b, byte(hk.n), byte(hk.n>>8), byte(hk.n>>16), byte(hk.n>>24), byte(hk.n>>32), byte(hk.n>>40), byte(hk.n>>48), byte(hk.n>>56))
			b = append(b, hk.s...)
			b = append(b, 0)
		}
		return dictKey{k: kAny, s: string(b)}, nil
	}
	return dictKey{}, typeErrorf("unhashable type: '%s'", typeName(v))
}

func newDict(n int) *dictVal {
	return &dictVal{keys: make([]value, 0, n), vals: make([]value, 0, n), index: make(map[dictKey]int, n)}
}

func (d *dictVal) get(k value) (value, bool, error) {
	hk, err := hashKey(k)
	if err != nil {
		return value{}, false, err
	}
	i, ok := d.index[hk]
	if !ok {
		return value{}, false, nil
	}
	return d.vals[i], true, nil
}

func (d *dictVal) set(k, v value) error {
	hk, err := hashKey(k)
	if err != nil {
		return err
	}
	if i, ok := d.index[hk]; ok {
		d.vals[i] = v
		return nil
	}
	d.index[hk] = len(d.keys)
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
	return nil
}

// toGo converts the dict for a Go function: map[string]any when every key is
// a string, map[any]any otherwise.
func (d *dictVal) toGo() any {
	allStr := true
	for _, k := range d.keys {
		if k.k != kStr {
			allStr = false
			break
		}
	}
	if allStr {
		m := make(map[string]any, len(d.keys))
		for i, k := range d.keys {
			m[k.s] = toAny(d.vals[i])
		}
		return m
	}
	m := make(map[any]any, len(d.keys))
	for i, k := range d.keys {
		m[toAny(k)] = toAny(d.vals[i])
	}
	return m
}

// jsonValue converts v for json_encode, keeping dict insertion order as
// Python's json.dumps does.
func jsonValue(v value) any {
	switch x := v.a.(type) {
	case *dictVal:
		return orderedJSON{x}
	case *listVal:
		return jsonList(x.items)
	case tupleVal:
		return jsonList(x)
	}
	return toAny(v)
}

func jsonList(items []value) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = jsonValue(it)
	}
	return out
}

// orderedJSON marshals a dict with its keys in insertion order.
type orderedJSON struct{ d *dictVal }

func (o orderedJSON) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.d.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		ks := pyStr(k)
		if k.k == kNone {
			ks = "null"
		} else if k.k == kBool {
			ks = map[bool]string{true: "true", false: "false"}[k.n != 0]
		}
		if err := marshalNoHTML(&b, ks); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := marshalNoHTML(&b, jsonValue(o.d.vals[i])); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalNoHTML appends v's JSON without escaping <, > and & (Python's
// json.dumps leaves them; json_encode escapes only "</").
func marshalNoHTML(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}
