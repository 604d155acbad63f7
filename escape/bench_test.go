package escape_test

import (
	"strings"
	"testing"

	"github.com/tornago/tornago/escape"
)

var benchText = strings.Repeat(`Tom & Jerry <said> "hi" to 'you' `, 8)

func BenchmarkXHTMLEscape(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = escape.XHTMLEscape(benchText)
	}
}

func BenchmarkAppendXHTMLEscape(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 4096)
	for b.Loop() {
		buf = escape.AppendXHTMLEscape(buf[:0], benchText)
	}
}

func BenchmarkLinkify(b *testing.B) {
	text := strings.Repeat("see http://example.com/a_(b)?x=1&y=2 and www.tornadoweb.org. ", 8)
	b.ReportAllocs()
	for b.Loop() {
		_ = escape.Linkify(text)
	}
}
