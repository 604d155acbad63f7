// Package locale is Tornado's tornado.locale: translations loaded from CSV
// files, the choice of the closest supported locale, and dates, lists and
// numbers formatted the way Tornado formats them ("2 minutes ago",
// "yesterday at 3:06 pm", "A, B and C", "1,234,567").
//
// Translations are process-wide, as in Tornado: load them once at start-up,
// then ask for locales from any goroutine. A *Locale is immutable.
//
//	if err := locale.LoadTranslations("translations"); err != nil { ... } // es_LA.csv, fr_FR.csv ...
//	l := locale.Get(locale.ParseAcceptLanguage(r.Header.Get("Accept-Language"))...)
//	l.Translate("Sign out", "", 0)
//	l.FormatDate(post.Published) // "3 hours ago"
//
// A translation file is named for its locale (fr_FR.csv, es.csv) and holds
// rows "english","translation" with an optional third column "singular" or
// "plural" (empty or "unknown" for a message without plural forms):
//
//	"school","école"
//	"%(name)s liked this","A %(name)s les gustó esto","plural"
//	"%(name)s liked this","A %(name)s le gustó esto","singular"
package locale
