package httputil

import "testing"

var rangeTests = []struct {
	header     string
	start, end int64
	ok         bool
}{
	// The doctests of Tornado's _parse_request_range.
	{"bytes=1-2", 1, 3, true},
	{"bytes=6-", 6, -1, true},
	{"bytes=-6", -6, -1, true},
	{"bytes=-0", 0, 0, true},
	{"bytes=", 0, 0, false}, // Tornado: (None, None), which means "all"
	{"foo=42", 0, 0, false},
	{"bytes=1-2,6-10", 0, 0, false},
	// Tornado's static file range tests.
	{"bytes=0-9", 0, 10, true},
	{"bytes=0-", 0, -1, true},
	{"bytes=0-10000000", 0, 10000001, true},
	{"bytes=26", 26, -1, true},
	{"bytes=10-3", 10, 4, true},
	{"asdf", 0, 0, false},
	// Our own.
	{"bytes=0-0", 0, 1, true},
	{"bytes=-", 0, 0, false},
	{"Bytes = 1 - 2 ", 1, 3, true},
	{"bytes=\t5-\t", 5, -1, true},
	{"bytes=+1-2", 0, 0, false},
	{"bytes=1--2", 0, 0, false},
	{"bytes=-1-2", 0, 0, false},
	{"bytes=1-2-3", 0, 0, false},
	{"bytes=0x1-2", 0, 0, false},
	{"bytes=1_0-2", 0, 0, false},
	{"bytes=1-2,", 0, 0, false},
	{"bytes =a-", 0, 0, false},
	{"items=1-2", 0, 0, false},
	{"bytes1-2", 0, 0, false},
	{"", 0, 0, false},
	{"bytes=99999999999999999999999-", maxRangeValue, -1, true},
	{"bytes=0-99999999999999999999999", 0, maxRangeValue + 1, true},
	// Just under the cap, then one more digit: would wrap past int64.
	{"bytes=9227000000000000000-0", maxRangeValue, 1, true},
	{"bytes=-9227000000000000000", -maxRangeValue, -1, true},
	{"bytes=1152921504606846975-", maxRangeValue - 1, -1, true},
	{"bytes=1152921504606846976-", maxRangeValue, -1, true},
}

func TestParseRange(t *testing.T) {
	for _, tt := range rangeTests {
		start, end, ok := ParseRange(tt.header)
		if start != tt.start || end != tt.end || ok != tt.ok {
			t.Errorf("ParseRange(%q) = %d, %d, %v; want %d, %d, %v", tt.header, start, end, ok, tt.start, tt.end, tt.ok)
		}
	}
}

// The outcomes of Tornado's StaticFileTest range cases on its 26-byte file.
func TestResolveRange(t *testing.T) {
	const size = 26
	tests := []struct {
		header       string
		status       int // 200, 206 or 416
		contentRange string
	}{
		{"bytes=0-9", 206, "bytes 0-9/26"},
		{"bytes=0-", 200, ""},
		{"bytes=0-10000000", 200, ""},
		{"bytes=1-10000000", 206, "bytes 1-25/26"},
		{"bytes=22-", 206, "bytes 22-25/26"},
		{"bytes=-4", 206, "bytes 22-25/26"},
		{"bytes=-1000000", 200, ""},
		{"asdf", 200, ""},
		{"bytes=-0", 416, "bytes */26"},
		{"bytes=26", 416, "bytes */26"},
		{"bytes=10-3", 416, "bytes */26"},
		{"bytes=25-25", 206, "bytes 25-25/26"},
		{"bytes=", 200, ""},
	}
	for _, tt := range tests {
		status, cr := 200, ""
		if start, end, ok := ParseRange(tt.header); ok {
			first, last, partial, satisfiable := ResolveRange(start, end, size)
			switch {
			case !satisfiable:
				status, cr = 416, UnsatisfiedContentRange(size)
			case partial:
				status, cr = 206, ContentRange(first, last, size)
			}
		}
		if status != tt.status || cr != tt.contentRange {
			t.Errorf("%q: %d %q, want %d %q", tt.header, status, cr, tt.status, tt.contentRange)
		}
	}
	if _, _, _, ok := ResolveRange(0, -1, 0); ok {
		t.Error("a range of an empty representation is satisfiable")
	}
}

func TestContentRange(t *testing.T) {
	// The doctests of Tornado's _get_content_range, in the Go form (None
	// start is 0, None end is -1).
	tests := []struct {
		start, end, total int64
		want              string
	}{
		{0, 1, 4, "bytes 0-0/4"},
		{1, 3, 4, "bytes 1-2/4"},
		{0, -1, 4, "bytes 0-3/4"},
		{-2, -1, 4, "bytes 2-3/4"},
		{-9, -1, 4, "bytes 0-3/4"},
	}
	for _, tt := range tests {
		if got := ContentRange(tt.start, tt.end, tt.total); got != tt.want {
			t.Errorf("ContentRange(%d, %d, %d) = %q, want %q", tt.start, tt.end, tt.total, got, tt.want)
		}
	}
}
