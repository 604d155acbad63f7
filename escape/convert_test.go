package escape_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/tornago/tornago/escape"
)

func TestUTF8AndToUnicode(t *testing.T) {
	if b, err := escape.UTF8("\u00e9"); err != nil || string(b) != "\xc3\xa9" {
		t.Errorf("UTF8(é) = %q, %v", b, err)
	}
	if b, err := escape.UTF8(nil); err != nil || b != nil {
		t.Errorf("UTF8(nil) = %q, %v", b, err)
	}
	if _, err := escape.UTF8(3); err == nil {
		t.Error("UTF8(3) succeeded")
	}
	if s, err := escape.ToUnicode([]byte("\xc3\xa9")); err != nil || s != "\u00e9" {
		t.Errorf("ToUnicode = %q, %v", s, err)
	}
	if _, err := escape.ToUnicode([]byte("\xe9")); !errors.Is(err, escape.ErrInvalidUTF8) {
		t.Errorf("ToUnicode(latin-1) error = %v", err)
	}
	if _, err := escape.ToUnicode(1.5); err == nil {
		t.Error("ToUnicode(1.5) succeeded")
	}
}

// Tornado's test_recursive_unicode, with Go's containers.
func TestRecursiveUnicode(t *testing.T) {
	tests := []struct{ in, want any }{
		{map[any]any{"foo": []byte("bar")}, map[any]any{"foo": "bar"}},
		{map[string]any{"foo": []byte("bar")}, map[string]any{"foo": "bar"}},
		{[]any{[]byte("foo"), []byte("bar")}, []any{"foo", "bar"}},
		{[][]byte{[]byte("foo"), []byte("bar")}, []string{"foo", "bar"}},
		{[]byte("foo"), "foo"},
		{42, 42},
	}
	for _, tc := range tests {
		if got := escape.RecursiveUnicode(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("RecursiveUnicode(%#v) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}
