package template

import (
	"math"
	"math/big"
	"reflect"
)

// kind tags the representation a value uses. Scalars the templates use most
// (strings, ints, floats, bools) are held unboxed, so evaluating and
// printing them does not allocate.
type kind uint8

const (
	kUnset   kind = iota // an unassigned local or an undefined name
	kNone                // Python's None (also nil Go values)
	kBool                // n is 0 or 1
	kInt                 // n
	kFloat               // math.Float64bits in n
	kStr                 // s
	kBig                 // a is a *big.Int outside the int64 range
	kBuiltin             // n is a builtin's index in builtinTable
	kAny                 // a is any other Go value or an internal object
)

// value is one Python value during rendering.
type value struct {
	k kind
	n int64
	s string
	a any
}

var noneV = value{k: kNone}

func boolV(b bool) value {
	if b {
		return value{k: kBool, n: 1}
	}
	return value{k: kBool}
}

func intV(i int64) value     { return value{k: kInt, n: i} }
func floatV(f float64) value { return value{k: kFloat, n: int64(math.Float64bits(f))} }
func strV(s string) value    { return value{k: kStr, s: s} }
func anyV(x any) value       { return value{k: kAny, a: x} }

// bigV normalises a big integer: it stays big only outside int64.
func bigV(b *big.Int) value {
	if b.IsInt64() {
		return intV(b.Int64())
	}
	return value{k: kBig, a: b}
}

func (v value) f() float64 { return math.Float64frombits(uint64(v.n)) }

// Internal object types a value's a field may hold.
type (
	// listVal is a Python list built by the template (literals, list(),
	// comprehensions, sorted ...).
	listVal struct{ items []value }
	// tupleVal is a Python tuple.
	tupleVal []value
	// rangeVal is a lazy range().
	rangeVal struct{ start, stop, step int64 }
	// boundMethod is a method taken without calling it (`f = s.upper`).
	boundMethod struct {
		recv value
		name string
	}
)

// fromAny converts a Go value to a template value. Exact basic types become
// unboxed scalars; everything else (named types included, so their methods
// stay reachable) is kept as is.
func fromAny(x any) value {
	switch v := x.(type) {
	case nil:
		return noneV
	case string:
		return strV(v)
	case int:
		return intV(int64(v))
	case bool:
		return boolV(v)
	case float64:
		return floatV(v)
	case int64:
		return intV(v)
	case int32:
		return intV(int64(v))
	case int16:
		return intV(int64(v))
	case int8:
		return intV(int64(v))
	case uint8:
		return intV(int64(v))
	case uint16:
		return intV(int64(v))
	case uint32:
		return intV(int64(v))
	case uint:
		return uintV(uint64(v))
	case uint64:
		return uintV(v)
	case uintptr:
		return uintV(uint64(v))
	case float32:
		return floatV(float64(v))
	case *big.Int:
		if v == nil {
			return noneV
		}
		return bigV(v)
	case value:
		return v
	}
	return value{k: kAny, a: x}
}

func uintV(u uint64) value {
	if u <= math.MaxInt64 {
		return intV(int64(u))
	}
	return value{k: kBig, a: new(big.Int).SetUint64(u)}
}

// fromReflect converts a reflect.Value (a field, an element, a result).
func fromReflect(rv reflect.Value) value {
	switch rv.Kind() {
	case reflect.Invalid:
		return noneV
	case reflect.String:
		if rv.Type() == stringType {
			return strV(rv.String())
		}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
		if isBasicType(rv.Type()) {
			return intV(rv.Int())
		}
	case reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8, reflect.Uintptr:
		if isBasicType(rv.Type()) {
			return uintV(rv.Uint())
		}
	case reflect.Float64, reflect.Float32:
		if isBasicType(rv.Type()) {
			return floatV(rv.Float())
		}
	case reflect.Bool:
		if isBasicType(rv.Type()) {
			return boolV(rv.Bool())
		}
	case reflect.Interface:
		if rv.IsNil() {
			return noneV
		}
		return fromReflect(rv.Elem())
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		if rv.IsNil() && rv.Kind() != reflect.Map && rv.Kind() != reflect.Slice {
			return noneV
		}
	}
	if !rv.CanInterface() {
		return noneV
	}
	return fromAny(rv.Interface())
}

