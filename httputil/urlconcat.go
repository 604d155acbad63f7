package httputil

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// URLConcat adds query arguments to a URL whether or not it already has a
// query, Tornado's url_concat:
//
//	URLConcat("http://e.com/p?a=1#f", map[string]string{"b": "x y"})
//	→ "http://e.com/p?a=1&b=x+y#f"
//
// args may be nil (u is returned unchanged), url.Values or
// map[string][]string, map[string]string, map[string]any (values formatted
// with fmt.Sprint, for templates), or an ordered list of pairs: [][2]string
// or [][]string (each of length 2). Maps are added in sorted key order, since
// Go maps have none; lists in their order, repeats kept. Another type
// returns u unchanged.
//
// As in Tornado, the existing query is re-encoded: its fields are split on
// "&", decoded and encoded again the way url.QueryEscape does, and a field
// without "=" gains one ("?x" → "?x="). The fragment is kept. An empty
// query loses its "?".
func URLConcat(u string, args any) string {
	var pairs [][2]string
	switch a := args.(type) {
	case nil:
		return u
	case url.Values:
		pairs = valuesPairs(a)
	case map[string][]string:
		pairs = valuesPairs(a)
	case map[string]string:
		for _, k := range sortedKeys(a) {
			pairs = append(pairs, [2]string{k, a[k]})
		}
	case map[string]any:
		for _, k := range sortedKeys(a) {
			pairs = append(pairs, [2]string{k, fmt.Sprint(a[k])})
		}
	case [][2]string:
		pairs = a
	case [][]string:
		for _, p := range a {
			if len(p) != 2 {
				return u
			}
			pairs = append(pairs, [2]string{p[0], p[1]})
		}
	default:
		return u
	}
	base, fragment, hasFragment := strings.Cut(u, "#")
	base, query, _ := strings.Cut(base, "?")
	var b strings.Builder
	b.WriteString(base)
	sep := byte('?')
	add := func(k, v string) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	for query != "" {
		var field string
		field, query, _ = strings.Cut(query, "&")
		if field == "" {
			continue
		}
		k, v, _ := strings.Cut(field, "=")
		add(unescapeForm(k), unescapeForm(v))
	}
	for _, p := range pairs {
		add(p[0], p[1])
	}
	if hasFragment {
		b.WriteByte('#')
		b.WriteString(fragment)
	}
	return b.String()
}

func valuesPairs(v map[string][]string) [][2]string {
	var pairs [][2]string
	for _, k := range sortedKeys(v) {
		for _, x := range v[k] {
			pairs = append(pairs, [2]string{k, x})
		}
	}
	return pairs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
