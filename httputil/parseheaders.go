package httputil

import "strings"

// isHTTPSpace reports whether c is HTTP whitespace in header syntax: SP or
// HTAB (RFC 9110 section 5.6.3). Nothing else, in particular none of the
// Unicode spaces Python's str.strip would remove.
func isHTTPSpace(c byte) bool { return c == ' ' || c == '\t' }

// trimHTTPSpace removes leading and trailing SP and HTAB.
func trimHTTPSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isHTTPSpace(s[i]) {
		i++
	}
	for j > i && isHTTPSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// ParseHeaders parses a block of header lines, Tornado's HTTPHeaders.parse.
//
// Lines end with LF, optionally preceded by one CR; empty lines are skipped.
// Each line is "name: value", split at the first colon; the name must be a
// token (no whitespace before the colon) and the value, trimmed of SP and
// HTAB, a valid field value (see ValidValue), else an *InputError. A line
// beginning with SP or HTAB is an obs-fold continuation: trimmed, it is
// appended to the previous value after one space; on the first line it is
// an error.
//
// ParseHeaders accepts obs-fold because Tornado's parser does (multipart
// part headers use it too). The HTTP server does not: RFC 9112 section 5.2
// lets a server reject it, and tornago's request parser answers 400 rather
// than risk a second reading of the message by a proxy.
//
// The returned names and values are substrings of text.
func ParseHeaders(text string) (Headers, error) {
	var h Headers
	err := h.parse(text)
	return h, err
}

// ParseInto is ParseHeaders appending to h, which it does not reset first.
func (h *Headers) ParseInto(text string) error { return h.parse(text) }

func (h *Headers) parse(text string) error {
	start := len(h.fields) // continuations may only extend fields of this call
	// Folded values are built in fold and stored when the field ends, so
	// that n continuation lines cost O(n), not O(n²) re-concatenations.
	var fold strings.Builder
	folding := false
	flush := func() {
		if folding {
			h.fields[len(h.fields)-1].value = fold.String()
			fold.Reset()
			folding = false
		}
	}
	for text != "" {
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		if isHTTPSpace(line[0]) {
			if len(h.fields) == start {
				return inputError("first header line cannot start with whitespace")
			}
			part := trimHTTPSpace(line)
			if !ValidValue(part) {
				return &InputError{Reason: "invalid header continuation " + quoteForError(part)}
			}
			if !folding {
				fold.WriteString(h.fields[len(h.fields)-1].value)
				folding = true
			}
			fold.WriteByte(' ')
			fold.WriteString(part)
			continue
		}
		flush()
		colon := strings.IndexByte(line, ':')
		if colon < 0 {
			return &InputError{Reason: "no colon in header line " + quoteForError(line)}
		}
		name, value := line[:colon], trimHTTPSpace(line[colon+1:])
		if err := CheckField(name, value); err != nil {
			return err
		}
		h.Add(name, value)
	}
	flush()
	return nil
}
