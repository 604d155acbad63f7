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
