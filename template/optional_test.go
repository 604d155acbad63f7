package template

import "testing"

// dateOpts mirrors locale.DateOptions: a *bool field is an optional keyword.
type dateOpts struct {
	Relative *bool
	Shorter  bool
}

func TestKeywordToPointerField(t *testing.T) {
	format := func(s string, o ...dateOpts) string {
		if len(o) == 0 || o[0].Relative == nil {
			return s + ":default"
		}
		if *o[0].Relative {
			return s + ":relative"
		}
		return s + ":absolute"
	}
	for _, tc := range []struct{ src, want string }{
		{`{{ f("d") }}`, "d:default"},
		{`{{ f("d", relative=False) }}`, "d:absolute"},
		{`{{ f("d", relative=True, shorter=True) }}`, "d:relative"},
	} {
		tmpl, err := New("t.txt", tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		out, err := tmpl.Generate(map[string]any{"f": format})
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if string(out) != tc.want {
			t.Errorf("%s = %q, want %q", tc.src, out, tc.want)
		}
	}
}

func TestKeywordContainersBecomeGoValues(t *testing.T) {
	var got map[string]any
	setResources := func(opts map[string]any) string {
		got = opts
		return ""
	}
	tmpl, err := New("t.txt", `{{ f(css_files=["a.css", "b.css"], extra={"k": (1, 2)}) }}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmpl.Generate(map[string]any{"f": setResources}); err != nil {
		t.Fatal(err)
	}
	files, ok := got["css_files"].([]any)
	if !ok || len(files) != 2 || files[0] != "a.css" {
		t.Fatalf("css_files = %#v, want []any{\"a.css\", \"b.css\"}", got["css_files"])
	}
	extra, ok := got["extra"].(map[string]any)
	if !ok {
		t.Fatalf("extra = %#v, want map[string]any", got["extra"])
	}
	if pair, ok := extra["k"].([]any); !ok || len(pair) != 2 {
		t.Fatalf("extra[k] = %#v, want a two-item []any", extra["k"])
	}
}
