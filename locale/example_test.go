package locale_test

import (
	"fmt"
	"testing/fstest"
	"time"

	"github.com/tornago/tornago/locale"
)

func ExampleLoadTranslationsFS() {
	files := fstest.MapFS{ // or an embed.FS
		"i18n/es_LA.csv": {Data: []byte(`"I love you","Te amo"
"%(name)s liked this","A %(name)s les gustó esto","plural"
"%(name)s liked this","A %(name)s le gustó esto","singular"
`)},
	}
	if err := locale.LoadTranslationsFS(files, "i18n"); err != nil {
		fmt.Println(err)
	}
	es := locale.Get("es-LA")
	fmt.Println(es.Code, es.Name)
	fmt.Println(es.Translate("I love you", "", 0))
	fmt.Println(es.Translate("%(name)s liked this", "%(name)s liked this", 1))
	fmt.Println(locale.Supported())
	// Output:
	// es_LA Español
	// Te amo
	// A %(name)s le gustó esto
	// [en_US es_LA]
}

func ExampleParseAcceptLanguage() {
	fmt.Println(locale.ParseAcceptLanguage("fr-CA;q=0.8, en-US, de;q=0, es;q=0.9"))
	// Output: [en-US es fr-CA]
}

func ExampleGet() {
	l := locale.Get(locale.ParseAcceptLanguage("xx-YY, en;q=0.5")...)
	fmt.Println(l.Code, l.RTL)
	// Output: en_US false
}

func ExampleLocale_FormatDateAt() {
	en := locale.Get("en_US")
	now := time.Date(2020, 3, 4, 15, 6, 0, 0, time.UTC)
	for _, ago := range []time.Duration{10 * time.Second, 7 * time.Minute, 5 * time.Hour, 30 * time.Hour, 72 * time.Hour, 40 * 24 * time.Hour, 400 * 24 * time.Hour} {
		fmt.Println(en.FormatDateAt(now.Add(-ago), now))
	}
	fmt.Println(en.FormatDateAt(now.Add(-30*time.Hour), now, locale.DateOptions{Shorter: true}))
	fmt.Println(en.FormatDateAt(now, now, locale.DateOptions{FullFormat: true, GMTOffset: 300}))
	// Output:
	// 10 seconds ago
	// 7 minutes ago
	// 5 hours ago
	// yesterday at 9:06 am
	// Sunday at 3:06 pm
	// January 24 at 3:06 pm
	// January 29, 2019 at 3:06 pm
	// yesterday
	// March 4, 2020 at 10:06 am
}

func ExampleLocale_FormatDay() {
	d := time.Date(2013, 4, 28, 18, 35, 0, 0, time.UTC)
	fmt.Println(locale.Get("en_US").FormatDay(d, 0, true))
	fmt.Println(locale.Get("en_US").FormatDay(d, 0, false))
	// Output:
	// Sunday, April 28
	// April 28
}

func ExampleLocale_List() {
	fmt.Println(locale.Get("en_US").List([]string{"Ann", "Bob", "Cy"}))
	// Output: Ann, Bob and Cy
}

func ExampleLocale_FriendlyNumber() {
	fmt.Println(locale.Get("en_US").FriendlyNumber(1234567))
	// Output: 1,234,567
}
