// Package template holds the bigtable benchmark: the page of Tornado's own
// template benchmark (maint/benchmark/template_benchmark.py, after Armin
// Ronacher's Jinja2 bench), rendered by html/template, pongo2, jet and
// tornago's template package, each from the same data, each writing the same
// bytes. Tornado's own time on the page comes from tornado_bigtable.py.
//
// The page is a title, a three-link navigation list and a table of 1000 rows.
// Each row is a map of ten entries {a: 1, ..., j: 10}, and, because Tornado's
// template iterates a dict's keys, each cell shows a key: 10,000 cells "a" to
// "j". Whitespace is kept as written (Tornado's mode "all"), so the page is
// 343,471 bytes with "'" escaped as "&#39;".
//
//	go test -run '^$' -bench Bigtable -benchmem ./template/
//	go test -tags tornagotemplate -run '^$' -bench Bigtable -benchmem ./template/
//
// The tornago benchmark sits behind the tornagotemplate build tag, so the
// others run before tornago's template package exists; bench/run.sh sets the
// tag when ../template is there.
package template

import (
	_ "embed"
	"strings"
)

// Rows and Columns are the table's size in Tornado's benchmark.
const (
	Rows    = 1000
	Columns = 10
)

// PageTitle is the page's title; its apostrophe exercises escaping.
const PageTitle = "mitsuhiko's benchmark"

// TornadoSource is the page in Tornado's template syntax, byte for byte what
// Tornado's benchmark compiles (its Python string's line continuations
// joined). tornado_bigtable.py reads the same file.
//
//go:embed bigtable.tornado.html
var TornadoSource string

// Nav is the navigation list, which Tornado's page writes as a literal list
// of tuples; the Go engines, which have no tuple literals, get it as data.
var Nav = []map[string]string{
	{"href": "index.html", "caption": "Index"},
	{"href": "downloads.html", "caption": "Downloads"},
	{"href": "products.html", "caption": "Products"},
}

// Table returns the 1000 rows of ten-entry maps every engine renders.
func Table() []map[string]any {
	table := make([]map[string]any, Rows)
	for i := range table {
		row := make(map[string]any, Columns)
		for c := range Columns {
			row[string(rune('a'+c))] = c + 1
		}
		table[i] = row
	}
	return table
}

// Expected builds the page every engine must write, with apos as the
// escaped form of "'" ("&#39;" for Go's engines and Tornado 6.2, "&#x27;"
// for Tornado 6.5 and tornago).
func Expected(apos string) string {
	title := strings.ReplaceAll(PageTitle, "'", apos)
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html>\n  <head>\n    <title>" + title + "</title>\n  </head>\n  <body>\n")
	b.WriteString("    <div class=\"header\">\n      <h1>" + title + "</h1>\n    </div>\n    <ul class=\"navigation\">\n    ")
	for _, n := range Nav {
		b.WriteString("\n      <li><a href=\"" + n["href"] + "\">" + n["caption"] + "</a></li>\n    ")
	}
	b.WriteString("\n    </ul>\n    <div class=\"table\">\n      <table>\n      ")
	for range Rows {
		b.WriteString("\n        <tr>\n        ")
		for c := range Columns {
			b.WriteString("\n          <td>" + string(rune('a'+c)) + "</td>\n        ")
		}
		b.WriteString("\n        </tr>\n      ")
	}
	b.WriteString("\n      </table>\n    </div>\n  </body>\n</html>")
	return b.String()
}
