package template

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxReprDepth bounds how deep str() descends into nested lists and maps. A
// list that contains itself would otherwise recurse forever; Python prints
// such cycles as [...], and so do we past this depth.
const maxReprDepth = 32

// appendStr appends Python's str(v): what {{ v }} prints before escaping.
func appendStr(dst []byte, v value) []byte {
	switch v.k {
	case kStr:
		return append(dst, v.s...)
	case kInt:
		return strconv.AppendInt(dst, v.n, 10)
	case kUnset, kNone:
		return append(dst, "None"...)
	case kBool:
		if v.n != 0 {
			return append(dst, "True"...)
		}
		return append(dst, "False"...)
	case kFloat:
		return appendPyFloat(dst, v.f())
	case kBig:
		return v.a.(*big.Int).Append(dst, 10)
	case kBuiltin:
		return append(append(append(dst, "<built-in function "...), builtinTable[v.n].name...), '>')
	}
	return appendAnyStr(dst, v.a, 0)
}

func appendAnyStr(dst []byte, x any, depth int) []byte {
	switch x := x.(type) {
	case nil:
		return append(dst, "None"...)
	case []byte:
		return append(dst, x...)
	case *Exception:
		return append(dst, x.Message...)
	case time.Time:
		return appendPyDatetime(dst, x, ' ')
	case error:
		return append(dst, x.Error()...)
	case fmt.Stringer:
		return append(dst, safeString(x)...)
	case *listVal, tupleVal, *dictVal, rangeVal, *boundMethod, *pyObject:
		return appendRepr(dst, anyV(x), depth)
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return appendRepr(dst, anyV(x), depth)
	case reflect.Pointer:
		if rv.IsNil() {
			return append(dst, "None"...)
		}
	case reflect.Interface, reflect.Func, reflect.Chan:
		if rv.IsNil() {
			return append(dst, "None"...)
		}
	}
	if s := scalar(anyV(x)); s.k != kAny {
		return appendStr(dst, s)
	}
	return fmt.Appendf(dst, "%v", x)
}

// safeString calls String, turning a panic (a nil receiver, say) into text.
func safeString(s fmt.Stringer) (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = fmt.Sprintf("<%T: String panicked: %v>", s, r)
		}
	}()
	return s.String()
}

// appendRepr appends Python's repr(v): strings quoted, containers with
// their elements' reprs.
func appendRepr(dst []byte, v value, depth int) []byte {
	switch v.k {
	case kStr:
		return appendPyQuote(dst, v.s, false)
	case kAny:
	default:
		return appendStr(dst, v)
	}
	if depth > maxReprDepth {
		return append(dst, "..."...)
	}
	switch x := v.a.(type) {
	case []byte:
		return appendPyQuote(append(dst, 'b'), string(x), true)
	case *listVal:
		return appendSeqRepr(dst, '[', ']', x.items, depth)
	case tupleVal:
		dst = appendSeqRepr(dst, '(', ')', x, depth)
		if len(x) == 1 {
			dst = append(dst[:len(dst)-1], ",)"...)
		}
		return dst
	case *dictVal:
		dst = append(dst, '{')
		for i := range x.keys {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendRepr(dst, x.keys[i], depth+1)
			dst = append(dst, ": "...)
			dst = appendRepr(dst, x.vals[i], depth+1)
		}
		return append(dst, '}')
	case rangeVal:
		dst = fmt.Appendf(dst, "range(%d, %d", x.start, x.stop)
		if x.step != 1 {
			dst = fmt.Appendf(dst, ", %d", x.step)
		}
		return append(dst, ')')
	case *boundMethod:
		return fmt.Appendf(dst, "<bound method %s of %s>", x.name, typeName(x.recv))
	case *pyObject:
		return fmt.Appendf(dst, "<%s>", x.name)
	case time.Time:
		return appendDatetimeRepr(dst, x)
	case *Exception:
		dst = append(append(dst, x.Class...), '(')
		dst = appendPyQuote(dst, x.Message, false)
		return append(dst, ')')
	case fmt.Stringer, error:
		return appendAnyStr(dst, x, depth)
	}
	rv := reflect.ValueOf(v.a)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
			return appendPyQuote(append(dst, 'b'), string(rv.Bytes()), true)
		}
		dst = append(dst, '[')
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendRepr(dst, fromReflect(rv.Index(i)), depth+1)
		}
		return append(dst, ']')
	case reflect.Map:
		dst = append(dst, '{')
		for i, k := range sortedMapKeys(rv) {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendRepr(dst, fromReflect(k), depth+1)
			dst = append(dst, ": "...)
			dst = appendRepr(dst, fromReflect(rv.MapIndex(k)), depth+1)
		}
		return append(dst, '}')
	}
	if s := scalar(v); s.k != kAny {
		return appendRepr(dst, s, depth)
	}
	return appendAnyStr(dst, v.a, depth)
}

