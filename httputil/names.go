package httputil

// tokenChars marks the bytes allowed in an RFC 9110 token (section 5.6.2):
// ALPHA, DIGIT and "!#$%&'*+-.^_`|~". Header names and methods are tokens.
var tokenChars = [256]bool{
	'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true,
	'*': true, '+': true, '-': true, '.': true, '^': true, '_': true,
	'`': true, '|': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true,
	'5': true, '6': true, '7': true, '8': true, '9': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true,
	'H': true, 'I': true, 'J': true, 'K': true, 'L': true, 'M': true, 'N': true,
	'O': true, 'P': true, 'Q': true, 'R': true, 'S': true, 'T': true, 'U': true,
	'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true,
	'h': true, 'i': true, 'j': true, 'k': true, 'l': true, 'm': true, 'n': true,
	'o': true, 'p': true, 'q': true, 'r': true, 's': true, 't': true, 'u': true,
	'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
}

// ValidName reports whether s is a valid header field name: a non-empty
// RFC 9110 token. Spaces, colons, controls and non-ASCII bytes are refused.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChars[s[i]] {
			return false
		}
	}
	return true
}

// ValidToken reports whether s is a non-empty RFC 9110 token (the grammar of
// header names and request methods).
func ValidToken(s string) bool { return ValidName(s) }

// isFieldVChar reports whether c is a field-vchar: VCHAR (0x21-0x7E) or
// obs-text (0x80-0xFF).
func isFieldVChar(c byte) bool { return c > 0x20 && c != 0x7f }

// ValidValue reports whether s is a valid header field value as RFC 9110
// section 5.5 defines it: field-vchars (VCHAR or obs-text) with single or
// repeated SP/HTAB only between them. The empty value is valid; leading or
// trailing whitespace, CR, LF, NUL, DEL and other controls are not.
func ValidValue(s string) bool {
	if s == "" {
		return true
	}
	if !isFieldVChar(s[0]) || !isFieldVChar(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isFieldVChar(c) && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// CheckField returns an *InputError when name is not a valid header name or
// value is not a valid header value, nil otherwise. Headers.Add does not
// validate (it is on the hot path and cannot fail); code that puts untrusted
// names or values into headers calls CheckField first.
func CheckField(name, value string) error {
	if !ValidName(name) {
		return &InputError{Reason: "invalid header name " + quoteForError(name)}
	}
	if !ValidValue(value) {
		return &InputError{Reason: "invalid header value for " + name}
	}
	return nil
}

// maxQuotedInError bounds how much of a hostile input an error message
// repeats: enough to recognise it in a log line, too little to flood one.
const maxQuotedInError = 64

// quoteForError renders s for an error message: truncated, with bytes
// outside printable ASCII escaped, so that logs stay one line.
func quoteForError(s string) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, min(len(s), maxQuotedInError)+8)
	b = append(b, '"')
	for i := 0; i < len(s) && i < maxQuotedInError; i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c >= 0x20 && c < 0x7f:
			b = append(b, c)
		default:
			b = append(b, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	if len(s) > maxQuotedInError {
		b = append(b, "..."...)
	}
	b = append(b, '"')
	return string(b)
}

// isCanonical reports whether s is already in Http-Header-Case: the first
// byte of every '-'-separated word is not a lower-case ASCII letter and no
// other byte is an upper-case ASCII letter.
func isCanonical(s string) bool {
	upper := true // the next byte starts a word
	for i := 0; i < len(s); i++ {
		c := s[i]
		if upper {
			if 'a' <= c && c <= 'z' {
				return false
			}
		} else if 'A' <= c && c <= 'Z' {
			return false
		}
		upper = c == '-'
	}
	return true
}

// CanonicalName returns s in Http-Header-Case, Tornado's normal form: s split
// on '-', each word with its first letter upper-cased and the rest
// lower-cased ("coNtent-TYPE" → "Content-Type"). Only ASCII letters change.
//
// It allocates nothing when s is already canonical, nor for the common
// header names of CommonNames in any case; otherwise it allocates the result.
func CanonicalName(s string) string {
	if isCanonical(s) {
		return s
	}
	if c, ok := commonName(s); ok {
		return c
	}
	b := []byte(s)
	CanonicalizeInPlace(b)
	return string(b)
}

// CanonicalizeInPlace rewrites b in Http-Header-Case (see CanonicalName). A
// parser calls it on its own buffer so that building the name string
// afterwards costs no second pass.
func CanonicalizeInPlace(b []byte) {
	upper := true
	for i, c := range b {
		if upper {
			if 'a' <= c && c <= 'z' {
				b[i] = c - ('a' - 'A')
			}
		} else if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
		upper = c == '-'
	}
}

// equalFold reports whether a and b are equal under ASCII case folding.
// Header names are ASCII tokens, so Unicode folding (strings.EqualFold)
// would only be slower, and wrong for obs-text bytes.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// CommonNames lists header names that CanonicalName and Headers.Add turn
// into canonical form without allocating, whatever their case on the wire
// (HTTP/2-to-1 proxies send them lower-case).
var CommonNames = [...]string{
	"Accept", "Accept-Encoding", "Accept-Language", "Accept-Ranges",
	"Authorization", "Cache-Control", "Connection", "Content-Disposition",
	"Content-Encoding", "Content-Language", "Content-Length", "Content-Range",
	"Content-Type", "Cookie", "Date", "Etag", "Expect", "Expires", "Host",
	"If-Match", "If-Modified-Since", "If-None-Match", "If-Range",
	"If-Unmodified-Since", "Keep-Alive", "Last-Modified", "Location",
	"Origin", "Pragma", "Range", "Referer", "Sec-Fetch-Dest",
	"Sec-Fetch-Mode", "Sec-Fetch-Site", "Server", "Set-Cookie", "Te",
	"Trailer", "Transfer-Encoding", "Upgrade", "Upgrade-Insecure-Requests",
	"User-Agent", "Vary", "Via", "X-Forwarded-For", "X-Forwarded-Proto",
	"X-Real-Ip", "X-Requested-With", "X-Scheme", "X-Xsrftoken", "X-Csrftoken",
}

// commonName returns the entry of CommonNames equal to s ignoring case.
func commonName(s string) (string, bool) {
	if len(s) < 2 || len(s) > len("Upgrade-Insecure-Requests") {
		return "", false
	}
	for _, c := range CommonNames {
		if equalFold(c, s) {
			return c, true
		}
	}
	return "", false
}
