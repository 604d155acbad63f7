package template

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func TestLoaderKinds(t *testing.T) {
	files := map[string]string{
		"base.html":       "<h1>{% block title %}base{% end %}</h1>{% include 'part.html' %}",
		"part.html":       "[{{ x }}]",
		"sub/page.html":   "{% extends '../base.html' %}{% block title %}{% include 'inner.html' %}{% end %}",
		"sub/inner.html":  "inner {{ x }}",
		"sub/abs.html":    "{% include '/part.html' %}",
		"sub/deep/a.html": "{% include '../inner.html' %}",
	}
	dir := t.TempDir()
	mapFS := fstest.MapFS{}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		mapFS[name] = &fstest.MapFile{Data: []byte(src)}
	}
	loaders := map[string]*Loader{
		"dir":  NewLoader(dir),
		"fs":   NewFSLoader(mapFS),
		"dict": NewDictLoader(files),
	}
	tests := []struct{ name, want string }{
		{"base.html", "<h1>base</h1>[1]"},
		{"sub/page.html", "<h1>inner 1</h1>[1]"},
		{"sub/abs.html", "[1]"},
		{"sub/deep/a.html", "inner 1"},
		{"/sub/abs.html", "[1]"},
		{"sub/../base.html", "<h1>base</h1>[1]"},
	}
	for kind, l := range loaders {
		for _, tt := range tests {
			tmpl, err := l.Load(tt.name)
			if err != nil {
				t.Errorf("%s loader, %s: %v", kind, tt.name, err)
				continue
			}
			if got := render(t, tmpl, vars{"x": 1}); got != tt.want {
				t.Errorf("%s loader, %s: got %q, want %q", kind, tt.name, got, tt.want)
			}
		}
	}
}

func TestLoaderNeverLeavesRoot(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"up.html":     "{% include '../secret.txt' %}",
		"deep.html":   "{% include 'a/../../secret.txt' %}",
		"abs.html":    "{% include '" + secret + "' %}",
		"extends.txt": "{% extends '../secret.txt' %}",
	} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(secret, filepath.Join(root, "link.txt")); err != nil {
		t.Fatal(err)
	}
	l := NewLoader(root)
	for _, name := range []string{"up.html", "deep.html", "abs.html", "extends.txt", "../secret.txt", "link.txt", "/../secret.txt"} {
		tmpl, err := l.Load(name)
		if err == nil {
			out, _ := tmpl.Generate(nil)
			if strings.Contains(string(out), "SECRET") {
				t.Errorf("%s: read a file outside the root", name)
			}
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: error leaks the file: %v", name, err)
		}
	}
	if _, err := l.Load("../secret.txt"); !errors.Is(err, errEscapesRoot) {
		t.Errorf("../secret.txt: got %v, want errEscapesRoot", err)
	}
}

func TestLoaderCacheAndReset(t *testing.T) {
	files := map[string]string{"a.html": "one"}
	l := NewDictLoader(files)
	t1, err := l.Load("a.html")
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := l.Load("a.html")
	if t1 != t2 {
		t.Error("Load did not cache")
	}
	l.dictMap["a.html"] = "two"
	if got := render(t, mustLoad(t, l, "a.html"), nil); got != "one" {
		t.Errorf("cached template changed: %q", got)
	}
	l.Reset()
	if got := render(t, mustLoad(t, l, "a.html"), nil); got != "two" {
		t.Errorf("after Reset got %q, want two", got)
	}
}

func mustLoad(t *testing.T, l *Loader, name string) *Template {
	t.Helper()
	tmpl, err := l.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func TestLoaderErrors(t *testing.T) {
	l := NewDictLoader(map[string]string{
		"cycle-a.html":    "{% include 'cycle-b.html' %}",
		"cycle-b.html":    "x\n{% include 'cycle-a.html' %}",
		"missing.html":    "\n\n{% include 'nope.html' %}",
		"bad-inc.html":    "{% include 'syntax.html' %}",
		"syntax.html":     "a\n{% if %}{% end %}",
		"self.html":       "{% extends 'self.html' %}",
		"nested-ext.html": "{% if 1 %}{% extends 'x.html' %}{% end %}",
	})
	tests := []struct {
		name string
		want string
	}{
		{"cycle-a.html", "cycle: cycle-a.html -> cycle-b.html -> cycle-a.html"},
		{"missing.html", `include "nope.html": template: loading "nope.html": open nope.html: file does not exist at missing.html:3`},
		{"bad-inc.html", "if missing expression at syntax.html:2"},
		{"self.html", "cycle: self.html -> self.html"},
		{"nested-ext.html", "{% extends %} is only allowed at the top level"},
		{"nothere.html", "file does not exist"},
	}
	for _, tt := range tests {
		_, err := l.Load(tt.name)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := l.Load("nothere.html"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing template: %v is not fs.ErrNotExist", err)
	}
	if _, err := NewDictLoader(nil, Whitespace("bogus")).Load("x"); err == nil {
		t.Error("invalid whitespace option accepted")
	}
	if _, err := New("x", "", Whitespace("bogus")); err == nil {
		t.Error("invalid whitespace option accepted by New")
	}
}

// A compiled template is shared by every goroutine rendering it, and a
// loader by every goroutine loading from it.
func TestConcurrentRendering(t *testing.T) {
	l := NewDictLoader(map[string]string{
		"base.html": "<ul>{% block items %}{% end %}</ul>",
		"page.html": "{% extends 'base.html' %}{% block items %}{% for k, v in d.items() %}<li>{{ k }}={{ v.name }}</li>{% end %}{% for r in rows %}{% for c in r %}{{ c }}{% end %}{% end %}{% end %}",
	})
	type item struct{ Name string }
	v := vars{"d": map[string]item{"b": {"<b>"}, "a": {"a"}}, "rows": []map[string]any{{"x": 1, "y": 2}, {"x": 3, "y": 4}, {"z": 5}}}
	want := "<ul><li>a=a</li><li>b=&lt;b&gt;</li>xyxyz</ul>"
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				tmpl, err := l.Load("page.html")
				if err != nil {
					t.Error(err)
					return
				}
				out, err := tmpl.Generate(v)
				if err != nil || string(out) != want {
					t.Errorf("got %q, %v", out, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
