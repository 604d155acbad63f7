// Package template is Tornado's template language for Go: the same syntax,
// the same directives and errors, with a Python-like expression language
// evaluated over Go values, compiled to a tree of Go closures.
//
//	t, err := template.New("hello.html", "<b>{{ name.upper() }}</b>")
//	out, err := t.Generate(map[string]any{"name": "ben & jerry"})
//	// <b>BEN &amp; JERRY</b>
//
// # Syntax
//
// {{ expr }} prints an expression, escaped by the autoescape function
// (xhtml_escape unless {% autoescape %} or the Autoescape option says
// otherwise); {# ... #} is a comment; {{!, {%! and {#! print their opener
// literally; with three or more braces in a row the innermost pair opens the
// tag. The directives are Tornado's: apply, autoescape, block, break,
// comment, continue, extends, for (with else), if/elif/else, include,
// module, raw, set, try/except/else/finally, while (with else), whitespace
// and end. {% import %} and {% from %} are parse errors: Go code cannot be
// imported from a template; pass functions in the namespace instead.
//
// # Expressions
//
// Expressions are Python's: literals (strings, ints, floats, True, False,
// None, lists, tuples, dicts), names, attributes, subscripts and slices,
// calls with keyword arguments, arithmetic with Python's int/float rules
// (// and % floor, ** and big ints), comparisons (chained), in, is, not,
// and, or, x if c else y, list comprehensions and generator expressions.
//
// Go values map onto Python's: every integer kind is an int, every float
// kind a float, slices and arrays are lists, maps are dicts (iterated in
// sorted key order, where Python keeps insertion order), structs are objects.
// a.b reads a map key, a struct field or calls a zero-argument method;
// snake_case names match Go names ignoring case and underscores, so
// entry.author_id reads the field AuthorID and request.full_url() calls
// FullURL. Keyword arguments go to a function's trailing options parameter
// (a struct, a pointer to one, a map[string]T or a variadic struct):
// linkify(text, shorten=True) fills escape.LinkifyOptions{Shorten: true}.
// A function's error result becomes a render error. Strings have Python's
// methods, maps items/keys/values/get, and time.Time values strftime,
// isoformat and the datetime attributes (a UTC time plays Python's naive
// datetime).
//
// The default namespace holds escape, xhtml_escape, url_escape,
// json_encode, squeeze, linkify, datetime and Python's builtins (len, str,
// int, float, bool, range, enumerate, zip, sorted, reversed, min, max, abs,
// round, list, tuple, dict, sum, any, all, ...). The loader's Namespace
// option and the render vars are layered on top, the render vars winning.
//
// # Loading and errors
//
// NewLoader, NewFSLoader and NewDictLoader load templates by name, compile
// each once and cache it. Parse errors name the file and line, as Tornado's
// do ("Missing {% end %} block for if at page.html:12"); render errors name
// the line through the include and extends chain
// ("template: entry.html:4 (via base.html:20): {{ post.title }}: ...").
// Rendering never panics: a panic in a called function becomes an error.
//
// # Differences from Tornado
//
// Output is byte-for-byte Tornado's on the shared subset (a differential
// test renders a corpus through both), with these deliberate differences:
//
//   - ' is escaped as &#x27; (Tornado 6.5; 6.2 wrote &#39;).
//   - Go maps iterate in sorted key order; Python dicts keep insertion
//     order. Dicts written in the template ({...}, dict()) keep it too.
//   - A time.Time in UTC plays Python's naive datetime: str(), isoformat()
//     and strftime's %z and %Z omit the zone; other zones print it.
//   - Autoescape and apply functions receive Go strings (Tornado passes
//     UTF-8 bytes); functions taking []byte work as well.
//   - Syntax errors in expressions are ParseErrors when the template is
//     compiled, not Python SyntaxErrors; expressions may span lines.
//   - The language is Python's expression subset: no f-strings, set
//     literals, dict comprehensions, *args or assignment to attributes or
//     items. Generator expressions are built as lists. {% except %} matches
//     the expression language's own classes (KeyError, ZeroDivisionError ...,
//     with Python's hierarchy); errors returned by Go functions match a bare
//     except or Exception.
//   - Integers are arbitrary-precision up to 65,536 bits, and building a
//     string or list of more than 16 Mi items fails with MemoryError.
//   - {% import %} and {% from %} are rejected; include and extends cycles
//     are errors; a template name never resolves outside the loader's root.
//   - datetime in the namespace is a small subset of Python's module:
//     datetime.datetime(...), .now, .utcnow, .fromtimestamp,
//     datetime.date.today, datetime.timedelta (a time.Duration) and
//     datetime.timezone.utc.
package template
