package template

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"
	"time"
)

type author struct {
	ID    int64
	Name  string
	Email string
}

func (a author) DisplayName() string          { return a.Name + " <" + a.Email + ">" }
func (a *author) Initials() string            { return a.Name[:1] }
func (a author) Greet(greeting string) string { return greeting + ", " + a.Name }

type entry struct {
	AuthorID  int64
	Title     string
	Published time.Time
	Tags      []string
	Meta      map[string]string
	Author    *author
	Score     float32
	Draft     bool
	Slug      slug
	Month     time.Month
	Embedded
}

type Embedded struct{ Extra string }

type slug string

type formatOptions struct {
	Shorten    bool
	MaxLength  int
	ExtraClass string
}

func shout(s string, opts ...formatOptions) string {
	var o formatOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Shorten && len(s) > o.MaxLength {
		s = s[:o.MaxLength]
	}
	out := strings.ToUpper(s)
	if o.ExtraClass != "" {
		out = o.ExtraClass + ":" + out
	}
	return out
}

func TestGoValues(t *testing.T) {
	pub := time.Date(2020, 3, 4, 15, 6, 7, 0, time.UTC)
	a := &author{ID: 7, Name: "Ada", Email: "ada@example.com"}
	e := entry{AuthorID: 7, Title: "Hello <World>", Published: pub, Tags: []string{"go", "py"},
		Meta: map[string]string{"b": "2", "a": "1"}, Author: a, Score: 1.5, Slug: "hello-world",
		Month: time.March, Embedded: Embedded{Extra: "x"}}
	base := vars{
		"entry":   e,
		"entries": []entry{e, e},
		"eptr":    &e,
		"nilptr":  (*author)(nil),
		"shout":   shout,
		"fail":    func() (string, error) { return "", errors.New("database is down") },
		"pair":    func() (int, string) { return 1, "one" },
		"sum": func(xs ...int) int {
			n := 0
			for _, x := range xs {
				n += x
			}
			return n
		},
		"join":    func(sep string, parts ...string) string { return strings.Join(parts, sep) },
		"kwmap":   func(name string, opts map[string]any) string { return fmt.Sprint(name, opts) },
		"kwptr":   func(opts *formatOptions) string { return fmt.Sprint(opts.MaxLength, opts.ExtraClass) },
		"zeroopt": func(s string, o formatOptions) string { return s + fmt.Sprint(o.MaxLength) },
		"seq": iter.Seq[int](func(yield func(int) bool) {
			for i := range 3 {
				if !yield(i * 10) {
					return
				}
			}
		}),
		"seq2": iter.Seq2[string, int](func(yield func(string, int) bool) {
			_ = yield("a", 1) && yield("b", 2)
		}),
		"ints":   map[int]string{10: "ten", 2: "two"},
		"dur":    90 * time.Minute,
		"u64":    uint64(18446744073709551615),
		"matrix": [][]int{{1, 2}, {3, 4}},
		"arr":    [3]string{"x", "y", "z"},
		"err":    errors.New("boom"),
	}
	tests := []struct {
		src  string
		want string
	}{
		{"{{ entry.title }}", "Hello &lt;World&gt;"},
		{"{{ entry.Title }}", "Hello &lt;World&gt;"},
		{"{{ entry.author_id }}", "7"},
		{"{{ entry.author.name }}", "Ada"},
		{"{{ entry.author.display_name }}", "Ada &lt;ada@example.com&gt;"},
		{"{{ entry.author.display_name() }}", "Ada &lt;ada@example.com&gt;"},
		{"{{ entry.author.initials }}", "A"},
		{"{{ eptr.title }}", "Hello &lt;World&gt;"},
		{"{{ entry.author.greet('Hi') }}", "Hi, Ada"},
		{"{{ entry.extra }}", "x"},
		{"{{ entry.score }}", "1.5"},
		{"{{ entry.draft }}", "False"},
		{"{{ entry.slug }}", "hello-world"},
		{"{{ entry.slug == 'hello-world' }}", "True"},
		{"{{ entry.slug.upper() }}", "HELLO-WORLD"},
		{"{{ entry.month }}", "March"},
		{"{{ entry.month + 1 }}", "4"},
		{"{{ entry.tags }}", "[&#x27;go&#x27;, &#x27;py&#x27;]"},
		{"{% for t in entry.tags %}{{ t }};{% end %}", "go;py;"},
		{"{% for k, v in entry.meta.items() %}{{ k }}={{ v }};{% end %}", "a=1;b=2;"},
		{"{% for k in entry.meta %}{{ k }}{% end %}", "ab"},
		{"{{ entry.meta['b'] }}", "2"},
		{"{{ entry.meta.a }}", "1"},
		{"{{ entry.meta.get('zz', 'none') }}", "none"},
		{"{{ len(entries) }}", "2"},
		{"{{ entries[-1].title }}", "Hello &lt;World&gt;"},
		{"{{ entry.published.strftime('%Y-%m-%dT%H:%M:%SZ') }}", "2020-03-04T15:06:07Z"},
		{"{{ entry.published.strftime('%a %d %b %Y %I:%M %p %j %-d %e') }}", "Wed 04 Mar 2020 03:06 PM 064 4  4"},
		{"{{ entry.published.isoformat() }}", "2020-03-04T15:06:07"},
		{"{{ entry.published }}", "2020-03-04 15:06:07"},
		{"{{ entry.published.year }}-{{ entry.published.month }}-{{ entry.published.day }}", "2020-3-4"},
		{"{{ entry.published.weekday() }} {{ entry.published.isoweekday() }}", "2 3"},
		{"{{ entry.published.Unix() }}", "1583334367"},
		{"{{ nilptr is None }}", "True"},
		{"{{ nilptr }}", "None"},
		{"{{ shout('abc') }}", "ABC"},
		{"{{ shout('abcdef', shorten=True, max_length=3) }}", "ABC"},
		{"{{ shout('abc', extra_class='big') }}", "big:ABC"},
		{"{{ kwmap('n', a=1) }}", "nmap[a:1]"},
		{"{{ kwptr(max_length=4, extra_class='c') }}", "4c"},
		{"{{ zeroopt('s') }}", "s0"},
		{"{{ zeroopt('s', max_length=9) }}", "s9"},
		{"{{ pair() }}", "(1, &#x27;one&#x27;)"},
		{"{{ sum(1, 2, 3) }}", "6"},
		{"{{ sum() }}", "0"},
		{"{{ join('-', 'a', 'b') }}", "a-b"},
		{"{{ list(seq) }}", "[0, 10, 20]"},
		{"{% for k, v in seq2 %}{{ k }}{{ v }}{% end %}", "a1b2"},
		{"{% for k in ints %}{{ k }},{% end %}", "2,10,"},
		{"{{ ints[10] }}", "ten"},
		{"{{ dur }}", "1h30m0s"},
		{"{{ dur.minutes() }}", "90.0"},
		{"{{ u64 }}", "18446744073709551615"},
		{"{{ u64 + 1 }}", "18446744073709551616"},
		{"{{ matrix[1][0] }}", "3"},
		{"{{ arr[1:] }}", "[&#x27;y&#x27;, &#x27;z&#x27;]"},
		{"{{ 'y' in arr }}", "True"},
		{"{{ err }}", "boom"},
		{"{% set x = [] %}{% set x.append(1) %}{% set x += [2] %}{{ x }}", "[1, 2]"},
		{"{% set a, b = 1, 2 %}{{ a }}{{ b }}", "12"},
		{"{% set a = b = 3 %}{{ a + b }}", "6"},
		{"{% set n = 1 %}{% set n *= 5 %}{{ n }}", "5"},
		{"{% for i, (a, b) in enumerate([(1, 2), (3, 4)]) %}{{ i }}{{ a }}{{ b }} {% end %}", "012 134 "},
		{"{% for x in [] %}a{% else %}empty{% end %}", "empty"},
		{"{% for x in [1] %}{% break %}{% else %}else{% end %}done", "done"},
		{"{% set i = 0 %}{% while i < 3 %}{{ i }}{% set i += 1 %}{% end %}", "012"},
		{"{% set i = 0 %}{% while i < 3 %}{% set i += 1 %}{% else %}w{% end %}", "w"},
		{"{% try %}{{ 1/0 }}{% except ZeroDivisionError as e %}caught {{ e }}{% end %}", "caught division by zero"},
		{"{% try %}{{ {}['k'] }}{% except LookupError %}lookup{% end %}", "lookup"},
		{"{% try %}{{ fail() }}{% except Exception as e %}{{ e }}{% end %}", "database is down"},
		{"{% try %}{% try %}{{ 1/0 }}{% except KeyError %}no{% end %}{% except %}outer{% end %}", "outer"},
		{"{% try %}ok{% finally %} fin{% end %}", "ok fin"},
		{"{% for i in range(3) %}{% try %}{% if i == 1 %}{% break %}{% end %}{{ i }}{% finally %}f{% end %}{% end %}", "0ff"},
		{"{% apply shout %}quiet {{ 'words' }}{% end %}", "QUIET WORDS"},
		{"{% module Shout('x') %}", "<X>"},
		{"{{ datetime.datetime(2021, 1, 2).strftime('%d/%m/%Y') }}", "02/01/2021"},
		{"{{ datetime.timedelta(hours=1, minutes=30) }}", "1h30m0s"},
		{"{{ (entry.published + datetime.timedelta(days=1)).day }}", "5"},
		{"{{ escape('<a>') }}", "&amp;lt;a&amp;gt;"},
		{"{% raw escape('<a>') %}", "&lt;a&gt;"},
		{"{% raw url_escape('a b/c') %} {% raw url_escape('a b/c', plus=False) %}", "a+b%2Fc a%20b/c"},
		{"{% raw json_encode({'a': [1, 'x</']}) %}", `{"a": [1, "x<\/"]}`},
		{"{{ squeeze('  a \\n b  ') }}", "a b"},
		{"{{ len }}", "&lt;built-in function len&gt;"},
	}
	for _, tt := range tests {
		tmpl, err := New("t.html", tt.src, Namespace(map[string]any{"modules": map[string]any{"Shout": func(s string) string { return "<" + strings.ToUpper(s) + ">" }}}))
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		out, err := tmpl.Generate(base)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if string(out) != tt.want {
			t.Errorf("%s\n got %q\nwant %q", tt.src, out, tt.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	base := vars{
		"fail":  func() (string, error) { return "", fmt.Errorf("wrapped: %w", errSentinel) },
		"boom":  func() string { panic("kaboom") },
		"obj":   author{Name: "x"},
		"shout": shout,
		"m":     map[string]any{"a": 1},
		"n":     5,
	}
	tests := []struct {
		src  string
		want string
	}{
		{"{{ missing }}", "template: t.html:1: {{ missing }}: NameError: name 'missing' is not defined"},
		{"\n{{ fail() }}", "template: t.html:2: {{ fail() }}: wrapped: sentinel"},
		{"{{ boom() }}", "template: t.html:1: {{ boom() }}: panic in "},
		{"{{ obj.nope }}", "AttributeError: 'template.author' object has no attribute 'nope'"},
		{"{{ m.nope }}", "AttributeError: map has no key 'nope'"},
		{"{{ m['nope'] }}", "KeyError: 'nope'"},
		{"{{ [1][5] }}", "IndexError: list index out of range"},
		{"{{ 'a' + 1 }}", `TypeError: can only concatenate str (not "int") to str`},
		{"{{ 1 + 'a' }}", "TypeError: unsupported operand type(s) for +: 'int' and 'str'"},
		{"{{ 1 < 'a' }}", "TypeError: '<' not supported between instances of 'int' and 'str'"},
		{"{{ shout('a', bogus=1) }}", "TypeError: template.shout() got an unexpected keyword argument 'bogus'"},
		{"{{ len(1, k=2) }}", "TypeError: len() got an unexpected keyword argument 'k'"},
		{"{{ n(1) }}", "TypeError: 'int' object is not callable"},
		{"{% for a, b in [1] %}{% end %}", "{% for a, b in [1] %}: TypeError: cannot unpack non-iterable int object"},
		{"{% for a, b in [(1, 2, 3)] %}{% end %}", "ValueError: too many values to unpack (expected 2)"},
		{"{{ x }}{% set x = 1 %}", "UnboundLocalError: cannot access local variable 'x' where it is not associated with a value"},
		{"{% for x in 5 %}{% end %}", "TypeError: 'int' object is not iterable"},
		{"{% if 1/0 %}{% end %}", "{% if 1/0 %}: ZeroDivisionError"},
		{"{{ '%d' % 'x' }}", "TypeError: %d format: a real number is required, not str"},
		{"{{ int('x1') }}", "ValueError: invalid literal for int() with base 10: 'x1'"},
	}
	for _, tt := range tests {
		tmpl, err := New("t.html", tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		_, err = tmpl.Generate(base)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s\n got %v\nwant %q", tt.src, err, tt.want)
		}
	}
	// A Go function's error stays reachable.
	tmpl := mustNew(t, "t.html", "{{ fail() }}")
	if _, err := tmpl.Generate(base); !errors.Is(err, errSentinel) {
		t.Errorf("errors.Is(err, errSentinel) is false for %v", err)
	}
}

var errSentinel = errors.New("sentinel")

func TestExecuteStreams(t *testing.T) {
	var rows []int
	for i := range 20000 {
		rows = append(rows, i)
	}
	tmpl := mustNew(t, "s.txt", "{% for r in rows %}<row {{ r }}>\n{% end %}{% apply upper %}{% for r in rows %}x{% end %}{% end %}")
	var w countingWriter
	if err := tmpl.Execute(&w, vars{"rows": rows, "upper": strings.ToUpper}); err != nil {
		t.Fatal(err)
	}
	want, err := tmpl.Generate(vars{"rows": rows, "upper": strings.ToUpper})
	if err != nil {
		t.Fatal(err)
	}
	if w.b.String() != string(want) {
		t.Fatal("Execute and Generate differ")
	}
	if w.writes < 5 {
		t.Errorf("Execute wrote %d times; want it to stream in chunks", w.writes)
	}
	if w.biggest > flushThreshold*2 {
		t.Errorf("a write of %d bytes; want chunks near %d", w.biggest, flushThreshold)
	}
}

type countingWriter struct {
	b       strings.Builder
	writes  int
	biggest int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	w.biggest = max(w.biggest, len(p))
	return w.b.Write(p)
}

func TestExecuteWriteError(t *testing.T) {
	tmpl := mustNew(t, "s.txt", "{% try %}{% for i in range(100000) %}xxxxxxxxxx{% end %}{% except %}caught{% end %}")
	err := tmpl.Execute(failingWriter{}, nil)
	if !errors.Is(err, errWrite) {
		t.Errorf("got %v, want the write error (not caught by except)", err)
	}
}

var errWrite = errors.New("write failed")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }
