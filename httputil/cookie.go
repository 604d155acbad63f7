package httputil

import "strings"

// ParseCookie parses a Cookie header into names and values the way
// browsers read document.cookie, Tornado's parse_cookie (Django 1.9's
// algorithm), not RFC 6265:
//
//   - the header is split at every ";", even inside double quotes;
//   - each piece is split at its first "="; a piece without "=" is a value
//     with the empty name (as Firefox treats it);
//   - names and values are trimmed of ASCII whitespace, and a piece whose
//     name and value are both empty is skipped;
//   - a value in double quotes is unquoted: \NNN (three octal digits, the
//     first 0-3) is that byte, and a backslash before any other character
//     (but a newline) stands for that character;
//   - when a name repeats, the last value wins.
//
// Byte values follow Tornado's Latin-1 reading of headers: "\377" is the
// byte 0xFF. Non-ASCII bytes are never trimmed, so UTF-8 stays whole. The
// whole parse, unquoting included, is linear in the header length (Tornado
// 6.4.2 fixed a quadratic unquote, CVE-2024-52804).
func ParseCookie(header string) map[string]string {
	cookies := make(map[string]string)
	for header != "" {
		var chunk string
		chunk, header, _ = strings.Cut(header, ";")
		key, val, found := strings.Cut(chunk, "=")
		if !found {
			key, val = "", chunk
		}
		key, val = trimASCIISpace(key), trimASCIISpace(val)
		if key == "" && val == "" {
			continue
		}
		cookies[key] = unquoteCookie(val)
	}
	return cookies
}

// unquoteCookie is Python's http.cookies._unquote: a value in double quotes
// loses them and has its backslash escapes decoded, in one pass.
func unquoteCookie(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b = append(b, c)
			continue
		}
		if i+3 < len(s) {
			if d0, d1, d2 := s[i+1], s[i+2], s[i+3]; '0' <= d0 && d0 <= '3' && isOctal(d1) && isOctal(d2) {
				b = append(b, (d0-'0')<<6|(d1-'0')<<3|(d2-'0'))
				i += 3
				continue
			}
		}
		if s[i+1] == '\n' {
			b = append(b, c) // Python's "." does not match a newline
			continue
		}
		b = append(b, s[i+1])
		i++
	}
	return string(b)
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }
