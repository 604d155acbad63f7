package httputil

import (
	"net/url"
	"testing"
)

func TestURLConcat(t *testing.T) {
	yz := [][2]string{{"y", "y"}, {"z", "z"}}
	tests := []struct {
		name string
		url  string
		args any
		want string
	}{
		// Tornado's TestUrlConcat, in order.
		{"no query params", "https://localhost/path", yz, "https://localhost/path?y=y&z=z"},
		{"encode args", "https://localhost/path", [][2]string{{"y", "/y"}, {"z", "z"}}, "https://localhost/path?y=%2Fy&z=z"},
		{"trailing question mark", "https://localhost/path?", yz, "https://localhost/path?y=y&z=z"},
		{"field without equals", "https://localhost/path?x", yz, "https://localhost/path?x=&y=y&z=z"},
		{"trailing ampersand", "https://localhost/path?x&", yz, "https://localhost/path?x=&y=y&z=z"},
		{"existing params", "https://localhost/path?a=1&b=2", yz, "https://localhost/path?a=1&b=2&y=y&z=z"},
		{"empty list", "https://localhost/path?r=1&t=2", [][2]string{}, "https://localhost/path?r=1&t=2"},
		{"nil args", "https://localhost/path?r=1&t=2", nil, "https://localhost/path?r=1&t=2"},
		{"fragment kept", "https://localhost/path#tab", [][2]string{{"y", "y"}}, "https://localhost/path?y=y#tab"},
		{"repeated new params", "https://localhost/path", [][2]string{{"y", "y1"}, {"y", "y2"}}, "https://localhost/path?y=y1&y=y2"},
		{"repeated existing params", "https://localhost/path?r=1&r=2", [][2]string{{"y", "y"}}, "https://localhost/path?r=1&r=2&y=y"},
		{"map params", "https://localhost/path", map[string]string{"y": "y"}, "https://localhost/path?y=y"},
		// The reference's example and our own.
		{"query and fragment", "http://e.com/p?a=1#f", map[string]string{"b": "x y"}, "http://e.com/p?a=1&b=x+y#f"},
		{"map sorted", "/p", map[string]string{"b": "2", "a": "1"}, "/p?a=1&b=2"},
		{"url.Values sorted, values in order", "/p", url.Values{"b": {"2", "1"}, "a": {"x"}}, "/p?a=x&b=2&b=1"},
		{"map of any", "/p", map[string]any{"n": 3, "s": "x"}, "/p?n=3&s=x"},
		{"list of lists", "/p", [][]string{{"a", "1"}}, "/p?a=1"},
		{"bad list unchanged", "/p", [][]string{{"a"}}, "/p"},
		{"unknown type unchanged", "/p?x", 42, "/p?x"},
		{"empty query dropped", "/p?", [][2]string{}, "/p"},
		{"existing escapes normalised", "/p?x=%2f&y=%zz", [][2]string{{"a", "\u00e9/~"}}, "/p?x=%2F&y=%25zz&a=%C3%A9%2F~"},
		{"second hash stays in fragment", "/p?a#f#g", [][2]string{{"b", "1"}}, "/p?a=&b=1#f#g"},
		{"relative empty url", "", [][2]string{{"a", "b"}}, "?a=b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := URLConcat(tt.url, tt.args); got != tt.want {
				t.Errorf("URLConcat(%q, %v) = %q, want %q", tt.url, tt.args, got, tt.want)
			}
		})
	}
}
