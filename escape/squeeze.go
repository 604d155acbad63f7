package escape

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Squeeze replaces every run of characters U+0000 to U+0020 (spaces and
// control characters) with one space and trims the result, as Tornado's
// squeeze. The trim is Python's str.strip, so Unicode white space such as
// U+00A0 or U+3000 at either end goes too.
func Squeeze(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inRun := false
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' {
			if !inRun {
				b.WriteByte(' ')
				inRun = true
			}
			continue
		}
		inRun = false
		b.WriteByte(s[i])
	}
	return strings.TrimFunc(b.String(), isPySpace)
}

// isPySpace reports the characters Python's str.isspace (and so the \s of
// a str regular expression) treats as white space: Go's unicode.IsSpace
// plus the information separators U+001C to U+001F.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || 0x1c <= r && r <= 0x1f
}

// isPyWord reports the characters of Python's \w on str: letters, numbers
// (every Unicode N category) and '_'. Python asks its own Unicode database,
// so characters new in one version of Unicode may differ at the edges.
func isPyWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}
