package escape

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// LinkifyOptions are Linkify's keyword arguments. The zero value is
// Tornado's defaults.
type LinkifyOptions struct {
	// Shorten clips the text of links longer than 30 characters to the host
	// and the start of the first path segment, adding "..." and a title
	// attribute holding the full address.
	Shorten bool

	// ExtraParams is extra text for every <a> tag: a string, or a
	// func(href string) string called for each link. Tornado strips the
	// text and puts one space before it. Other types are ignored.
	ExtraParams any

	// RequireProtocol leaves bare "www." addresses as text.
	RequireProtocol bool

	// PermittedProtocols lists the schemes that become links; nil means
	// Tornado's default, http and https. Adding "javascript" makes the
	// output unsafe.
	PermittedProtocols []string
}

// defaultProtocols is Tornado's permitted_protocols default.
var defaultProtocols = []string{"http", "https"}

// shortenLimit is Tornado's max_len for shortened link text: past it a
// link is clipped, past 1.5 times it hard-cut, and an entity starting
// after limit-5 is dropped rather than split.
const shortenLimit = 30

// Linkify HTML-escapes text and turns the URLs in it into links, with
// Tornado's linkify rules and output byte for byte:
//
//	Linkify("Hello http://tornadoweb.org!")
//	// Hello <a href="http://tornadoweb.org">http://tornadoweb.org</a>!
//
// A URL is a scheme followed by ':' and one to three slashes, or "www.",
// starting at a word boundary; it runs until white space, and trailing
// punctuation is left out while balanced parentheses are kept
// ("http://x.com/a_(b)"). "www." links get an "http://" href. Schemes
// outside PermittedProtocols (javascript:, file:, ...) stay plain text.
// At most one LinkifyOptions is used.
func Linkify(text string, opts ...LinkifyOptions) string {
	var o LinkifyOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	permitted := o.PermittedProtocols
	if permitted == nil {
		permitted = defaultProtocols
	}
	var extraFunc func(string) string
	extra := ""
	switch p := o.ExtraParams.(type) {
	case string:
		if p != "" {
			extra = " " + strings.TrimFunc(p, isPySpace)
		}
	case func(string) string:
		extraFunc = p
	}

	t := XHTMLEscape(text)
	var b strings.Builder // grown at the first link, so text without links costs nothing
	last := 0
	noProtoBefore := 0 // starts before this index cannot begin "scheme:" (see matchURL)
	for i := 0; i < len(t); {
		m, ok := matchURL(t, i, &noProtoBefore)
		if !ok {
			_, size := utf8.DecodeRuneInString(t[i:])
			i += size
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(t) + len(t)/4)
		}
		b.WriteString(t[last:i])
		writeLink(&b, t[i:m.end], m, o.RequireProtocol, permitted, extra, extraFunc, o.Shorten)
		i, last = m.end, m.end
	}
	if last == 0 {
		return t
	}
	b.WriteString(t[last:])
	return b.String()
}

// A urlMatch is one match of Tornado's URL pattern in escaped text:
// the whole URL ends at end; proto and slashes are the scheme and the
// slashes after ':' (both empty for a "www." URL).
type urlMatch struct {
	end            int
	proto, slashes string
}

// writeLink is Tornado's make_link: the replacement for one match.
func writeLink(b *strings.Builder, url string, m urlMatch, requireProtocol bool, permitted []string, extra string, extraFunc func(string) string, shorten bool) {
	if requireProtocol && m.proto == "" || m.proto != "" && !slices.Contains(permitted, m.proto) {
		b.WriteString(url)
		return
	}
	href := url
	if m.proto == "" {
		href = "http://" + url
	}
	params := extra
	if extraFunc != nil {
		params = " " + strings.TrimFunc(extraFunc(href), isPySpace)
	}
	if shorten {
		var clipped bool
		url, clipped = shortenURL(url, m)
		if clipped {
			params += ` title="` + href + `"`
		}
	}
	b.WriteString(`<a href="`)
	b.WriteString(href)
	b.WriteByte('"')
	b.WriteString(params)
	b.WriteByte('>')
	b.WriteString(url)
	b.WriteString("</a>")
}

// shortenURL clips link text as Tornado's shorten option does, counting
// characters (code points) as Python does. It reports whether the text
// changed.
func shortenURL(url string, m urlMatch) (string, bool) {
	full := []rune(url)
	if len(full) <= shortenLimit {
		return url, false
	}
	protoLen := 0
	if m.proto != "" {
		protoLen = utf8.RuneCountInString(m.proto) + 1 + len(m.slashes)
	}
	short := full
	if parts := strings.Split(string(full[protoLen:]), "/"); len(parts) > 1 {
		seg := []rune(parts[1])
		seg = seg[:min(len(seg), 8)]
		first := string(seg)
		first, _, _ = strings.Cut(first, "?")
		first, _, _ = strings.Cut(first, ".")
		short = []rune(string(full[:protoLen]) + parts[0] + "/" + first)
	}
	if len(short) > shortenLimit*3/2 {
		short = short[:shortenLimit]
	}
	if slices.Equal(short, full) {
		return url, false
	}
	if amp := lastRune(short, '&'); amp > shortenLimit-5 {
		short = short[:amp]
	}
	if len(short)+3 >= len(full) {
		return url, false
	}
	return string(short) + "...", true
}

func lastRune(rs []rune, r rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == r {
			return i
		}
	}
	return -1
}
