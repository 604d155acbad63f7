package locale

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// parseCSV reads one translation file as Tornado's load_translations does.
func parseCSV(name string, data []byte) (catalog, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1 // rows may have two or three columns (or more, ignored)
	r.LazyQuotes = true    // Python's csv module is lenient about stray quotes
	cat := catalog{}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(row) < 2 {
			continue
		}
		for i := range row {
			row[i] = strings.TrimFunc(row[i], isPySpace)
		}
		english, translation := row[0], row[1]
		plural := "unknown"
		if len(row) > 2 && row[2] != "" {
			plural = row[2]
		}
		if plural != "plural" && plural != "singular" && plural != "unknown" {
			line, _ := r.FieldPos(0)
			logf().Error("locale: unrecognized plural indicator", "indicator", plural, "file", name, "line", line)
			continue
		}
		if cat[plural] == nil {
			cat[plural] = map[string]string{}
		}
		cat[plural][english] = translation
	}
	return cat, nil
}

// decodeText turns a file's bytes into text: UTF-16 when it starts with a
// UTF-16 byte-order mark, otherwise UTF-8 with an optional BOM (Python's
// "utf-8-sig"), as Tornado sniffs.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return decodeUTF16(data[2:], true)
	}
	data = bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf})
	if !utf8.Valid(data) {
		return "", errors.New("not valid UTF-8")
	}
	return string(data), nil
}

func decodeUTF16(data []byte, bigEndian bool) (string, error) {
	if len(data)%2 != 0 {
		return "", errors.New("truncated UTF-16 data")
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			units[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	var b strings.Builder
	b.Grow(len(units))
	for i := 0; i < len(units); i++ {
		u := rune(units[i])
		if !utf16.IsSurrogate(u) {
			b.WriteRune(u)
			continue
		}
		if i+1 < len(units) {
			if r := utf16.DecodeRune(u, rune(units[i+1])); r != utf8.RuneError {
				b.WriteRune(r)
				i++
				continue
			}
		}
		return "", errors.New("invalid UTF-16 (unpaired surrogate)")
	}
	return b.String(), nil
}

// isPySpace is Python's str.isspace, which str.strip trims: Go's
// unicode.IsSpace plus the separators U+001C to U+001F.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || 0x1c <= r && r <= 0x1f
}
