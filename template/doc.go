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
package template
