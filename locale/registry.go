package locale

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultCode is the locale Tornado assumes its source strings are written
// in, and the one Get falls back to.
const DefaultCode = "en_US"

// catalog maps a plural kind ("singular", "plural", "unknown") to the
// translations of one locale for that kind, keyed by the English text.
type catalog map[string]map[string]string

// registry is the process-wide state Tornado keeps in module globals.
var registry = struct {
	sync.RWMutex
	defaultCode  string
	translations map[string]catalog
	cache        map[string]*Locale
}{
	defaultCode:  DefaultCode,
	translations: map[string]catalog{},
	cache:        map[string]*Locale{},
}

// logger receives the complaints about skipped files and rows.
var logger atomic.Pointer[slog.Logger]

// SetLogger sets where LoadTranslations reports the files and rows it
// skips (Tornado logs them as errors); nil means slog.Default().
func SetLogger(l *slog.Logger) {
	logger.Store(l)
}

func logf() *slog.Logger {
	if l := logger.Load(); l != nil {
		return l
	}
	return slog.Default()
}

// localeFileName is the pattern a translation file's name (without .csv)
// must match, as Tornado requires: "fr", "fr_FR", "zh_CN".
var localeFileName = regexp.MustCompile(`^[a-z]+(_[A-Z]+)?$`)

// LoadTranslations replaces the loaded translations with the LOCALE.csv
// files in dir (see LoadTranslationsFS).
func LoadTranslations(dir string) error {
	if err := loadTranslations(os.DirFS(dir), ".", dir); err != nil {
		return fmt.Errorf("locale: loading %s: %w", dir, err)
	}
	return nil
}

// LoadTranslationsFS replaces the loaded translations with the LOCALE.csv
// files in directory dir of fsys, for translations embedded with go:embed.
//
// As Tornado: a file whose name is not a locale code ("[a-z]+(_[A-Z]+)?")
// and a row whose third column is not "singular", "plural", "unknown" or
// empty are skipped and logged with log/slog; rows with fewer than two
// columns are ignored; cells are trimmed. A file starting with a UTF-16
// byte-order mark is read as UTF-16, anything else as UTF-8 with an
// optional BOM. An unreadable or undecodable file is an error, and then
// nothing is replaced.
func LoadTranslationsFS(fsys fs.FS, dir string) error {
	if err := loadTranslations(fsys, dir, dir); err != nil {
		return fmt.Errorf("locale: loading %s: %w", dir, err)
	}
	return nil
}

// loadTranslations loads directory dir of fsys; shown is how log lines
// name that directory.
func loadTranslations(fsys fs.FS, dir, shown string) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return err
	}
	loaded := map[string]catalog{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".csv") {
			continue
		}
		code := strings.TrimSuffix(name, ".csv")
		if !localeFileName.MatchString(code) {
			logf().Error("locale: unrecognized locale", "locale", code, "path", joinPath(shown, name))
			continue
		}
		data, err := fs.ReadFile(fsys, joinPath(dir, name))
		if err != nil {
			return err
		}
		cat, err := parseCSV(name, data)
		if err != nil {
			return err
		}
		loaded[code] = cat
	}
	registry.Lock()
	registry.translations = loaded
	registry.cache = map[string]*Locale{}
	registry.Unlock()
	logf().Debug("locale: supported locales", "codes", Supported())
	return nil
}

func joinPath(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return strings.TrimSuffix(dir, "/") + "/" + name
}

// SetDefault sets the locale Get falls back to, which is also the language
// of the untranslated source strings (so it needs no translation file).
func SetDefault(code string) {
	registry.Lock()
	registry.defaultCode = code
	registry.Unlock()
}

// Supported returns the codes of the loaded translations plus the default
// locale, sorted.
func Supported() []string {
	registry.RLock()
	defer registry.RUnlock()
	codes := make([]string, 0, len(registry.translations)+1)
	for code := range registry.translations {
		codes = append(codes, code)
	}
	if _, ok := registry.translations[registry.defaultCode]; !ok {
		codes = append(codes, registry.defaultCode)
	}
	slices.Sort(codes)
	return codes
}

// supportedLocked reports whether code has translations or is the default.
func supportedLocked(code string) bool {
	_, ok := registry.translations[code]
	return ok || code == registry.defaultCode
}

// Get returns the closest supported locale to the given codes, as
// Tornado's locale.get: for each code in turn (empty ones skipped, '-'
// read as '_', codes of more than two parts skipped), the exact locale
// ("fr_fr" is normalised to "fr_FR") if supported, else its language alone
// ("fr") if that is supported; the default locale if no code matches.
// The result is cached and shared.
func Get(codes ...string) *Locale {
	registry.RLock()
	code := closestLocked(codes)
	l := registry.cache[code]
	registry.RUnlock()
	if l != nil {
		return l
	}
	registry.Lock()
	defer registry.Unlock()
	code = closestLocked(codes) // translations may have changed meanwhile
	if l := registry.cache[code]; l != nil {
		return l
	}
	l = newLocale(code, registry.translations[code])
	registry.cache[code] = l
	return l
}

func closestLocked(codes []string) string {
	for _, code := range codes {
		if code == "" {
			continue
		}
		code = strings.ReplaceAll(code, "-", "_")
		parts := strings.Split(code, "_")
		if len(parts) > 2 {
			continue
		}
		if len(parts) == 2 {
			code = strings.ToLower(parts[0]) + "_" + strings.ToUpper(parts[1])
		}
		if supportedLocked(code) {
			return code
		}
		if lang := strings.ToLower(parts[0]); supportedLocked(lang) {
			return lang
		}
	}
	return registry.defaultCode
}

// A LocaleName is one entry of Tornado's LOCALE_NAMES table.
type LocaleName struct {
	NameEn string // the language's name in English: "Spanish"
	Name   string // its name in itself: "Español"
}

// Names returns a copy of Tornado's LOCALE_NAMES table: the 62 locale
// codes it names, for building a language picker.
func Names() map[string]LocaleName {
	out := make(map[string]LocaleName, len(localeNames))
	for code, n := range localeNames {
		out[code] = n
	}
	return out
}

// NameOf returns the LOCALE_NAMES entry for code.
func NameOf(code string) (LocaleName, bool) {
	n, ok := localeNames[code]
	return n, ok
}
