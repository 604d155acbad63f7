package template

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTornadoDifferential renders the corpus in testdata/diff with both
// tornago and Tornado itself (python3-tornado) and requires the same bytes.
// The one normalisation is the apostrophe: Debian's Tornado 6.2 escapes it
// as &#39;, Tornado 6.5 and tornago as &#x27;.
//
// Without a Python that can import tornado the test is skipped, unless
// CI=true, where that is a failure.
func TestTornadoDifferential(t *testing.T) {
	python := findTornadoPython()
	if python == "" {
		msg := "no python3 with the tornado module (apt install python3-tornado); differential test against Tornado not run"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir, err := filepath.Abs("testdata/diff")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join(dir, "render.py"), dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s render.py: %v\n%s", python, err, stderr.String())
	}
	var want map[string]struct {
		Out   *string `json:"out"`
		Error string  `json:"error"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("decoding Tornado's output: %v", err)
	}
	if len(want) < 10 {
		t.Fatalf("Tornado rendered only %d templates", len(want))
	}
	v := loadDiffVars(t, filepath.Join(dir, "vars.json"))
	l := NewLoader(dir)
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			if w.Out == nil {
				t.Fatalf("Tornado failed: %s", w.Error)
			}
			tmpl, err := l.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tmpl.Generate(v)
			if err != nil {
				t.Fatal(err)
			}
			expected := strings.ReplaceAll(*w.Out, "&#39;", "&#x27;")
			if string(got) != expected {
				t.Errorf("differs from Tornado\n%s", firstDifference(string(got), expected))
			}
		})
	}
}

// TestTornadoDifferentialRandom renders a few hundred templates made by
// gluing together fragments chosen for the lexer's edge cases (brace runs,
// escapes, whitespace modes, <pre>, comments) through both engines. Where
// Tornado fails, tornago must fail too.
func TestTornadoDifferentialRandom(t *testing.T) {
	python := findTornadoPython()
	if python == "" {
		msg := "no python3 with the tornado module (apt install python3-tornado); differential test against Tornado not run"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	fragments := []string{
		"a", "  ", "\n", "\t", "{", "}", "{ {", "<pre>", " x  y ", "\n\n  \n", "\u00e9", "%", "#", "!",
		"{{ n }}", "{{! x }}", "{%! y %}", "{#! z #}", "{# c #}", "{{{ n }}}", "{{ title }}",
		"{% if n %}A {% else %} B{% end %}", "{% for w in words %}[ {{ w }} ]\n{% end %}",
		"{% whitespace oneline %}", "{% whitespace single %}", "{% whitespace all %}",
		"{% comment zz %}", "{% raw title %}", "{% set q = n * 2 %}{{ q }}",
		"{% apply xhtml_escape %}<{{ n }}>{% end %}", "{%end%}", "{{", "}}", "%}", "{%",
		"{{ words[0].upper() }}", "{% try %}{{ 1/0 }}{% except %}E{% end %}", "{% while n > 5 %}{% end %}",
		"{% for k in {'b': 1, 'a': 2} %}{{ k }}{% end %}", "{{ '%s|%5.1f' % (title, n / 7) }}", "\r\n",
		"{% for w in words %}{% if w == 'q' %}{% break %}{% end %}{{ w }}{% else %}E{% end %}",
	}
	exts := []string{".html", ".txt", ".js"}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		var b strings.Builder
		for range 1 + rng.IntN(10) {
			b.WriteString(fragments[rng.IntN(len(fragments))])
		}
		name := fmt.Sprintf("t%03d%s", i, exts[rng.IntN(len(exts))])
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vars := `{"n": 3, "title": "a <b> & 'c'", "x": 1, "words": ["p", "q"]}`
	if err := os.WriteFile(filepath.Join(dir, "vars.json"), []byte(vars), 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("testdata/diff/render.py")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, script, dir).Output()
	if err != nil {
		t.Fatalf("render.py: %v", err)
	}
	var want map[string]struct {
		Out   *string `json:"out"`
		Error string  `json:"error"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	v := loadDiffVars(t, filepath.Join(dir, "vars.json"))
	l := NewLoader(dir)
	failures := 0
	for name, w := range want {
		if w.Out == nil {
			failures++
		}
		src, _ := os.ReadFile(filepath.Join(dir, name))
		var got []byte
		tmpl, err := l.Load(name)
		if err == nil {
			got, err = tmpl.Generate(v)
		}
		switch {
		case w.Out == nil && err == nil:
			t.Errorf("%s %q: Tornado fails (%s), tornago renders %q", name, src, w.Error, got)
		case w.Out != nil && err != nil:
			t.Errorf("%s %q: tornago fails (%v), Tornado renders %q", name, src, err, *w.Out)
		case w.Out != nil && string(got) != strings.ReplaceAll(*w.Out, "&#39;", "&#x27;"):
			t.Errorf("%s %q:\n got %q\nwant %q", name, src, got, *w.Out)
		}
	}
	t.Logf("%d templates, %d of them errors in both engines", len(want), failures)
}

// findTornadoPython returns the first python3 on PATH (or /usr/bin) that
// can import tornado.
func findTornadoPython() string {
	var candidates []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		candidates = append(candidates, filepath.Join(d, "python3"))
	}
	candidates = append(candidates, "/usr/bin/python3")
	seen := map[string]bool{}
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		if fi, err := os.Stat(c); err != nil || fi.IsDir() {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := exec.CommandContext(ctx, c, "-c", "import tornado.template").Run()
		cancel()
		if err == nil {
			return c
		}
	}
	return ""
}

// loadDiffVars decodes the corpus variables as Python's json module does:
// integral numbers are ints, others floats.
func loadDiffVars(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	return convertJSONNumbers(raw).(map[string]any)
}

func convertJSONNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if !strings.ContainsAny(x.String(), ".eE") {
			b, _ := parseInt(x.String(), 10)
			return toAny(b)
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = convertJSONNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = convertJSONNumbers(e)
		}
	}
	return v
}

// firstDifference shows where two outputs part.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-80)
	return "at byte " + itoa(i) + ":\n got: ..." + quoteSnippet(got[lo:min(len(got), i+80)]) + "\nwant: ..." + quoteSnippet(want[lo:min(len(want), i+80)])
}

func quoteSnippet(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\n", `\n`), "\t", `\t`)
}

func itoa(i int) string { return string(appendStr(nil, intV(int64(i)))) }
