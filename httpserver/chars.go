package httpserver

import "encoding/binary"

// Byte classes of RFC 9110 and 9112, as lookup tables: the parser tests
// each byte of a head once, by one load.
const (
	cToken  = 1 << iota // tchar: ALPHA DIGIT and !#$%&'*+-.^_`|~
	cVChar              // VCHAR 0x21-0x7E: the request-target's bytes
	cValue              // field-vchar or SP/HTAB: a field value's bytes
	cHost               // what a Host value (uri-host [":" port]) may contain
	cHex                // HEXDIG
	cTarget             // a request-target's bytes but '%' and '#' (checked apart)
)

var chars [256]uint8

func init() {
	for c := 0; c < 256; c++ {
		var m uint8
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			m |= cToken | cHost
		}
		switch c {
		case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
			m |= cToken
		}
		// reg-name (unreserved, pct-encoded, sub-delims), IPv4address,
		// IP-literal and port (RFC 3986 section 3.2.2), as Go's
		// httpguts.ValidHostHeader. Two Host fields are refused apart.
		switch c {
		case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '[', ']', '%':
			m |= cHost
		}
		if c > 0x20 && c < 0x7f {
			m |= cVChar
			if c != '%' && c != '#' {
				m |= cTarget
			}
		}
		if (c >= 0x20 && c != 0x7f) || c == '\t' {
			m |= cValue
		}
		if '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' {
			m |= cHex
		}
		chars[c] = m
	}
}

// isOWS reports whether c is optional whitespace (SP or HTAB): the only
// whitespace RFC 9110 knows, and the only kind Tornado 6.4.1 trims.
func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// trimOWS trims SP and HTAB from both ends of b.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && isOWS(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isOWS(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// equalFoldASCII reports whether b equals the lower-case ASCII word s
// under ASCII case folding.
func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// validValue reports whether every byte of v is a field-vchar, SP or HTAB
// (RFC 9110 section 5.5). It tests eight bytes at a time: a word with no
// byte below 0x20 and none equal to 0x7F is valid as a whole (obs-text,
// 0x80 and up, is allowed); a word that may hold one is checked byte by
// byte from there.
func validValue(v []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := binary.LittleEndian.Uint64(v[i:])
		below := (x - 0x20*ones) &^ x & highs
		d := x ^ 0x7f*ones
		del := (d - ones) &^ d & highs
		if below|del != 0 {
			break
		}
	}
	for ; i < len(v); i++ {
		if chars[v[i]]&cValue == 0 {
			return false
		}
	}
	return true
}
