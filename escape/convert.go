package escape

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrInvalidUTF8 is returned (wrapped) by ToUnicode for bytes that are not
// UTF-8, where Python raises UnicodeDecodeError.
var ErrInvalidUTF8 = errors.New("escape: invalid UTF-8")

// UTF8 converts a string argument to bytes, as Tornado's utf8: a string
// becomes its UTF-8 bytes, []byte and nil pass through, and anything else
// is an error (Python's TypeError).
func UTF8(v any) ([]byte, error) {
	switch s := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		return s, nil
	case string:
		return []byte(s), nil
	}
	return nil, fmt.Errorf("escape: expected string, []byte or nil; got %T", v)
}

// ToUnicode converts a string argument to a string, as Tornado's
// to_unicode: []byte must be valid UTF-8, a string passes through, nil
// becomes "" and anything else is an error.
func ToUnicode(v any) (string, error) {
	switch s := v.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	case []byte:
		if !utf8.Valid(s) {
			return "", fmt.Errorf("%w in %q", ErrInvalidUTF8, s)
		}
		return string(s), nil
	}
	return "", fmt.Errorf("escape: expected string, []byte or nil; got %T", v)
}

// RecursiveUnicode walks a simple data structure and returns a copy with
// every []byte turned into a string, as Tornado's recursive_unicode: it
// descends into []any, [][]byte, map[string]any and map[any]any; other
// values are returned as they are. Bytes that are not UTF-8 are converted
// with their invalid sequences kept (Go strings may hold any bytes).
func RecursiveUnicode(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case [][]byte:
		out := make([]string, len(x))
		for i, b := range x {
			out[i] = string(b)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = RecursiveUnicode(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = RecursiveUnicode(e)
		}
		return out
	case map[any]any:
		out := make(map[any]any, len(x))
		for k, e := range x {
			out[RecursiveUnicode(k)] = RecursiveUnicode(e)
		}
		return out
	}
	return v
}
