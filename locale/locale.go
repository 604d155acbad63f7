package locale

import (
	"reflect"
	"strconv"
	"strings"
)

// A Locale translates messages and formats dates, lists and numbers for
// one language. Get returns them; they are immutable and shared.
type Locale struct {
	Code string // "fr_FR", as loaded (or the default locale's code)
	Name string // the language's name in itself ("Français"), "Unknown" if Tornado's table lacks the code
	RTL  bool   // right-to-left script: codes starting with fa, ar or he

	translations catalog
	months       [12]string
	weekdays     [7]string // Monday first, as Python's weekday()
}

var (
	monthNames   = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	weekdayNames = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)

func newLocale(code string, translations catalog) *Locale {
	l := &Locale{Code: code, Name: "Unknown", translations: translations}
	if n, ok := localeNames[code]; ok {
		l.Name = n.Name
	}
	for _, prefix := range []string{"fa", "ar", "he"} {
		if strings.HasPrefix(code, prefix) {
			l.RTL = true
		}
	}
	for i, m := range monthNames {
		l.months[i] = l.Translate(m, "", 0)
	}
	for i, d := range weekdayNames {
		l.weekdays[i] = l.Translate(d, "", 0)
	}
	return l
}

// Translate returns the translation of message in this locale, or message
// itself when there is none. With plural != "" it chooses by count as
// Tornado does: count == 1 looks message up among the "singular" rows,
// any other count looks plural up among the "plural" rows. With plural ""
// the rows without a plural indicator are used and count is ignored.
func (l *Locale) Translate(message, plural string, count int) string {
	kind := "unknown"
	if plural != "" {
		if count != 1 {
			message, kind = plural, "plural"
		} else {
			kind = "singular"
		}
	}
	if t, ok := l.translations[kind][message]; ok {
		return t
	}
	return message
}

// Tr is Translate with Tornado's optional arguments, for a template's _:
// Tr(message) or Tr(message, plural, count), count being any integer.
// Arguments of other shapes are ignored.
func (l *Locale) Tr(message string, pluralAndCount ...any) string {
	if len(pluralAndCount) == 2 {
		plural, ok1 := pluralAndCount[0].(string)
		count, ok2 := asInt(pluralAndCount[1])
		if ok1 && ok2 {
			if count != 1 {
				count = 0 // any count other than 1 picks the plural; avoid int overflow
			}
			return l.Translate(message, plural, int(count))
		}
	}
	return l.Translate(message, "", 0)
}

func asInt(v any) (int64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if rv.Uint() == 1 {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// PGettext is Translate with a context, as Tornado's pgettext; CSV
// translations have no contexts, so the context is ignored as in
// Tornado's CSVLocale.
func (l *Locale) PGettext(context, message, plural string, count int) string {
	return l.Translate(message, plural, count)
}

// List joins parts as "A, B and C" ("A and B", "A", "" for none), the
// " and " coming from the translation of "%(commas)s and %(last)s". Persian
// locales separate with " و " instead of ", ".
func (l *Locale) List(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	comma := ", "
	if strings.HasPrefix(l.Code, "fa") {
		comma = " \u0648 "
	}
	return interpolate(l.Translate("%(commas)s and %(last)s", "", 0), map[string]string{
		"commas": strings.Join(parts[:len(parts)-1], comma),
		"last":   parts[len(parts)-1],
	})
}

// FriendlyNumber writes n with thousands separated by commas in English
// locales (en, en_US): 1234567 → "1,234,567"; other locales get plain
// digits, as Tornado.
func (l *Locale) FriendlyNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	if l.Code != "en" && l.Code != "en_US" {
		return s
	}
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(s[:first])
	for i := first; i < len(s); i += 3 {
		b.WriteByte(',')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
