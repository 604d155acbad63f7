package httputil

import (
	"bytes"
	"net/url"
	"strings"
	"unicode/utf8"
)

// A File is one uploaded file of a multipart/form-data body, Tornado's
// HTTPFile.
type File struct {
	Filename    string // as sent (RFC 2231 filename* decoded to UTF-8); never trust it as a path
	ContentType string // the part's Content-Type, "application/unknown" when absent
	Body        []byte // shares memory with the body that was parsed
}

const (
	// MaxMultipartParts bounds the parts of one multipart/form-data body.
	// Tornado 6.5 adopted 100 after CVE-2025-47287: every part costs a
	// header parse and map entries, so an unbounded count turns a 100 MiB
	// body into millions of allocations. Forms have far fewer fields.
	MaxMultipartParts = 100

	// MaxPartHeaderSize bounds the header block of one part, 10 KiB as in
	// Tornado 6.5: a Content-Disposition and a Content-Type need a few
	// hundred bytes, and the bound keeps header parsing cheap.
	MaxPartHeaderSize = 10 << 10
)

// BodyConfig adjusts ParseBodyArgumentsConfig; the zero value means the
// defaults (Tornado's ParseBodyConfig / ParseMultipartConfig).
type BodyConfig struct {
	DisableMultipart  bool // refuse multipart/form-data bodies with an error
	MaxParts          int  // 0: MaxMultipartParts
	MaxPartHeaderSize int  // 0: MaxPartHeaderSize
}

// ParseBodyArguments parses a form body into args and files, Tornado's
// parse_body_arguments, with the default limits. See
// ParseBodyArgumentsConfig.
func ParseBodyArguments(contentType string, body []byte, args url.Values, files map[string][]*File, h *Headers) error {
	return ParseBodyArgumentsConfig(contentType, body, args, files, h, BodyConfig{})
}

// ParseBodyArgumentsConfig parses a request body of media type
// application/x-www-form-urlencoded or multipart/form-data, adding the
// fields to args and the uploaded files to files (either may be nil when
// the caller does not want them; values are appended to existing ones).
// Other media types are left alone and are not an error.
//
// The media type must match exactly (ignoring case and parameters):
// Tornado matches a prefix, so "multipart/form-datax" would count. A body
// with any Content-Encoding in h (h may be nil) is refused, since it would
// have to be decoded first. Every error is an *InputError (400).
//
// For urlencoded bodies, fields are split on "&" (not ";"), names and
// values are unescaped ("+" is a space, malformed %-escapes stay as they
// are), and fields without "=" or with empty values are kept with value "".
//
// For multipart bodies the boundary comes from the boundary= parameter,
// quoted or not. The body must be: nothing before the first "--boundary\r\n",
// then parts separated by "--boundary\r\n", then "--boundary--" (anything
// after it is ignored). Each part needs a header block ending in
// "\r\n\r\n", a Content-Disposition of type form-data with a non-empty
// name, and "\r\n" before the next boundary. A part with a non-empty
// filename (or filename*, RFC 2231) becomes a File, any other an argument.
// At most MaxMultipartParts parts with headers of at most
// MaxPartHeaderSize bytes are accepted.
func ParseBodyArgumentsConfig(contentType string, body []byte, args url.Values, files map[string][]*File, h *Headers, cfg BodyConfig) error {
	mediaType, rest, _ := strings.Cut(contentType, ";")
	mediaType = trimASCIISpace(mediaType)
	switch {
	case equalFold(mediaType, "application/x-www-form-urlencoded"):
		if err := refuseEncoding(h); err != nil {
			return err
		}
		parseURLEncoded(body, args)
		return nil
	case equalFold(mediaType, "multipart/form-data"):
		if err := refuseEncoding(h); err != nil {
			return err
		}
		if cfg.DisableMultipart {
			return inputError("multipart/form-data parsing is disabled")
		}
		boundary, ok := findBoundary(rest)
		if !ok {
			return inputError("multipart boundary not found")
		}
		return parseMultipart(boundary, body, args, files, cfg)
	}
	return nil
}

// refuseEncoding errors when the headers carry any Content-Encoding.
func refuseEncoding(h *Headers) error {
	if h == nil {
		return nil
	}
	if v, ok := h.Lookup("Content-Encoding"); ok {
		return &InputError{Reason: "unsupported Content-Encoding: " + quoteForError(v)}
	}
	return nil
}

// findBoundary returns the value of the first non-empty boundary=
// parameter in the parameters of a Content-Type, with one pair of
// surrounding quotes removed, as Tornado does.
func findBoundary(params string) (string, bool) {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(trimASCIISpace(p), "=")
		if k == "boundary" && v != "" {
			v = stripQuotes(v)
			return v, v != ""
		}
	}
	return "", false
}

