//go:build !race

package escape_test

import (
	"testing"

	"github.com/tornago/tornago/escape"
)

func TestEscapeAllocations(t *testing.T) {
	buf := make([]byte, 0, 256)
	tests := []struct {
		name string
		fn   func()
	}{
		{"AppendXHTMLEscape with room", func() { buf = escape.AppendXHTMLEscape(buf[:0], `<a href="x">Tom & 'Jerry'</a>`) }},
		{"XHTMLEscape of clean text", func() { _ = escape.XHTMLEscape("nothing to escape here") }},
		{"XHTMLUnescape of plain text", func() { _ = escape.XHTMLUnescape("no references") }},
		{"URLEscape of safe text", func() { _ = escape.URLEscape("safe-text_1.2~3", true) }},
		{"URLUnescape of plain text", func() { _ = escape.URLUnescape("plain", true) }},
		{"Linkify without links or specials", func() { _ = escape.Linkify("no links in this text") }},
	}
	for _, tc := range tests {
		if allocs := testing.AllocsPerRun(100, tc.fn); allocs != 0 {
			t.Errorf("%s allocates %.0f times", tc.name, allocs)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { _ = escape.XHTMLEscape("<b>") }); allocs != 1 {
		t.Errorf("XHTMLEscape allocates %.0f times, want 1", allocs)
	}
}
