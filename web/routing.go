package web

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tornago/tornago/escape"
)

// A Rule maps a URL path pattern to a handler prototype, Tornado's URLSpec.
//
// The pattern is a regular expression (RE2 syntax; Python's (?P<name>...)
// named groups work) matched against the whole request path, still
// percent-encoded. Each group, decoded, becomes a string argument of the
// verb method, named groups included, in order.
type Rule struct {
	Pattern string
	Handler Handler
	// Name makes the rule reversible with ReverseURL.
	Name string
	// Blocking runs the handler on the worker pool (see Blocking).
	Blocking bool
	// MaxBodySize bounds the body of this route's requests, lower or
	// higher than the server's limit (httpserver.Options.MaxBodySize);
	// 0 keeps the server's. A declared Content-Length over it is
	// answered 413 before the body is read, a chunked body as soon as it
	// passes it. A streaming handler may set its own in Prepare
	// (SetMaxBodySize).
	MaxBodySize int64
}

// route is a compiled Rule.
type route struct {
	pattern    string
	re         *regexp.Regexp
	literal    string // the whole pattern, when it has no regexp syntax
	isLiteral  bool
	ngroups    int
	groupNames []string // nil when no group is named
	name       string
	ht         *handlerType
	proto      reflect.Value // the prototype struct, copied per request...
	protoZero  bool          // ...unless it is all zero
	blocking   bool
	reverse    *reverser
	activity   string // "web GET /pattern (*pkg.Handler)" for the loop's watchdog
	maxBody    int64  // Rule.MaxBodySize
}

func compileRule(r Rule) (*route, error) {
	if r.Handler == nil {
		return nil, fmt.Errorf("web: rule %q has no handler", r.Pattern)
	}
	core := strings.TrimPrefix(r.Pattern, "^")
	if strings.HasSuffix(core, "$") && !strings.HasSuffix(core, `\$`) {
		core = core[:len(core)-1]
	}
	// The pattern must be a regexp on its own, so that wrapping it cannot
	// change its meaning ("a)|(b" would escape the anchors).
	coreRE, err := regexp.Compile(core)
	if err != nil {
		return nil, fmt.Errorf("web: rule %q: %w", r.Pattern, err)
	}
	re, err := regexp.Compile("^(?:" + core + ")$")
	if err != nil {
		// A pattern ending inside \Q quotes the anchors too: close the
		// quote first.
		if re, err = regexp.Compile("^(?:" + core + `\E)$`); err != nil {
			return nil, fmt.Errorf("web: rule %q: %w", r.Pattern, err)
		}
	}
	ht, err := newHandlerType(r.Handler)
	if err != nil {
		return nil, err
	}
	if r.MaxBodySize < 0 {
		return nil, fmt.Errorf("web: rule %q: MaxBodySize %d is negative", r.Pattern, r.MaxBodySize)
	}
	rt := &route{
		maxBody:   r.MaxBodySize,
		pattern:   r.Pattern,
		re:        re,
		ngroups:   re.NumSubexp(),
		name:      r.Name,
		ht:        ht,
		proto:     reflect.ValueOf(r.Handler).Elem(),
		protoZero: reflect.ValueOf(r.Handler).Elem().IsZero(),
		blocking:  r.Blocking || ht.blocking,
	}
	if rt.blocking && ht.streaming {
		return nil, fmt.Errorf("web: rule %q: %s streams its body (DataReceived) and cannot be a blocking handler", r.Pattern, ht.name)
	}
	if lit, complete := coreRE.LiteralPrefix(); complete && rt.ngroups == 0 {
		rt.literal, rt.isLiteral = lit, true
	}
	for _, n := range re.SubexpNames()[1:] {
		if n != "" {
			rt.groupNames = re.SubexpNames()[1:]
			break
		}
	}
	for m := range numMethods {
		if !ht.accepts(m, rt.ngroups) {
			return nil, fmt.Errorf("web: rule %q has %d groups but (%s).%s takes %d arguments",
				r.Pattern, rt.ngroups, ht.name, verbNames[m], ht.arity[m])
		}
	}
	rt.reverse = newReverser(core, rt.ngroups)
	rt.activity = "web " + r.Pattern + " (" + ht.name + ")"
	return rt, nil
}

