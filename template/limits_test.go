package template

import (
	"strings"
	"testing"
	"time"
)

// Inputs that would make a naive engine recurse without bound, loop for
// ages or exhaust memory fail fast with a clear error.
func TestLimits(t *testing.T) {
	parseTests := []struct {
		name, src, want string
	}{
		{"nested parentheses", "{{ " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300) + " }}", "too many nested parentheses"},
		{"nested unary", "{{ " + strings.Repeat("-", 300) + "1 }}", "too deeply nested"},
		{"nested not", "{{ " + strings.Repeat("not ", 300) + "1 }}", "too deeply nested"},
		{"nested blocks", strings.Repeat("{% if 1 %}", 150) + strings.Repeat("{% end %}", 150), "too many nested blocks"},
		{"huge literal", "{{ " + strings.Repeat("9", 5000) + " }}", "exceeds the limit of 4300 digits"},
	}
	for _, tt := range parseTests {
		_, err := New("x.txt", tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	renderTests := []struct {
		name, src, want string
	}{
		{"string repeat", "{{ 'ab' * 10**9 }}", "MemoryError"},
		{"list repeat", "{{ [1] * 10**9 }}", "MemoryError"},
		{"big power", "{{ 3 ** 10**6 }}", "OverflowError"},
		{"big shift", "{{ 1 << 10**6 }}", "OverflowError"},
		{"int of long string", "{{ int('9' * 5000) }}", "Exceeds the limit (4300 digits)"},
		{"format width", "{{ '%999999999d' % 1 }}", "width too big"},
	}
	for _, tt := range renderTests {
		tmpl := mustNew(t, "x.txt", tt.src)
		_, err := tmpl.Generate(nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	// Repeating empty sequences any number of times is instant.
	start := time.Now()
	tmpl := mustNew(t, "x.txt", "{{ [] * 10**18 }}{{ '' * 10**18 }}{{ () * 2**62 }}")
	if got := render(t, tmpl, nil); got != "[]()" {
		t.Errorf("got %q", got)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("repeating empty sequences took %v", d)
	}
}
