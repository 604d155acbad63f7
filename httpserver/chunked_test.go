package httpserver

import (
	"strings"
	"testing"
)

// TestChunkReaderErrors: each way a chunked body goes wrong is refused
// with its own reason (the reason is what the server logs).
func TestChunkReaderErrors(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     *ParseError
	}{
		{"bare LF after the size", "1\nx\r\n0\r\n\r\n", errBadChunkSize},
		{"data without CRLF", "1\r\nxy", errBadChunkEnd},
		{"bare LF in a trailer field", "0\r\nX: 1\n\r\n", errBadTrailer},
		{"bare LF ending the trailers", "0\r\n\n", errBadTrailer},
		{"malformed trailer field", "0\r\nX Y: 1\r\n\r\n", errBadTrailer},
		{"trailer section too large", "0\r\nX: " + strings.Repeat("a", maxTrailerSize) + "\r\n\r\n", errTrailerTooLarge},
		{"size line too long", strings.Repeat("0", maxChunkLine+1) + "\r\n", errChunkLineLong},
	} {
		var k chunkReader
		var body []byte
		_, done, err := k.decode([]byte(tt.in), &body, 1<<20)
		if err != tt.want || done {
			t.Errorf("%s: done %v err %v, want %v", tt.name, done, err, tt.want)
		}
	}
}