// matches reports whether path matches rt, as match does, without
// extracting the groups.
func (rt *route) matches(path string) bool {
	if rt.isLiteral {
		return path == rt.literal
	}
	return rt.re.MatchString(path)
}

// match reports whether the route matches path, and its decoded groups.
// A group that is not valid UTF-8 once decoded is an error (400).
func (rt *route) match(path string) (ok bool, args []string, err error) {
	if rt.isLiteral {
		return path == rt.literal, nil, nil
	}
	if rt.ngroups == 0 {
		return rt.re.MatchString(path), nil, nil
	}
	if !rt.re.MatchString(path) {
		return false, nil, nil
	}
	idx := rt.re.FindStringSubmatchIndex(path)
	args = make([]string, rt.ngroups)
	for i := range args {
		lo, hi := idx[2*i+2], idx[2*i+3]
		if lo < 0 {
			continue // an optional group that did not take part: ""
		}
		// Decoded groups are copies: the path may be a view into the
		// connection's buffer, and a handler may keep its arguments.
		var s string
		if seg := path[lo:hi]; strings.IndexByte(seg, '%') < 0 {
			s = strings.Clone(seg)
		} else {
			s = string(escape.URLUnescapeBytes(seg, false))
		}
		if !utf8.ValidString(s) {
			return true, nil, NewHTTPError(400, "Invalid unicode in url: %.40q", s)
		}
		args[i] = s
	}
	return true, args, nil
}

// hostRules are the rules AddHandlers gave for one host pattern.
type hostRules struct {
	pattern string
	re      *regexp.Regexp
	routes  []*route
}

func compileHost(pattern string) (*regexp.Regexp, error) {
	core := strings.TrimPrefix(pattern, "^")
	core = strings.TrimSuffix(core, "$")
	if _, err := regexp.Compile(core); err != nil {
		return nil, fmt.Errorf("web: host pattern %q: %w", pattern, err)
	}
	return regexp.MustCompile("^(?:" + core + ")$"), nil
}

// reverser turns a rule back into a URL (Tornado's URLSpec.reverse): the
// pattern's text with each group replaced by an argument. Patterns with
// nested groups, or regexp syntax outside the groups, cannot be reversed.
type reverser struct {
	pieces []string // literal text; a group goes between consecutive pieces
	err    error
}

func newReverser(core string, ngroups int) *reverser {
	if strings.Count(core, "(") != ngroups {
		return &reverser{err: fmt.Errorf("web: cannot reverse url regex %q", core)}
	}
	rv := &reverser{}
	frags := strings.Split(core, "(")
	lit, err := reUnescape(frags[0])
	if err != nil {
		return &reverser{err: fmt.Errorf("web: cannot reverse url regex %q: %w", core, err)}
	}
	rv.pieces = append(rv.pieces, lit)
	for _, f := range frags[1:] {
		i := strings.IndexByte(f, ')')
		if i < 0 {
			return &reverser{err: fmt.Errorf("web: cannot reverse url regex %q", core)}
		}
		lit, err := reUnescape(f[i+1:])
		if err != nil {
			return &reverser{err: fmt.Errorf("web: cannot reverse url regex %q: %w", core, err)}
		}
		rv.pieces = append(rv.pieces, lit)
	}
	return rv
}

// reUnescape removes the backslashes of escaped punctuation ("\." → "."),
// and refuses class escapes such as \d, which have no single reversal.
func reUnescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i == len(s) {
			return "", fmt.Errorf("trailing backslash")
		}
		c := s[i]
		if c < 0x80 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", fmt.Errorf(`cannot unescape '\%c'`, c)
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// url builds the URL for args, each formatted with fmt's %v and
// percent-encoded (spaces as %20, "/" kept).
func (rv *reverser) url(args []any) (string, error) {
	if rv.err != nil {
		return "", rv.err
	}
	if len(args) != len(rv.pieces)-1 {
		return "", fmt.Errorf("web: url takes %d arguments, got %d", len(rv.pieces)-1, len(args))
	}
	var b strings.Builder
	b.WriteString(rv.pieces[0])
	for i, a := range args {
		var s string
		switch x := a.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		default:
			s = fmt.Sprint(x)
		}
		b.WriteString(escape.URLEscape(s, false))
		b.WriteString(rv.pieces[i+1])
	}
	return b.String(), nil
}
