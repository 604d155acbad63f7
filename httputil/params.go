package httputil

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// isASCIISpace reports the bytes Python's str.strip removes among ASCII.
func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
		(c >= 0x1c && c <= 0x1f)
}

// trimASCIISpace removes leading and trailing ASCII whitespace (as
// isASCIISpace). Non-ASCII bytes are never trimmed, so UTF-8 stays whole.
func trimASCIISpace(s string) string {
	i, j := 0, len(s)
	for i < j && isASCIISpace(s[i]) {
		i++
	}
	for j > i && isASCIISpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// asciiLower returns s with ASCII letters lower-cased; it allocates only
// when s has an upper-case letter.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// splitParams splits a Content-Type or Content-Disposition value at the
// semicolons that are outside double quotes (a quote preceded by a
// backslash does not open or close), trimming each piece. It runs in
// linear time: Tornado's quadratic version of this loop was a CVE.
func splitParams(s string) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			if i == 0 || s[i-1] != '\\' {
				quoted = !quoted
			}
		case ';':
			if !quoted {
				parts = append(parts, trimASCIISpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(parts, trimASCIISpace(s[start:]))
}

// pyUnquote is Python's email.utils.unquote: a value in double quotes loses
// them and has \\ then \" replaced, a value in angle brackets loses them.
func pyUnquote(s string) string {
	if len(s) > 1 {
		if s[0] == '"' && s[len(s)-1] == '"' {
			s = strings.ReplaceAll(s[1:len(s)-1], `\\`, `\`)
			return strings.ReplaceAll(s, `\"`, `"`)
		}
		if s[0] == '<' && s[len(s)-1] == '>' {
			return s[1 : len(s)-1]
		}
	}
	return s
}

// rfc2231Name splits an RFC 2231 parameter name ("filename*",
// "filename*0", "filename*1*") into its base name, its continuation number
// (-1 for none) and whether the value is percent-encoded. ok is false for
// plain names.
func rfc2231Name(name string) (base string, num int, encoded, ok bool) {
	star := strings.IndexByte(name, '*')
	if star <= 0 {
		return "", 0, false, false
	}
	base, rest := name[:star], name[star+1:]
	for i := 0; i < len(base); i++ {
		if c := base[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || 'A' <= c && c <= 'Z') {
			return "", 0, false, false
		}
	}
	if rest == "" {
		return base, -1, true, true
	}
	encoded = strings.HasSuffix(rest, "*")
	digits := strings.TrimSuffix(rest, "*")
	if digits == "" || len(digits) > maxContinuationDigits {
		return "", 0, false, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", 0, false, false
		}
		num = num*10 + int(digits[i]-'0')
	}
	return base, num, encoded, true
}

// maxContinuationDigits bounds an RFC 2231 continuation number; no real
// header splits a value in more than a few pieces, and the bound keeps the
// number from overflowing.
const maxContinuationDigits = 6

// percentDecode decodes %XX escapes; malformed escapes stay as they are.
func percentDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
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

// decodeCharset turns the bytes of an RFC 2231 value into UTF-8 as Python
// does: UTF-8 with invalid sequences replaced, ASCII with bytes above 0x7F
// replaced, and any other charset read as Latin-1 (Python's fallback).
func decodeCharset(charset, s string) string {
	switch asciiLower(charset) {
	case "utf-8", "utf8":
		return strings.ToValidUTF8(s, "\uFFFD")
	case "", "us-ascii", "ascii":
		b := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			if s[i] < 0x80 {
				b = append(b, s[i])
			} else {
				b = utf8.AppendRune(b, utf8.RuneError)
			}
		}
		return string(b)
	}
	b := make([]byte, 0, len(s)*2)
	for i := 0; i < len(s); i++ {
		b = utf8.AppendRune(b, rune(s[i]))
	}
	return string(b)
}

// continuation is one piece of an RFC 2231 parameter value.
type continuation struct {
	num     int
	value   string
	encoded bool
}

// ParseHeaderParams parses a Content-Type-like header value into its first
// item and its parameters, Tornado's _parse_header:
//
//	form-data; name="files"; filename*=UTF-8''%C3%A1b.txt
//	→ "form-data", {"name": "files", "filename": "áb.txt"}
//
// Semicolons inside double quotes do not split. Parameter names are
// lower-cased; a parameter without "=" is dropped; quoted values are
// unquoted (\\ and \" escapes). RFC 2231 names (name*, name*0, name*1*)
// are joined, percent-decoded and converted from their charset to UTF-8,
// and override a plain parameter of the same name. When a name repeats,
// the last value wins.
func ParseHeaderParams(line string) (key string, params map[string]string) {
	parts := splitParams(line)
	key = parts[0]
	params = make(map[string]string)
	var ext map[string][]continuation
	var extOrder []string
	for _, p := range parts[1:] {
		i := strings.IndexByte(p, '=')
		if i < 0 {
			continue
		}
		name := asciiLower(trimASCIISpace(p[:i]))
		value := pyUnquote(trimASCIISpace(p[i+1:]))
		if base, num, encoded, ok := rfc2231Name(name); ok {
			if ext == nil {
				ext = make(map[string][]continuation)
			}
			if _, seen := ext[base]; !seen {
				extOrder = append(extOrder, base)
			}
			ext[base] = append(ext[base], continuation{num, value, encoded})
			continue
		}
		params[name] = stripQuotes(value)
	}
	for _, base := range extOrder {
		pieces := ext[base]
		slices.SortStableFunc(pieces, func(a, b continuation) int { return a.num - b.num })
		var b strings.Builder
		extended := false
		for _, c := range pieces {
			if c.encoded {
				b.WriteString(percentDecode(c.value))
				extended = true
			} else {
				b.WriteString(c.value)
			}
		}
		value := b.String()
		if extended {
			charset := ""
			if t := strings.SplitN(value, "'", 3); len(t) == 3 {
				charset, value = t[0], t[2]
			}
			value = decodeCharset(charset, value)
		}
		params[base] = stripQuotes(value)
	}
	return key, params
}

// stripQuotes removes one pair of surrounding double quotes, as Tornado
// does after Python's own unquoting.
func stripQuotes(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
