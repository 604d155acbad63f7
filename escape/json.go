package escape

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds how deeply JSONEncode descends into nested values.
// Python's json.dumps stops at its recursion limit (1000 frames) with a
// RecursionError; the same bound here turns a cyclic structure into an
// error instead of a stack overflow.
const maxJSONDepth = 1000

// ErrJSONDepth is returned (wrapped) by JSONEncode for values nested more
// than 1000 deep, which includes every cyclic structure.
var ErrJSONDepth = errors.New("escape: value nested too deeply for JSON (cycle?)")

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	jsonNumberType    = reflect.TypeFor[json.Number]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// jsonNumberLiteral is the JSON grammar's number (RFC 8259 section 6).
var jsonNumberLiteral = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// JSONEncode returns v as JSON text byte for byte as Tornado's json_encode
// writes it: Python's json.dumps defaults (", " and ": " separators, every
// non-ASCII character and DEL as a \uXXXX escape, surrogate pairs above
// U+FFFF, floats as Python's repr: 1.0, 1e+16, 1e-05, NaN, Infinity), then
// every "</" written as "<\/" so the text can sit inside a <script> element.
//
// Go values map onto JSON as Python's do: nil, bool, every integer and
// float kind, strings, slices and arrays, and maps (keys of string,
// integer or TextMarshaler types). Map keys come out sorted, where Python
// keeps insertion order. Values that implement json.Marshaler, and structs,
// are encoded by encoding/json (field tags honoured) and then reformatted to
// the same layout; floats inside those keep encoding/json's formatting.
// []byte is base64 text as in encoding/json (Python refuses bytes).
func JSONEncode(v any) (string, error) {
	e := jsonEncoder{buf: make([]byte, 0, 64)}
	if err := e.value(reflect.ValueOf(v), 0); err != nil {
		return "", err
	}
	return strings.ReplaceAll(string(e.buf), "</", `<\/`), nil
}

// JSONDecode parses JSON text into v as encoding/json's Unmarshal does (into
// an any: map[string]any, []any, float64, string, bool, nil), as Tornado's
// json_decode wraps json.loads. Errors are wrapped with the package prefix.
func JSONDecode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("escape: json_decode: %w", err)
	}
	return nil
}

type jsonEncoder struct {
	buf []byte
}

func (e *jsonEncoder) value(v reflect.Value, depth int) error {
	if depth > maxJSONDepth {
		return ErrJSONDepth
	}
	if !v.IsValid() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	t := v.Type()
	if t == jsonNumberType {
		n := v.String()
		if n == "" {
			n = "0" // as encoding/json
		}
		if !jsonNumberLiteral.MatchString(n) {
			return fmt.Errorf("escape: json_encode: invalid number literal %q", n)
		}
		e.buf = append(e.buf, n...)
		return nil
	}
	if t.Implements(jsonMarshalerType) || t.Kind() == reflect.Struct {
		if (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface) && v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		raw, err := json.Marshal(v.Interface())
		if err != nil {
			return fmt.Errorf("escape: json_encode: %w", err)
		}
		e.buf = appendPythonLayout(e.buf, raw)
		return nil
	}
	if t.Implements(textMarshalerType) && !(t.Kind() == reflect.Pointer && v.IsNil()) {
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return fmt.Errorf("escape: json_encode: %w", err)
		}
		e.buf = appendPythonString(e.buf, string(text))
		return nil
	}
	switch v.Kind() {
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	case reflect.Float32:
		e.buf = appendPythonFloat(e.buf, v.Float(), 32)
	case reflect.Float64:
		e.buf = appendPythonFloat(e.buf, v.Float(), 64)
	case reflect.String:
		e.buf = appendPythonString(e.buf, v.String())
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.value(v.Elem(), depth+1)
	case reflect.Slice:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 && !t.Elem().Implements(jsonMarshalerType) && !t.Elem().Implements(textMarshalerType) {
			e.buf = append(e.buf, '"')
			e.buf = base64.StdEncoding.AppendEncode(e.buf, v.Bytes())
			e.buf = append(e.buf, '"')
			return nil
		}
		return e.list(v, depth)
	case reflect.Array:
		return e.list(v, depth)
	case reflect.Map:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.object(v, depth)
	default:
		return fmt.Errorf("escape: json_encode: unsupported type %s", t)
	}
	return nil
}

