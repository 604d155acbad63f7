package httputil

import (
	"iter"
	"strings"
)

// field is one header line: a canonical name and its value.
type field struct {
	name, value string
}

// Headers is an ordered list of header fields, Tornado's HTTPHeaders: names
// are case-insensitive and kept in Http-Header-Case, a name may have several
// values, and the order of arrival is kept (it is the order written back).
//
// The zero value is an empty Headers ready to use. There is no map: lookups
// scan the fields with an ASCII case fold, which for the dozen fields of a
// real request is faster than hashing and allocates nothing. A server keeps
// one Headers per connection and calls Reset between requests; Add, Get, Has
// and Reset then allocate nothing once the capacity suffices and the names
// are canonical.
//
// Headers does not validate names or values (Add cannot fail). ParseHeaders
// does; so does CheckField, for anyone adding untrusted fields.
type Headers struct {
	fields []field
}

// Add appends a value for name, after any values it already has. The name
// is stored in canonical form (see CanonicalName).
func (h *Headers) Add(name, value string) {
	h.fields = append(h.fields, field{CanonicalName(name), value})
}

// Set replaces every value of name by value. The field keeps the position
// of the first value it had; a new name goes last.
func (h *Headers) Set(name, value string) {
	for i := range h.fields {
		if equalFold(h.fields[i].name, name) {
			h.fields[i].value = value
			h.delFrom(i+1, name)
			return
		}
	}
	h.Add(name, value)
}

// SetDefault adds value for name unless name already has a value, and
// returns the value name has afterwards (Tornado's setdefault).
func (h *Headers) SetDefault(name, value string) string {
	if v, ok := h.Lookup(name); ok {
		return v
	}
	h.Add(name, value)
	return value
}

// Get returns the values of name joined with "," (no space, as Tornado), or
// "" if it has none. A single value is returned as is, without allocating.
func (h *Headers) Get(name string) string {
	v, _ := h.Lookup(name)
	return v
}

// Lookup is Get that also reports whether name is present, telling an empty
// value from a missing field.
func (h *Headers) Lookup(name string) (string, bool) {
	first := -1
	for i := range h.fields {
		if !equalFold(h.fields[i].name, name) {
			continue
		}
		if first >= 0 {
			return h.join(first, name), true
		}
		first = i
	}
	if first < 0 {
		return "", false
	}
	return h.fields[first].value, true
}

// join concatenates the values of name from index first on, with ",".
func (h *Headers) join(first int, name string) string {
	var b strings.Builder
	n := 0
	for _, f := range h.fields[first:] {
		if equalFold(f.name, name) {
			n += len(f.value) + 1
		}
	}
	b.Grow(n)
	sep := false
	for _, f := range h.fields[first:] {
		if equalFold(f.name, name) {
			if sep {
				b.WriteByte(',')
			}
			b.WriteString(f.value)
			sep = true
		}
	}
	return b.String()
}

// Values returns every value of name in order (Tornado's get_list), or nil.
// It allocates the slice.
func (h *Headers) Values(name string) []string {
	var vs []string
	for _, f := range h.fields {
		if equalFold(f.name, name) {
			vs = append(vs, f.value)
		}
	}
	return vs
}

// Has reports whether name has at least one value.
func (h *Headers) Has(name string) bool {
	for i := range h.fields {
		if equalFold(h.fields[i].name, name) {
			return true
		}
	}
	return false
}

// Del removes every value of name, keeping the order of the other fields.
func (h *Headers) Del(name string) { h.delFrom(0, name) }

// delFrom removes the fields named name at index from or later.
func (h *Headers) delFrom(from int, name string) {
	out := from
	for i := from; i < len(h.fields); i++ {
		if equalFold(h.fields[i].name, name) {
			continue
		}
		h.fields[out] = h.fields[i]
		out++
	}
	clear(h.fields[out:])
	h.fields = h.fields[:out]
}

// Len returns the number of fields, counting each value of a repeated name.
func (h *Headers) Len() int { return len(h.fields) }

// All yields every (name, value) pair in order, repeated names once per
// value (Tornado's get_all). The headers must not change during iteration.
func (h *Headers) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, f := range h.fields {
			if !yield(f.name, f.value) {
				return
			}
		}
	}
}

// Names returns the distinct names in order of first appearance.
func (h *Headers) Names() []string {
	var names []string
outer:
	for _, f := range h.fields {
		for _, n := range names {
			if n == f.name {
				continue outer
			}
		}
		names = append(names, f.name)
	}
	return names
}

// Reset removes every field but keeps the capacity, so that a connection
// can reuse one Headers for all its requests without allocating. It also
// drops the references to the old strings.
func (h *Headers) Reset() {
	clear(h.fields)
	h.fields = h.fields[:0]
}

// Clone returns an independent copy. Names and values are copied into one
// fresh buffer, so the copy stays valid when the original's strings were
// views into a buffer that is reused afterwards (as the server's are).
func (h *Headers) Clone() Headers {
	if len(h.fields) == 0 {
		return Headers{}
	}
	n := 0
	for _, f := range h.fields {
		n += len(f.name) + len(f.value)
	}
	buf := make([]byte, 0, n)
	for _, f := range h.fields {
		buf = append(buf, f.name...)
		buf = append(buf, f.value...)
	}
	all := string(buf)
	fields := make([]field, len(h.fields))
	off := 0
	for i, f := range h.fields {
		fields[i].name = all[off : off+len(f.name)]
		off += len(f.name)
		fields[i].value = all[off : off+len(f.value)]
		off += len(f.value)
	}
	return Headers{fields: fields}
}

// AppendTo appends the fields in wire form, one "Name: value\r\n" line each,
// in order, and returns the extended slice. It writes no final blank line.
func (h *Headers) AppendTo(dst []byte) []byte {
	for _, f := range h.fields {
		dst = append(dst, f.name...)
		dst = append(dst, ':', ' ')
		dst = append(dst, f.value...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

// String returns the fields as "Name: value\n" lines, Tornado's str(headers).
func (h *Headers) String() string {
	var b strings.Builder
	for _, f := range h.fields {
		b.WriteString(f.name)
		b.WriteString(": ")
		b.WriteString(f.value)
		b.WriteByte('\n')
	}
	return b.String()
}
