package httputil

import (
	"strings"
	"testing"
)

func FuzzParseHeaders(f *testing.F) {
	for _, tt := range parseHeadersTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, text string) {
		h, err := ParseHeaders(text)
		if err != nil {
			return
		}
		for name, value := range h.All() {
			if !ValidName(name) || !isCanonical(name) {
				t.Fatalf("accepted name %q", name)
			}
			// A folded value is valid pieces joined by single spaces, so it
			// is valid as a whole unless a piece was empty.
			if strings.ContainsAny(value, "\r\n\x00") {
				t.Fatalf("accepted value %q", value)
			}
			if !strings.Contains(strings.ToLower(text), strings.ToLower(name)) {
				t.Fatalf("name %q not in input", name)
			}
		}
		// Without folding, the wire form parses back to the same fields.
		if !strings.Contains(text, "\n ") && !strings.Contains(text, "\n\t") {
			back, err := ParseHeaders(string(h.AppendTo(nil)))
			if err != nil {
				t.Fatalf("wire form does not parse: %v", err)
			}
			if a, b := pairs(&h), pairs(&back); len(a) != len(b) {
				t.Fatalf("round trip %q → %q", a, b)
			} else {
				for i := range a {
					if a[i] != b[i] {
						t.Fatalf("round trip %q → %q", a, b)
					}
				}
			}
		}
	})
}

func FuzzParseRequestLine(f *testing.F) {
	for _, tt := range requestLineTests {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, line string) {
		rl, err := ParseRequestLine(line)
		if err != nil {
			return
		}
		if rl.Method+" "+rl.Target+" "+rl.Version != line {
			t.Fatalf("%+v does not rebuild %q", rl, line)
		}
		if !ValidToken(rl.Method) || !validTarget(rl.Target) || (rl.Version != "HTTP/1.1" && rl.Version != "HTTP/1.0") {
			t.Fatalf("accepted %+v", rl)
		}
	})
}
