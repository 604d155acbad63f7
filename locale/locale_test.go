package locale_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"testing/fstest"
	"unicode/utf16"

	"github.com/tornago/tornago/locale"
)

func TestMain(m *testing.M) {
	locale.SetLogger(slog.New(slog.DiscardHandler))
	os.Exit(m.Run())
}

func TestSkippedRowsAreLogged(t *testing.T) {
	var buf bytes.Buffer
	locale.SetLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	defer locale.SetLogger(slog.New(slog.DiscardHandler))
	useTranslations(t, "testdata/plural")
	for _, want := range []string{"locale=not-a-locale path=testdata/plural/not-a-locale.csv", "indicator=dual file=fr.csv line=14"} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

// useTranslations loads dir for one test and restores an empty catalogue
// and the default locale afterwards (the state is process-wide).
func useTranslations(t *testing.T, dir string) {
	t.Helper()
	if err := locale.LoadTranslations(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		locale.SetDefault(locale.DefaultCode)
		if err := locale.LoadTranslations(t.TempDir()); err != nil {
			t.Error(err)
		}
	})
}

// Tornado's test_csv.
func TestCSV(t *testing.T) {
	useTranslations(t, "testdata/csv_translations")
	l := locale.Get("fr_FR")
	if l.Code != "fr_FR" || l.Translate("school", "", 0) != "\u00e9cole" {
		t.Errorf("Get(fr_FR) = %s, school → %q", l.Code, l.Translate("school", "", 0))
	}
}

// Tornado's test_csv_bom: the same file as UTF-8 with a BOM and as UTF-16
// in both byte orders.
func TestCSVBOM(t *testing.T) {
	text := "\"school\",\"\u00e9cole\"\n"
	u16 := utf16.Encode([]rune(text))
	le, be := []byte{0xff, 0xfe}, []byte{0xfe, 0xff}
	for _, u := range u16 {
		le = append(le, byte(u), byte(u>>8))
		be = append(be, byte(u>>8), byte(u))
	}
	for name, data := range map[string][]byte{
		"utf-8-sig": append([]byte{0xef, 0xbb, 0xbf}, text...),
		"utf-16-le": le,
		"utf-16-be": be,
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "fr_FR.csv"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		useTranslations(t, dir)
		if got := locale.Get("fr_FR").Translate("school", "", 0); got != "\u00e9cole" {
			t.Errorf("%s: school → %q", name, got)
		}
	}
}

func TestLoadTranslationsRules(t *testing.T) {
	useTranslations(t, "testdata/plural")
	if got, want := locale.Supported(), []string{"de_DE", "en_US", "fr"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Supported() = %v, want %v (not-a-locale.csv and README.txt skipped)", got, want)
	}
	fr := locale.Get("fr")
	tests := []struct {
		message, plural string
		count           int
		want            string
	}{
		{"school", "", 0, "\u00e9cole"},
		{"%(name)s liked this", "%(name)s liked these", 1, "%(name)s a aim\u00e9 ceci"},
		{"%(name)s liked this", "%(name)s liked these", 2, "%(name)s ont aim\u00e9 ceci"},
		{"%(name)s liked this", "%(name)s liked these", 0, "%(name)s ont aim\u00e9 ceci"},
		{"%(name)s liked this", "", 0, "%(name)s liked this"}, // singular row is not the unknown kind
		{"March", "", 0, "mars"},                  // "unknown" indicator
		{"bad indicator", "", 0, "bad indicator"}, // row with indicator "dual" skipped
		{"only one column", "", 0, "only one column"},
		{`"  padded  "`, "", 0, "\"  rembourr\u00e9  \""}, // a quote after spaces is data, cells trimmed
		{"untranslated", "", 0, "untranslated"},
	}
	for _, tc := range tests {
		if got := fr.Translate(tc.message, tc.plural, tc.count); got != tc.want {
			t.Errorf("Translate(%q, %q, %d) = %q, want %q", tc.message, tc.plural, tc.count, got, tc.want)
		}
	}
	if got := fr.Tr("%(name)s liked this", "%(name)s liked these", int64(3)); got != "%(name)s ont aim\u00e9 ceci" {
		t.Errorf("Tr plural = %q", got)
	}
	if got := fr.Tr("school"); got != "\u00e9cole" {
		t.Errorf("Tr = %q", got)
	}
	if got := fr.PGettext("education", "school", "", 0); got != "\u00e9cole" {
		t.Errorf("PGettext = %q", got)
	}
}

