//go:build !race

package template

import (
	"io"
	"testing"
)

// Rendering the common shapes (names, attributes of maps, loops over slices
// and maps, ints and escaped strings) allocates nothing per render once the
// frame pool is warm.
func TestRenderDoesNotAllocate(t *testing.T) {
	tmpl := mustNew(t, "page.html", `<h1>{{ title }}</h1>
{% for row in rows %}<tr>{% for k in row %}<td>{{ k }}={{ row[k] }}</td>{% end %}</tr>{% end %}
{% for e in entries %}{% if e['n'] > 1 %}<a href="/{{ e['slug'] }}">{{ e['n'] }}</a>{% end %}{% end %}
{% for k, v in meta.items() %}{{ k }}:{{ v }}{% end %}`)
	v := map[string]any{
		"title":   "a <title>",
		"rows":    []map[string]any{{"a": 1, "b": "x"}, {"a": 2, "b": "y"}},
		"entries": []any{map[string]any{"slug": "s1", "n": 1}, map[string]any{"slug": "s2", "n": 2}},
		"meta":    map[string]any{"k": "v", "j": 3},
	}
	if err := tmpl.Execute(io.Discard, v); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(200, func() {
		if err := tmpl.Execute(io.Discard, v); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Execute allocates %.1f times per render", allocs)
	}
	allocs = testing.AllocsPerRun(200, func() {
		if _, err := tmpl.Generate(v); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 1 {
		t.Errorf("Generate allocates %.1f times per render, want 1 (the result)", allocs)
	}
}

func TestBigtableAllocations(t *testing.T) {
	tmpl := mustNew(t, "", bigtableSource(t))
	v := bigtableVars()
	if err := tmpl.Execute(io.Discard, v); err != nil {
		t.Fatal(err)
	}
	// The navigation list literal is built afresh each render (lists are
	// mutable): two allocations, nothing per row or cell.
	allocs := testing.AllocsPerRun(20, func() {
		if err := tmpl.Execute(io.Discard, v); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("bigtable Execute allocates %.1f times", allocs)
	}
}
