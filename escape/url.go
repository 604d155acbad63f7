package escape

import (
	"strings"
	"unicode/utf8"
)

const upperHex = "0123456789ABCDEF"

// urlSafe reports the bytes Python's quote never escapes: letters, digits
// and "_.-~".
func urlSafe(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == '-' || c == '~'
}

// URLEscape percent-encodes the UTF-8 bytes of s with upper-case hex, as
// Tornado's url_escape. With plus (Tornado's default, Python's quote_plus),
// for query strings and form values: a space becomes '+' and '/' is
// escaped. Without plus (Python's quote), for path segments: a space
// becomes %20 and '/' is kept. Letters, digits and "_.-~" are never escaped.
// A string with nothing to escape is returned without allocating.
func URLEscape(s string, plus bool) string {
	i := 0
	for i < len(s) && (urlSafe(s[i]) || s[i] == '/' && !plus) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*(len(s)-i))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case urlSafe(c), c == '/' && !plus:
			b.WriteByte(c)
		case c == ' ' && plus:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

// URLUnescape decodes a URL-encoded string as Tornado's url_unescape with
// its default UTF-8 encoding. With plus (Tornado's default) '+' means a
// space first (Python's unquote_plus); without it '+' stays (unquote).
// %XX sequences with either case of hex are decoded; a '%' not followed by
// two hex digits is kept as written. Decoded bytes that are not valid UTF-8
// become U+FFFD, one per maximal invalid subsequence, as Python decodes
// with errors="replace".
func URLUnescape(s string, plus bool) string {
	if !strings.ContainsRune(s, '%') && !(plus && strings.ContainsRune(s, '+')) {
		return toValidUTF8(s)
	}
	return toValidUTF8(string(URLUnescapeBytes(s, plus)))
}

// URLUnescapeBytes is URLUnescape without the UTF-8 decoding step: the raw
// decoded bytes, as Tornado's url_unescape(value, encoding=None).
func URLUnescapeBytes(s string, plus bool) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+' && plus:
			out = append(out, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// toValidUTF8 replaces each maximal invalid UTF-8 subsequence of s with one
// U+FFFD, the Unicode-recommended practice Python's decoder follows (Go's
// utf8 package would report one error per byte instead).
func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || size > 1 {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		b.WriteString("\ufffd")
		i += invalidPrefixLen(s[i:])
	}
	return b.String()
}

// invalidPrefixLen returns the length of the maximal subpart of an
// ill-formed sequence at the start of s: a lead byte followed by the
// continuation bytes that could still have completed it, or one byte.
func invalidPrefixLen(s string) int {
	lead := s[0]
	var need int
	lo, hi := byte(0x80), byte(0xbf)
	switch {
	case 0xc2 <= lead && lead <= 0xdf:
		need = 1
	case lead == 0xe0:
		need, lo = 2, 0xa0
	case lead == 0xed:
		need, hi = 2, 0x9f
	case 0xe1 <= lead && lead <= 0xef:
		need = 2
	case lead == 0xf0:
		need, lo = 3, 0x90
	case lead == 0xf4:
		need, hi = 3, 0x8f
	case 0xf1 <= lead && lead <= 0xf3:
		need = 3
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		c := s[n]
		if n == 1 && (c < lo || c > hi) || n > 1 && (c < 0x80 || c > 0xbf) {
			break
		}
	}
	return n
}
