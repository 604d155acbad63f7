package template

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	"testing"

	"github.com/CloudyKit/jet/v6"
	"github.com/flosch/pongo2/v6"
)

// The page in each Go engine's syntax, tag for tag the Tornado page, so the
// text between the tags (and so the output) is the same.
const (
	htmlTemplateSource = `<!doctype html>
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
      <li><a href="{{ .href }}">{{ .caption }}</a></li>
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

	pongo2Source = `<!doctype html>
<html>
  <head>
    <title>{{ page_title }}</title>
  </head>
  <body>
    <div class="header">
      <h1>{{ page_title }}</h1>
    </div>
    <ul class="navigation">
    {% for item in nav %}
      <li><a href="{{ item.href }}">{{ item.caption }}</a></li>
    {% endfor %}
    </ul>
    <div class="table">
      <table>
      {% for row in table %}
        <tr>
        {% for cell, _ in row sorted %}
          <td>{{ cell }}</td>
        {% endfor %}
        </tr>
      {% endfor %}
      </table>
    </div>
  </body>
</html>`

	jetSource = `<!doctype html>
<html>
  <head>
    <title>{{ page_title }}</title>
  </head>
  <body>
    <div class="header">
      <h1>{{ page_title }}</h1>
    </div>
    <ul class="navigation">
    {{ range _, item := nav }}
      <li><a href="{{ item["href"] }}">{{ item["caption"] }}</a></li>
    {{ end }}
    </ul>
    <div class="table">
      <table>
      {{ range _, row := table }}
        <tr>
        {{ range cell := row }}
          <td>{{ cell }}</td>
        {{ end }}
        </tr>
      {{ end }}
      </table>
    </div>
  </body>
</html>`
)

// renderer renders the page once into w, from data prepared beforehand.
type renderer func(w *bytes.Buffer) error

func htmlTemplateRenderer(tb testing.TB) renderer {
	t, err := htmltemplate.New("bigtable").Parse(htmlTemplateSource)
	if err != nil {
		tb.Fatal(err)
	}
	data := map[string]any{"page_title": PageTitle, "nav": Nav, "table": Table()}
	return func(w *bytes.Buffer) error { return t.Execute(w, data) }
}

func pongo2Renderer(tb testing.TB) renderer {
	t, err := pongo2.FromString(pongo2Source)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := pongo2.Context{"page_title": PageTitle, "nav": Nav, "table": Table()}
	return func(w *bytes.Buffer) error { return t.ExecuteWriterUnbuffered(ctx, w) }
}

func jetRenderer(tb testing.TB) renderer {
	loader := jet.NewInMemLoader()
	loader.Set("bigtable.jet", jetSource)
	t, err := jet.NewSet(loader).GetTemplate("bigtable.jet")
	if err != nil {
		tb.Fatal(err)
	}
	vars := make(jet.VarMap)
	vars.Set("page_title", PageTitle)
	vars.Set("nav", Nav)
	vars.Set("table", Table())
	return func(w *bytes.Buffer) error { return t.Execute(w, vars, nil) }
}

// TestGoEnginesWriteThePage checks that each engine writes the page of
// Tornado's benchmark, so the benchmarks compare the same work.
func TestGoEnginesWriteThePage(t *testing.T) {
	want := Expected("&#39;")
	for _, tt := range []struct {
		name string
		new  func(testing.TB) renderer
		// sameBytes is false for jet, which ranges over a map in Go's
		// random order: its rows hold the same cells, in another order.
		sameBytes bool
	}{
		{"html/template", htmlTemplateRenderer, true},
		{"pongo2", pongo2Renderer, true},
		{"jet", jetRenderer, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.new(t)(&buf); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			if tt.sameBytes {
				if got != want {
					t.Fatalf("page differs from Tornado's (%d bytes, want %d):\n%s", len(got), len(want), firstDiff(got, want))
				}
				return
			}
			if len(got) != len(want) {
				t.Fatalf("page is %d bytes, want %d", len(got), len(want))
			}
			for c := range Columns {
				cell := "<td>" + string(rune('a'+c)) + "</td>"
				if n := strings.Count(got, cell); n != Rows {
					t.Errorf("%s appears %d times, want %d", cell, n, Rows)
				}
			}
		})
	}
}

// firstDiff shows where two pages part.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(i-60, 0)
	return "got:  …" + got[lo:min(i+60, len(got))] + "\nwant: …" + want[lo:min(i+60, len(want))]
}

func benchmark(b *testing.B, r renderer) {
	var buf bytes.Buffer
	if err := r(&buf); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBigtableHTMLTemplate(b *testing.B) { benchmark(b, htmlTemplateRenderer(b)) }
func BenchmarkBigtablePongo2(b *testing.B)       { benchmark(b, pongo2Renderer(b)) }
func BenchmarkBigtableJet(b *testing.B)          { benchmark(b, jetRenderer(b)) }
