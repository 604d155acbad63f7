package escape

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// xhtmlReplacement is what XHTMLEscape writes for each of the five
// characters it escapes; every other byte maps to "".
var xhtmlReplacement = [256]string{
	'&':  "&amp;",
	'<':  "&lt;",
	'>':  "&gt;",
	'"':  "&quot;",
	'\'': "&#x27;",
}

// XHTMLEscape escapes s so that it is valid text or a quoted attribute
// value in HTML and XML: & < > " and ' become &amp; &lt; &gt; &quot; and
// &#x27; (Tornado 6.5, which wraps Python's html.escape; 6.2 wrote &#39;).
// A string with nothing to escape is returned as is, without allocating.
func XHTMLEscape(s string) string {
	i := firstXHTMLSpecial(s)
	if i < 0 {
		return s
	}
	n := len(s)
	for j := i; j < len(s); j++ {
		if r := xhtmlReplacement[s[j]]; r != "" {
			n += len(r) - 1
		}
	}
	buf := AppendXHTMLEscape(make([]byte, 0, n), s)
	return unsafe.String(unsafe.SliceData(buf), len(buf)) // buf is never written again
}

// AppendXHTMLEscape appends the XHTMLEscape of s to dst and returns the
// extended slice. It does not allocate when dst has room for the result,
// which makes it the form for template output buffers.
func AppendXHTMLEscape(dst []byte, s string) []byte {
	i := firstXHTMLSpecial(s)
	if i < 0 {
		return append(dst, s...)
	}
	dst = append(dst, s[:i]...)
	start := i
	for ; i < len(s); i++ {
		if r := xhtmlReplacement[s[i]]; r != "" {
			dst = append(dst, s[start:i]...)
			dst = append(dst, r...)
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

// firstXHTMLSpecial returns the index of the first byte XHTMLEscape
// replaces, or -1.
func firstXHTMLSpecial(s string) int {
	for i := 0; i < len(s); i++ {
		if xhtmlReplacement[s[i]] != "" {
			return i
		}
	}
	return -1
}

// XHTMLUnescape decodes the HTML character references in s with the HTML5
// rules of Python's html.unescape, which Tornado 6.5's xhtml_unescape is:
// named references from the full HTML5 table, with or without the trailing
// ';' for the legacy names that allow it (&amp &copy), the longest legacy
// prefix of an unknown name (&ampx; → &x;), decimal and hexadecimal
// references with an optional ';', Windows-1252 for &#128;–&#159;, U+FFFD
// for &#0;, surrogates and values past U+10FFFF, and nothing at all for the
// other code points HTML forbids (&#1;, &#xFFFE;). Unknown references stay
// as written.
func XHTMLUnescape(s string) string {
	amp := strings.IndexByte(s, '&')
	if amp < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:amp])
	i := amp
	for i < len(s) {
		if s[i] != '&' {
			next := strings.IndexByte(s[i:], '&')
			if next < 0 {
				b.WriteString(s[i:])
				break
			}
			b.WriteString(s[i : i+next])
			i += next
			continue
		}
		n := writeCharRef(&b, s[i+1:])
		if n == 0 {
			b.WriteByte('&')
		}
		i += 1 + n
	}
	return b.String()
}

// writeCharRef decodes the character reference at the start of s (the text
// after an '&') into b and returns how many bytes of s it consumed; 0 means
// s does not start a reference and nothing was written.
func writeCharRef(b *strings.Builder, s string) int {
	if len(s) >= 2 && s[0] == '#' {
		if n := numericCharRef(b, s); n > 0 {
			return n
		}
	}
	return namedCharRef(b, s)
}

// numericCharRef handles "#123;?" and "#x1F;?".
func numericCharRef(b *strings.Builder, s string) int {
	i, base := 1, uint64(10)
	if s[1] == 'x' || s[1] == 'X' {
		i, base = 2, 16
	}
	start := i
	var num uint64
	for ; i < len(s); i++ {
		d, ok := digitValue(s[i], base)
		if !ok {
			break
		}
		if num <= utf8.MaxRune { // beyond it every value means U+FFFD; stop growing
			num = num*base + d
		}
	}
	if i == start {
		return 0
	}
	if i < len(s) && s[i] == ';' {
		i++
	}
	b.WriteString(charRefValue(num))
	return i
}

func digitValue(c byte, base uint64) (uint64, bool) {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0'), true
	case base == 16 && 'a' <= c && c <= 'f':
		return uint64(c-'a') + 10, true
	case base == 16 && 'A' <= c && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

// windows1252 maps the references &#128;–&#159; (C1 controls, which HTML
// reads as Windows-1252) to what they stand for; the five bytes undefined in
// Windows-1252 stand for themselves.
var windows1252 = [32]rune{
	'\u20ac', '\u0081', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021',
	'\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008d', '\u017d', '\u008f',
	'\u0090', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014',
	'\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '\u009d', '\u017e', '\u0178',
}

// charRefValue is the text a numeric reference to num decodes to, in the
// order html.unescape applies its rules.
func charRefValue(num uint64) string {
	switch {
	case num == 0:
		return "\ufffd"
	case num == '\r':
		return "\r"
	case 0x80 <= num && num <= 0x9f:
		return string(windows1252[num-0x80])
	case 0xd800 <= num && num <= 0xdfff, num > utf8.MaxRune:
		return "\ufffd"
	case forbiddenCodePoint(num):
		return ""
	}
	return string(rune(num))
}

// forbiddenCodePoint reports the code points a numeric reference may not
// produce: C0 controls other than tab, newline, form feed and carriage
// return, DEL and the C1 range, and the Unicode noncharacters.
func forbiddenCodePoint(n uint64) bool {
	switch {
	case 0x1 <= n && n <= 0x8, n == 0xb, 0xe <= n && n <= 0x1f, 0x7f <= n && n <= 0x9f:
		return true
	case 0xfdd0 <= n && n <= 0xfdef:
		return true
	case n&0xfffe == 0xfffe: // U+xFFFE and U+xFFFF in every plane
		return true
	}
	return false
}

// namedCharRef handles a name of 1 to 32 characters other than tab,
// newline, form feed, space, '<', '&', '#' and ';', with an optional ';'.
func namedCharRef(b *strings.Builder, s string) int {
	end, chars := 0, 0
	for end < len(s) && chars < maxEntityName {
		c := s[end]
		if c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' || c == ';' {
			break
		}
		if c < utf8.RuneSelf {
			end++
		} else {
			_, size := utf8.DecodeRuneInString(s[end:])
			end += size
		}
		chars++
	}
	if chars == 0 {
		return 0
	}
	if end < len(s) && s[end] == ';' {
		end++
	}
	name := s[:end]
	if v, ok := lookupEntity(name); ok {
		b.WriteString(v)
		return end
	}
	// The longest prefix of at least two characters that is a legacy name
	// (one allowed without ';'). Names are ASCII, so byte prefixes that cut
	// a multi-byte character simply never match.
	for x := len(name) - 1; x > 1; x-- {
		if v, ok := lookupEntity(name[:x]); ok {
			b.WriteString(v)
			b.WriteString(name[x:])
			return end
		}
	}
	b.WriteByte('&')
	b.WriteString(name)
	return end
}