func TestLoadTranslationsFS(t *testing.T) {
	fsys := fstest.MapFS{
		"i18n/es_LA.csv":  {Data: []byte("\"I love you\",\"Te amo\"\r\n")},
		"i18n/pt_BR.csv":  {Data: []byte("Hello,Ol\u00e1\n")},
		"i18n/notes.md":   {Data: []byte("x")},
		"i18n/sub/x.csv":  {Data: []byte("a,b")},
		"other/de_DE.csv": {Data: []byte("a,b")},
	}
	if err := locale.LoadTranslationsFS(fsys, "i18n"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = locale.LoadTranslations(t.TempDir()) })
	if got := locale.Get("es-la").Translate("I love you", "", 0); got != "Te amo" {
		t.Errorf("es_LA: %q", got)
	}
	if got := locale.Get("pt_BR").Translate("Hello", "", 0); got != "Ol\u00e1" {
		t.Errorf("pt_BR: %q", got)
	}
	if got, want := locale.Supported(), []string{"en_US", "es_LA", "pt_BR"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Supported() = %v, want %v", got, want)
	}
}

func TestLoadTranslationsErrors(t *testing.T) {
	if err := locale.LoadTranslations(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("loading a missing directory succeeded")
	}
	bad := fstest.MapFS{"fr.csv": {Data: []byte("\"a\",\"\xff\"\n")}}
	if err := locale.LoadTranslationsFS(bad, "."); err == nil {
		t.Error("loading invalid UTF-8 succeeded")
	}
	odd := fstest.MapFS{"fr.csv": {Data: []byte{0xff, 0xfe, 'a'}}}
	if err := locale.LoadTranslationsFS(odd, "."); err == nil {
		t.Error("loading truncated UTF-16 succeeded")
	}
	if got := locale.Supported(); !reflect.DeepEqual(got, []string{"en_US"}) {
		t.Errorf("a failed load replaced the translations: %v", got)
	}
}

// Tornado's Locale.get_closest, code by code.
func TestGetClosest(t *testing.T) {
	useTranslations(t, "testdata/plural") // fr, de_DE
	tests := []struct {
		codes []string
		want  string
	}{
		{nil, "en_US"},
		{[]string{"fr"}, "fr"},
		{[]string{"fr_FR"}, "fr"},    // language of an unsupported region
		{[]string{"FR"}, "fr"},       // one part: only the language is lower-cased
		{[]string{"de_DE"}, "de_DE"}, // exact
		{[]string{"de-de"}, "de_DE"}, // '-' and case normalised
		{[]string{"de"}, "en_US"},    // "de" alone is not supported, and no region is guessed
		{[]string{"de_AT"}, "en_US"}, // nor is a sibling region
		{[]string{"", "xx", "de_DE"}, "de_DE"},
		{[]string{"fr_FR_x", "de_DE"}, "de_DE"}, // three parts skipped
		{[]string{"en_US", "fr"}, "en_US"},      // the default is always supported
		{[]string{"ja"}, "en_US"},
	}
	for _, tc := range tests {
		if got := locale.Get(tc.codes...).Code; got != tc.want {
			t.Errorf("Get(%q) = %s, want %s", tc.codes, got, tc.want)
		}
	}
	locale.SetDefault("de_DE")
	if got := locale.Get("ja").Code; got != "de_DE" {
		t.Errorf("after SetDefault(de_DE), Get(ja) = %s", got)
	}
	if first, again := locale.Get("fr"), locale.Get("fr"); first != again {
		t.Error("Get does not cache locales")
	}
}