func appendSeqRepr(dst []byte, open, closer byte, items []value, depth int) []byte {
	dst = append(dst, open)
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = appendRepr(dst, it, depth+1)
	}
	return append(dst, closer)
}

// appendPyQuote appends s quoted the way Python's repr quotes strings:
// single quotes unless s holds a single quote and no double quote.
func appendPyQuote(dst []byte, s string, isBytes bool) []byte {
	q := byte('\'')
	if containsByte(s, '\'') && !containsByte(s, '"') {
		q = '"'
	}
	dst = append(dst, q)
	for i := 0; i < len(s); {
		c := s[i]
		if isBytes || c < utf8.RuneSelf {
			switch {
			case c == q || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, `\n`...)
			case c == '\r':
				dst = append(dst, `\r`...)
			case c == '\t':
				dst = append(dst, `\t`...)
			case c < 0x20 || c >= 0x7f:
				dst = fmt.Appendf(dst, `\x%02x`, c)
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = fmt.Appendf(dst, `\udc%02x`, c) // Python's surrogateescape form
		case unicode.IsPrint(r):
			dst = append(dst, s[i:i+size]...)
		case r < 0x100:
			dst = fmt.Appendf(dst, `\x%02x`, r)
		case r < 0x10000:
			dst = fmt.Appendf(dst, `\u%04x`, r)
		default:
			dst = fmt.Appendf(dst, `\U%08x`, r)
		}
		i += size
	}
	return append(dst, q)
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// appendPyFloat appends Python's repr of a float: the shortest digits that
// round-trip, positional between 1e-4 and 1e16, always with a '.' or an
// exponent ("2.0", "0.0001", "1e-05", "1e+16").
func appendPyFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	var tmp [32]byte
	b := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	if b[0] == '-' {
		dst = append(dst, '-')
		b = b[1:]
	}
	// b is d[.ddd]e±XX
	epos := 0
	for b[epos] != 'e' {
		epos++
	}
	mant, expPart := b[:epos], b[epos+1:]
	exp, _ := strconv.Atoi(string(expPart))
	var digits [24]byte
	nd := 0
	for _, c := range mant {
		if c != '.' {
			digits[nd] = c
			nd++
		}
	}
	d := digits[:nd]
	if exp < -4 || exp >= 16 {
		dst = append(dst, d[0])
		if len(d) > 1 {
			dst = append(dst, '.')
			dst = append(dst, d[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	if exp < 0 {
		dst = append(dst, "0."...)
		for i := 0; i < -exp-1; i++ {
			dst = append(dst, '0')
		}
		return append(dst, d...)
	}
	if len(d) <= exp+1 {
		dst = append(dst, d...)
		for i := len(d); i <= exp; i++ {
			dst = append(dst, '0')
		}
		return append(dst, ".0"...)
	}
	dst = append(dst, d[:exp+1]...)
	dst = append(dst, '.')
	return append(dst, d[exp+1:]...)
}

// appendPyDatetime appends Python's datetime.isoformat(sep): microseconds
// only when non-zero, and a UTC offset only for times outside UTC (Go's UTC
// times stand in for Python's naive UTC datetimes, Tornado's convention).
func appendPyDatetime(dst []byte, t time.Time, sep byte) []byte {
	dst = t.AppendFormat(dst, "2006-01-02")
	dst = append(dst, sep)
	dst = t.AppendFormat(dst, "15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		dst = fmt.Appendf(dst, ".%06d", us)
	}
	if t.Location() != time.UTC {
		dst = t.AppendFormat(dst, "-07:00")
	}
	return dst
}

func appendDatetimeRepr(dst []byte, t time.Time) []byte {
	dst = fmt.Appendf(dst, "datetime.datetime(%d, %d, %d, %d, %d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
	if t.Second() != 0 || t.Nanosecond() >= 1000 {
		dst = fmt.Appendf(dst, ", %d", t.Second())
	}
	if us := t.Nanosecond() / 1000; us != 0 {
		dst = fmt.Appendf(dst, ", %d", us)
	}
	return append(dst, ')')
}

// pyStr returns str(v) as a Go string, without copying when v is a string.
func pyStr(v value) string {
	if v.k == kStr {
		return v.s
	}
	return string(appendStr(nil, v))
}

func pyRepr(v value) string { return string(appendRepr(nil, v, 0)) }