func (e *jsonEncoder) list(v reflect.Value, depth int) error {
	e.buf = append(e.buf, '[')
	for i := range v.Len() {
		if i > 0 {
			e.buf = append(e.buf, ", "...)
		}
		if err := e.value(v.Index(i), depth+1); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	return nil
}

func (e *jsonEncoder) object(v reflect.Value, depth int) error {
	type member struct {
		key string
		val reflect.Value
	}
	members := make([]member, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		key, err := mapKey(it.Key())
		if err != nil {
			return err
		}
		members = append(members, member{key, it.Value()})
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
	e.buf = append(e.buf, '{')
	for i, m := range members {
		if i > 0 {
			e.buf = append(e.buf, ", "...)
		}
		e.buf = appendPythonString(e.buf, m.key)
		e.buf = append(e.buf, ": "...)
		if err := e.value(m.val, depth+1); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// mapKey turns a map key into its JSON member name as encoding/json does.
func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if k.Type().Implements(textMarshalerType) {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		text, err := k.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return "", fmt.Errorf("escape: json_encode: map key: %w", err)
		}
		return string(text), nil
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	case reflect.Interface:
		if !k.IsNil() {
			return mapKey(k.Elem())
		}
	}
	return "", fmt.Errorf("escape: json_encode: unsupported map key type %s", k.Type())
}

// appendPythonFloat writes f as Python's float repr: the shortest digits
// that read back as f, in positional form with at least one decimal
// (1.0, 0.0001, 1234567890123456.0) while the decimal exponent is from -4
// to 15, in scientific form otherwise (1e-05, 1.5e+16).
func appendPythonFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	var tmp [32]byte
	sci := strconv.AppendFloat(tmp[:0], f, 'e', -1, bits)
	mark := slices.Index(sci, 'e')
	exp, _ := strconv.Atoi(string(sci[mark+1:]))
	if f == 0 || -4 <= exp && exp < 16 {
		start := len(dst)
		dst = strconv.AppendFloat(dst, f, 'f', -1, bits)
		if !slices.Contains(dst[start:], '.') {
			dst = append(dst, ".0"...)
		}
		return dst
	}
	return append(dst, sci...) // Go writes the exponent as Python does: sign and at least two digits
}

// appendPythonString writes s as a JSON string with json.dumps's
// ensure_ascii escaping. Invalid UTF-8 bytes become \ufffd.
func appendPythonString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				dst = append(dst, `\"`...)
			case '\\':
				dst = append(dst, `\\`...)
			case '\n':
				dst = append(dst, `\n`...)
			case '\r':
				dst = append(dst, `\r`...)
			case '\t':
				dst = append(dst, `\t`...)
			case '\b':
				dst = append(dst, `\b`...)
			case '\f':
				dst = append(dst, `\f`...)
			default:
				dst = appendU4(dst, rune(c))
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			dst = appendU4(appendU4(dst, r1), r2)
		} else {
			dst = appendU4(dst, r)
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendU4(dst []byte, r rune) []byte {
	const lowerHex = "0123456789abcdef"
	return append(dst, '\\', 'u', lowerHex[r>>12&15], lowerHex[r>>8&15], lowerHex[r>>4&15], lowerHex[r&15])
}

// appendPythonLayout copies compact JSON from encoding/json, adding the
// spaces after ',' and ':' that json.dumps writes, and re-escaping strings
// the json.dumps way (non-ASCII as \uXXXX, '<' '>' '&' left alone).
func appendPythonLayout(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch c {
		case ',', ':':
			dst = append(dst, c, ' ')
			i++
		case '"':
			end := stringEnd(raw, i)
			var s string
			if err := json.Unmarshal(raw[i:end], &s); err != nil {
				dst = append(dst, raw[i:end]...) // cannot happen for encoding/json output
			} else {
				dst = appendPythonString(dst, s)
			}
			i = end
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst
}

// stringEnd returns the index just past the JSON string starting at raw[i].
func stringEnd(raw []byte, i int) int {
	for j := i + 1; j < len(raw); j++ {
		switch raw[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(raw)
}