// Tornado's LocaleDataTest.test_non_ascii_name and the RTL rule.
func TestNamesAndRTL(t *testing.T) {
	if n, ok := locale.NameOf("es_LA"); !ok || n.Name != "Espa\u00f1ol" || n.NameEn != "Spanish" {
		t.Errorf("NameOf(es_LA) = %+v, %v", n, ok)
	}
	if len(locale.Names()) != 62 {
		t.Errorf("Names() has %d entries, Tornado's table 62", len(locale.Names()))
	}
	dir := t.TempDir()
	for _, code := range []string{"fa_IR", "ar_AR", "he_IL", "es_LA", "xx"} {
		if err := os.WriteFile(filepath.Join(dir, code+".csv"), []byte("a,b\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	useTranslations(t, dir)
	for code, rtl := range map[string]bool{"fa_IR": true, "ar_AR": true, "he_IL": true, "es_LA": false, "en_US": false} {
		if l := locale.Get(code); l.RTL != rtl {
			t.Errorf("%s.RTL = %v", code, l.RTL)
		}
	}
	if got := locale.Get("es_LA").Name; got != "Espa\u00f1ol" {
		t.Errorf("es_LA name = %q", got)
	}
	if got := locale.Get("xx").Name; got != "Unknown" {
		t.Errorf("xx name = %q", got)
	}
}

func TestParseAcceptLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   []string
	}{
		{"", nil},
		{"fr-FR;q=0.9", []string{"fr-FR"}},
		{"fr-FR; q=0.9", []string{"fr-FR"}},
		{"fr-FR;q=0", nil},  // zero drops the entry
		{"fr-FR;q=-1", nil}, // negative counts as zero
		{"fr-FR;q=abc", nil},
		{"fr-FR;q=nan", nil},
		{"fr-FR;q=0x1p-1", nil},                      // Python's float() reads no hex
		{"fr-FR;q=1_0, de", []string{"fr-FR", "de"}}, // but does read digit separators
		{"da, en-gb;q=0.8, en;q=0.7", []string{"da", "en-gb", "en"}},
		{"en;q=0.5, fr, de;q=0.9, es", []string{"fr", "es", "de", "en"}}, // stable for equal scores
		{"en;level=1;q=0.1, fr;q=0.5", []string{"en", "fr"}},             // only the first parameter is read
		{" ja ;q=0.3 , ,ko", []string{"ko", "ja "}},                      // codes as written; empty ones dropped
		{"*", []string{"*"}},
		{"de;q=inf, fr", []string{"de", "fr"}},
	}
	for _, tc := range tests {
		if got := locale.ParseAcceptLanguage(tc.header); !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("ParseAcceptLanguage(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

// Tornado's AcceptLanguageTest, through Get.
func TestAcceptLanguageChoosesLocale(t *testing.T) {
	useTranslations(t, "testdata/csv_translations")
	for header, want := range map[string]string{
		"fr-FR;q=0.9":  "fr_FR",
		"fr-FR; q=0.9": "fr_FR",
		"fr-FR;q=0":    "en_US",
		"fr-FR;q=-1":   "en_US",
	} {
		if got := locale.Get(locale.ParseAcceptLanguage(header)...).Code; got != want {
			t.Errorf("Accept-Language %q → %s, want %s", header, got, want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	useTranslations(t, "testdata/plural")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if i == 0 {
					_ = locale.LoadTranslations("testdata/plural")
				}
				l := locale.Get("fr", "de_DE")
				_ = l.Translate("school", "", 0)
				_ = locale.Supported()
			}
		}()
	}
	wg.Wait()
}
