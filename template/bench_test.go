package template

import (
	"bytes"
	htmltemplate "html/template"
	"os"
	"strings"
	"testing"
)

// Tornado's own template benchmark (maint/benchmark/template_benchmark.py,
// "mitsuhiko's benchmark"): a page with a title, a three-link navigation
// list and a 1000-row table of 10-key dicts. Rows are maps, so the inner
// loop iterates their keys: the cells are a ... j. Compiled under the name
// "<string>" as Tornado's is, so whitespace is kept ("all").

func bigtableSource(tb testing.TB) string {
	tb.Helper()
	src, err := os.ReadFile("testdata/bench/bigtable.html")
	if err != nil {
		tb.Fatal(err)
	}
	return string(src)
}

func bigtableVars() map[string]any {
	table := make([]map[string]any, 1000)
	for i := range table {
		table[i] = map[string]any{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9, "j": 10}
	}
	return map[string]any{"page_title": "mitsuhiko's benchmark", "table": table}
}

// The same page in html/template. Its range over a map also visits the
// keys in sorted order; the navigation tuples become data.
const bigtableHTMLTemplate = `<!doctype html>
<html>
  <head>
    <title>{{ .page_title }}</title>
  </head>
  <body>
    <div class="header">
      <h1>{{ .page_title }}</h1>
    </div>
    <ul class="navigation">
    {{ range .nav }}
      <li><a href="{{ index . 0 }}">{{ index . 1 }}</a></li>
    {{ end }}
    </ul>
    <div class="table">
      <table>
      {{ range .table }}
        <tr>
        {{ range $cell, $_ := . }}
          <td>{{ $cell }}</td>
        {{ end }}
        </tr>
      {{ end }}
      </table>
    </div>
  </body>
</html>`

func bigtableHTMLVars() map[string]any {
	v := bigtableVars()
	v["nav"] = [][2]string{{"index.html", "Index"}, {"downloads.html", "Downloads"}, {"products.html", "Products"}}
	return v
}

func TestBigtableOutput(t *testing.T) {
	tmpl := mustNew(t, "", bigtableSource(t))
	out, err := tmpl.Generate(bigtableVars())
	if err != nil {
		t.Fatal(err)
	}
	// Tornado 6.5 renders 343,473 bytes (343,471 with 6.2's &#39;).
	if len(out) != 343473 {
		t.Errorf("bigtable is %d bytes, want 343473", len(out))
	}
	if n := bytes.Count(out, []byte("<td>")); n != 10000 {
		t.Errorf("%d cells, want 10000", n)
	}
	ht := htmltemplate.Must(htmltemplate.New("bigtable").Parse(bigtableHTMLTemplate))
	var b bytes.Buffer
	if err := ht.Execute(&b, bigtableHTMLVars()); err != nil {
		t.Fatal(err)
	}
	// html/template writes ' as &#39; and leaves whitespace around its
	// actions alone, as Tornado's "all" mode does: the pages are the same.
	if got := strings.ReplaceAll(b.String(), "&#39;", "&#x27;"); got != string(out) {
		t.Errorf("html/template page differs from tornago's (%d vs %d bytes)", len(got), len(out))
	}
}

func BenchmarkBigtable(b *testing.B) {
	tmpl := mustNew(b, "", bigtableSource(b))
	v := bigtableVars()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Generate(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBigtableExecute(b *testing.B) {
	tmpl := mustNew(b, "", bigtableSource(b))
	v := bigtableVars()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := tmpl.Execute(&buf, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBigtableHTMLTemplate(b *testing.B) {
	ht := htmltemplate.Must(htmltemplate.New("bigtable").Parse(bigtableHTMLTemplate))
	v := bigtableHTMLVars()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := ht.Execute(&buf, v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSmallPage renders a typical small page: a few fields, a short
// loop, an include-free layout.
func BenchmarkSmallPage(b *testing.B) {
	tmpl := mustNew(b, "page.html", `<html><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1>
{% for e in entries %}<div class="entry"><h2><a href="/entry/{{ e['slug'] }}">{{ e['title'] }}</a></h2>
<p>{{ e['body'] }}</p>{% if e['draft'] %}<em>draft</em>{% end %}</div>
{% end %}</body></html>`)
	entries := make([]any, 5)
	for i := range entries {
		entries[i] = map[string]any{"slug": "post-" + string(rune('a'+i)), "title": "Post <" + string(rune('a'+i)) + ">", "body": "Some text & more", "draft": i%2 == 0}
	}
	v := map[string]any{"title": "My blog", "entries": entries}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Generate(v); err != nil {
			b.Fatal(err)
		}
	}
}