var stringType = reflect.TypeFor[string]()

// isBasicType reports whether t is a predeclared (unnamed-package) type.
func isBasicType(t reflect.Type) bool { return t.PkgPath() == "" && t.Name() != "" }

// toAny converts a template value to a Go value for a Go function: ints
// become int, floats float64, lists []any, tuples []any, dicts map[string]any
// (or map[any]any when a key is not a string).
func toAny(v value) any {
	switch v.k {
	case kUnset, kNone:
		return nil
	case kBool:
		return v.n != 0
	case kInt:
		return int(v.n)
	case kFloat:
		return v.f()
	case kStr:
		return v.s
	case kBig:
		return v.a
	case kBuiltin:
		return builtinTable[v.n].goValue()
	}
	switch x := v.a.(type) {
	case *listVal:
		return valuesToAny(x.items)
	case tupleVal:
		return valuesToAny(x)
	case *dictVal:
		return x.toGo()
	case rangeVal:
		var out []any
		x.each(func(i int64) bool { out = append(out, int(i)); return true })
		return out
	}
	return v.a
}

func valuesToAny(items []value) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = toAny(it)
	}
	return out
}

// scalar returns v with a named Go scalar type (type ID int64, time.Month,
// type Slug string ...) replaced by the basic value it holds, for
// arithmetic and comparisons. Other values are returned unchanged.
func scalar(v value) value {
	if v.k != kAny || v.a == nil {
		return v
	}
	rv := reflect.ValueOf(v.a)
	switch rv.Kind() {
	case reflect.String:
		return strV(rv.String())
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
		return intV(rv.Int())
	case reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8, reflect.Uintptr:
		return uintV(rv.Uint())
	case reflect.Float64, reflect.Float32:
		return floatV(rv.Float())
	case reflect.Bool:
		return boolV(rv.Bool())
	case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
		if rv.IsNil() {
			return noneV
		}
	}
	return v
}

// isNumber reports whether a (scalar) value is a bool, int, big int or float.
func isNumber(v value) bool { return v.k == kBool || v.k == kInt || v.k == kFloat || v.k == kBig }

// asFloat converts a numeric value to float64.
func asFloat(v value) float64 {
	switch v.k {
	case kFloat:
		return v.f()
	case kBig:
		f, _ := new(big.Float).SetInt(v.a.(*big.Int)).Float64()
		return f
	}
	return float64(v.n)
}

// asBig converts an integral value to a new big.Int.
func asBig(v value) *big.Int {
	if v.k == kBig {
		return new(big.Int).Set(v.a.(*big.Int))
	}
	return big.NewInt(v.n)
}

// typeName is the Python-style type name used in error messages.
func typeName(v value) string {
	switch v.k {
	case kUnset, kNone:
		return "NoneType"
	case kBool:
		return "bool"
	case kInt, kBig:
		return "int"
	case kFloat:
		return "float"
	case kStr:
		return "str"
	case kBuiltin:
		return "builtin_function_or_method"
	}
	switch x := v.a.(type) {
	case *listVal:
		return "list"
	case tupleVal:
		return "tuple"
	case *dictVal:
		return "dict"
	case rangeVal:
		return "range"
	case []byte:
		return "bytes"
	case *boundMethod:
		return "method"
	case *pyObject:
		return x.name
	case *lambdaVal:
		return "function"
	case strMethodRef:
		return "method_descriptor"
	case nil:
		return "NoneType"
	default:
		t := reflect.TypeOf(x)
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			if t.Name() == "" {
				return "list"
			}
		case reflect.Map:
			if t.Name() == "" {
				return "dict"
			}
		}
		return t.String()
	}
}
