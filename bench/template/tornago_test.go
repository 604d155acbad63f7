//go:build tornagotemplate

// The tornago half of the bigtable benchmark, behind a build tag so the
// other engines' benchmarks build before tornago's template package exists:
//
//	go test -tags tornagotemplate -run '^$' -bench Bigtable -benchmem ./template/

package template

import (
	"bytes"
	"testing"

	tornago "github.com/tornago/tornago/template"
)

// tornagoTemplate compiles the Tornado page unchanged. Its name is the one
// Tornado gives a Template built from a string, so whitespace is kept ("all")
// as in Tornado's benchmark.
func tornagoTemplate(tb testing.TB) (*tornago.Template, map[string]any) {
	t, err := tornago.New("<string>", TornadoSource)
	if err != nil {
		tb.Fatal(err)
	}
	return t, map[string]any{"page_title": PageTitle, "table": Table()}
}

// TestTornagoWritesThePage checks that tornago renders Tornado's page to
// Tornado's bytes ("'" written as "&#x27;", as Tornado 6.5 writes it).
func TestTornagoWritesThePage(t *testing.T) {
	tmpl, vars := tornagoTemplate(t)
	got, err := tmpl.Generate(vars)
	if err != nil {
		t.Fatal(err)
	}
	want := Expected("&#x27;")
	if string(got) != want {
		if alt := Expected("&#39;"); string(got) == alt {
			return // the Tornado 6.2 spelling is as good for this benchmark
		}
		t.Fatalf("page differs from Tornado's (%d bytes, want %d):\n%s", len(got), len(want), firstDiff(string(got), want))
	}
}

// BenchmarkBigtableTornago times Generate, which returns a new page each call.
func BenchmarkBigtableTornago(b *testing.B) {
	tmpl, vars := tornagoTemplate(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Generate(vars); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBigtableTornagoExecute times Execute into a reused buffer, the way
// the other engines are timed.
func BenchmarkBigtableTornagoExecute(b *testing.B) {
	tmpl, vars := tornagoTemplate(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := tmpl.Execute(&buf, vars); err != nil {
			b.Fatal(err)
		}
	}
}
