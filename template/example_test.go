package template_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tornago/tornago/template"
)

func ExampleNew() {
	t, err := template.New("hello.html", "<b>{{ name.upper() }}</b> has {{ len(items) }} items")
	if err != nil {
		panic(err)
	}
	out, err := t.Generate(map[string]any{"name": "ben & jerry", "items": []string{"a", "b"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output: <b>BEN &amp; JERRY</b> has 2 items
}

func ExampleTemplate_Execute() {
	t, _ := template.New("list.txt", "{% for i, x in enumerate(xs, 1) %}{{ i }}. {{ x }}\n{% end %}")
	_ = t.Execute(os.Stdout, map[string]any{"xs": []string{"one", "two"}})
	// Output:
	// 1. one
	// 2. two
}

func ExampleNewDictLoader() {
	l := template.NewDictLoader(map[string]string{
		"base.html":       "<title>{% block title %}Site{% end %}</title>{% block body %}{% end %}",
		"page.html":       `{% extends "base.html" %}{% block title %}{{ title }}{% end %}{% block body %}<p>{% include "parts/note.html" %}</p>{% end %}`,
		"parts/note.html": "note for {{ title }}",
	})
	t, err := l.Load("page.html")
	if err != nil {
		panic(err)
	}
	out, _ := t.Generate(map[string]any{"title": "Home"})
	fmt.Println(string(out))
	// Output: <title>Home</title><p>note for Home</p>
}

// Struct fields and methods are reached by their snake_case names, and
// keyword arguments fill a function's options struct.
func ExampleTemplate_Generate_goValues() {
	type Author struct{ FullName string }
	type Entry struct {
		Title     string
		AuthorID  int
		Published time.Time
		Author    Author
	}
	type CutOptions struct{ MaxLen int }
	cut := func(s string, opts ...CutOptions) string {
		if len(opts) > 0 && len(s) > opts[0].MaxLen {
			return s[:opts[0].MaxLen] + "..."
		}
		return s
	}
	t, _ := template.New("entry.html", `{{ cut(entry.title, max_len=5) }} #{{ entry.author_id }} by {{ entry.author.full_name }}, {{ entry.published.strftime("%B %d, %Y") }}`)
	out, err := t.Generate(map[string]any{
		"cut":   cut,
		"entry": Entry{Title: "Hello, world", AuthorID: 7, Published: time.Date(2020, 3, 4, 0, 0, 0, 0, time.UTC), Author: Author{"Ada"}},
	})
	fmt.Println(string(out), err)
	// Output: Hello... #7 by Ada, March 04, 2020 <nil>
}

func ExampleRenderError() {
	l := template.NewDictLoader(map[string]string{
		"base.html":  "<body>\n{% block body %}{% end %}</body>",
		"entry.html": "{% extends 'base.html' %}\n{% block body %}\n{{ entry.title }}\n{% end %}",
	})
	t, _ := l.Load("entry.html")
	_, err := t.Generate(map[string]any{"entry": map[string]any{}})
	fmt.Println(err)
	// Output: template: entry.html:3 (via base.html:2): {{ entry.title }}: AttributeError: map has no key 'title'
}

func ExampleParseError() {
	_, err := template.New("page.html", "<ul>\n{% for x in xs %}\n<li>{{ x }}</li>\n")
	fmt.Println(err)
	// Output: Missing {% end %} block for for at page.html:3
}

func ExampleAutoescape() {
	t, _ := template.New("x.txt", "{{ s }} {% raw s %}", template.Autoescape("shout"))
	out, _ := t.Generate(map[string]any{"s": "hi", "shout": strings.ToUpper})
	fmt.Println(string(out))
	// Output: HI hi
}

func ExampleWhitespace() {
	t, _ := template.New("x.txt", "a   b\n\n\n  c\t\td", template.Whitespace("single"))
	out, _ := t.Generate(nil)
	fmt.Printf("%q\n", out)
	// Output: "a b\nc d"
}