// parseURLEncoded adds the fields of a urlencoded body to args, Python's
// parse_qs with keep_blank_values.
func parseURLEncoded(body []byte, args url.Values) {
	s := string(body)
	for s != "" {
		var field string
		field, s, _ = strings.Cut(s, "&")
		if field == "" {
			continue
		}
		name, value, _ := strings.Cut(field, "=")
		if args != nil {
			name = unescapeForm(name)
			args[name] = append(args[name], unescapeForm(value))
		}
	}
}

// unescapeForm decodes "+" and well-formed %XX escapes and leaves
// malformed escapes as they are (Python's unquote_plus), never failing.
func unescapeForm(s string) string {
	if strings.IndexByte(s, '+') < 0 && strings.IndexByte(s, '%') < 0 {
		return s
	}
	return percentDecode(strings.ReplaceAll(s, "+", " "))
}

// parseMultipart parses a multipart/form-data body; see
// ParseBodyArgumentsConfig for the rules.
//
// Tornado splits the body at every "--boundary\r\n" before the last
// "--boundary--". This scan agrees with it on every body that has one
// close delimiter, and stops at the first "--boundary--" otherwise, as RFC
// 2046 parsers do, so that a proxy or firewall reading the body the RFC's
// way sees the same fields.
func parseMultipart(boundary string, body []byte, args url.Values, files map[string][]*File, cfg BodyConfig) error {
	maxParts := cfg.MaxParts
	if maxParts <= 0 {
		maxParts = MaxMultipartParts
	}
	maxHeader := cfg.MaxPartHeaderSize
	if maxHeader <= 0 {
		maxHeader = MaxPartHeaderSize
	}
	dash := []byte("--" + boundary)
	if !bytes.HasPrefix(body, dash) {
		if bytes.Contains(body, dash) {
			return inputError("invalid multipart/form-data: data before the first boundary")
		}
		return inputError("invalid multipart/form-data: no final boundary found")
	}
	parts := 0
	start := -1 // where the current part begins, -1 before the first delimiter
	for pos := 0; ; {
		k := bytes.Index(body[pos:], dash)
		if k < 0 {
			return inputError("invalid multipart/form-data: no final boundary found")
		}
		k += pos
		after := body[k+len(dash):]
		var last bool
		switch {
		case bytes.HasPrefix(after, []byte("\r\n")):
		case bytes.HasPrefix(after, []byte("--")):
			last = true
		default:
			if start < 0 {
				return inputError("invalid multipart/form-data: data before the first boundary")
			}
			pos = k + 1 // "--boundary" followed by anything else is content
			continue
		}
		if start >= 0 && k > start {
			if err := parsePart(body[start:k], args, files, maxHeader); err != nil {
				return err
			}
		}
		if last {
			return nil
		}
		if parts++; parts > maxParts {
			return inputError("multipart/form-data has too many parts")
		}
		start = k + len(dash) + 2
		pos = start
	}
}

// parsePart parses one part (without its delimiter) into args or files.
func parsePart(part []byte, args url.Values, files map[string][]*File, maxHeader int) error {
	eoh := bytes.Index(part, []byte("\r\n\r\n"))
	if eoh < 0 {
		return inputError("multipart/form-data missing headers")
	}
	if eoh > maxHeader {
		return inputError("multipart/form-data part header too large")
	}
	if !bytes.HasSuffix(part, []byte("\r\n")) {
		return inputError("invalid multipart/form-data: part does not end with CRLF")
	}
	head := string(part[:eoh])
	if !utf8.ValidString(head) {
		return inputError("invalid multipart/form-data: part header is not UTF-8")
	}
	h, err := ParseHeaders(head)
	if err != nil {
		return err
	}
	// Two of either would be joined into one value ("a, b"): ambiguous,
	// so refused rather than read one way.
	if len(h.Values("Content-Disposition")) > 1 || len(h.Values("Content-Type")) > 1 {
		return inputError("invalid multipart/form-data: repeated Content-Disposition or Content-Type in a part")
	}
	disposition, params := ParseHeaderParams(h.Get("Content-Disposition"))
	if !equalFold(disposition, "form-data") {
		return inputError("invalid multipart/form-data: Content-Disposition is not form-data")
	}
	name := params["name"]
	if name == "" {
		return inputError("multipart/form-data value missing name")
	}
	// A part that ends right after its blank line ("...\r\n\r\n--b") has
	// an empty body: the CRLF before the delimiter belongs to the delimiter.
	value := part[len(part)-2 : len(part)-2]
	if eoh+4 <= len(part)-2 {
		value = part[eoh+4 : len(part)-2]
	}
	if filename := params["filename"]; filename != "" {
		ctype, ok := h.Lookup("Content-Type")
		if !ok {
			ctype = "application/unknown"
		}
		if files != nil {
			files[name] = append(files[name], &File{Filename: filename, ContentType: ctype, Body: value})
		}
		return nil
	}
	if args != nil {
		args[name] = append(args[name], string(value))
	}
	return nil
}
