package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/examples/blog/store/storetest"
)

var epoch = time.Date(2024, 3, 4, 15, 6, 7, 123456789, time.UTC)

func newAuthor(email string) store.NewAuthor {
	return store.NewAuthor{Email: email, Name: "Ann Author", HashedPassword: strings.Repeat("h", 60)}
}

func TestAuthors(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if n, err := db.CountAuthors(ctx); err != nil || n != 0 {
			t.Fatalf("CountAuthors on a new store = %d, %v; want 0", n, err)
		}
		a, err := db.CreateFirstAuthor(ctx, newAuthor("ann@example.com"))
		if err != nil {
			t.Fatalf("CreateFirstAuthor: %v", err)
		}
		if a.ID == 0 || a.Email != "ann@example.com" || a.Name != "Ann Author" {
			t.Fatalf("CreateFirstAuthor returned %+v", a)
		}
		if _, err := db.CreateFirstAuthor(ctx, newAuthor("bob@example.com")); !errors.Is(err, store.ErrAuthorExists) {
			t.Fatalf("second CreateFirstAuthor: %v, want ErrAuthorExists", err)
		}
		if _, err := db.CreateAuthor(ctx, newAuthor("ann@example.com")); !errors.Is(err, store.ErrEmailTaken) {
			t.Fatalf("CreateAuthor with a taken email: %v, want ErrEmailTaken", err)
		}
		b, err := db.CreateAuthor(ctx, newAuthor("bob@example.com"))
		if err != nil {
			t.Fatalf("CreateAuthor: %v", err)
		}
		if n, err := db.CountAuthors(ctx); err != nil || n != 2 {
			t.Fatalf("CountAuthors = %d, %v; want 2", n, err)
		}
		if got, err := db.AuthorByEmail(ctx, "ann@example.com"); err != nil || got != a {
			t.Fatalf("AuthorByEmail = %+v, %v; want %+v", got, err, a)
		}
		if got, err := db.AuthorByID(ctx, b.ID); err != nil || got != b {
			t.Fatalf("AuthorByID = %+v, %v; want %+v", got, err, b)
		}
		for _, email := range []string{"nobody@example.com", "ANN@example.com", "nul\x00@example.com", "bad\xff"} {
			if _, err := db.AuthorByEmail(ctx, email); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("AuthorByEmail(%q): %v, want ErrNotFound", email, err)
			}
		}
		if _, err := db.AuthorByID(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("AuthorByID(999999): %v, want ErrNotFound", err)
		}
	})
}

func TestCreateFirstAuthorIsAtomic(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		const racers = 6
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			created int
			errs    []error
		)
		for i := range racers {
			wg.Go(func() {
				_, err := db.CreateFirstAuthor(context.Background(), newAuthor(fmt.Sprintf("a%d@example.com", i)))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					created++
				case !errors.Is(err, store.ErrAuthorExists):
					errs = append(errs, err)
				}
			})
		}
		wg.Wait()
		if created != 1 || len(errs) > 0 {
			t.Fatalf("%d concurrent CreateFirstAuthor calls created %d authors; unexpected errors: %v", racers, created, errs)
		}
	})
}

func TestEntries(t *testing.T) {
	clock := storetest.NewClock(epoch)
	storetest.Each(t, clock.Now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, err := db.CreateFirstAuthor(ctx, newAuthor("ann@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		in := store.NewEntry{AuthorID: a.ID, Slug: "hello-world", Title: "Hello, world? It's “ünïcode” 🌍",
			Markdown: "Hello *world* $1 ? ?", HTML: "<p>Hello <em>world</em> $1 ? ?</p>\n"}
		e, err := db.CreateEntry(ctx, in)
		if err != nil {
			t.Fatalf("CreateEntry: %v", err)
		}
		want := store.Entry{ID: e.ID, AuthorID: a.ID, Slug: in.Slug, Title: in.Title, Markdown: in.Markdown, HTML: in.HTML,
			Published: clock.Now().Truncate(time.Microsecond), Updated: clock.Now().Truncate(time.Microsecond)}
		if e != want {
			t.Fatalf("CreateEntry returned\n%+v\nwant\n%+v", e, want)
		}
		if e.Published.Location() != time.UTC {
			t.Errorf("Published is in %v, want UTC", e.Published.Location())
		}
		for name, get := range map[string]func() (store.Entry, error){
			"EntryBySlug": func() (store.Entry, error) { return db.EntryBySlug(ctx, "hello-world") },
			"EntryByID":   func() (store.Entry, error) { return db.EntryByID(ctx, e.ID) },
		} {
			if got, err := get(); err != nil || got != want {
				t.Errorf("%s = %+v, %v\nwant %+v", name, got, err, want)
			}
		}
		if taken, err := db.SlugTaken(ctx, "hello-world"); err != nil || !taken {
			t.Errorf("SlugTaken(hello-world) = %v, %v; want true", taken, err)
		}
		if taken, err := db.SlugTaken(ctx, "hello-world-2"); err != nil || taken {
			t.Errorf("SlugTaken(hello-world-2) = %v, %v; want false", taken, err)
		}
		if _, err := db.CreateEntry(ctx, in); !errors.Is(err, store.ErrSlugTaken) {
			t.Errorf("CreateEntry with a taken slug: %v, want ErrSlugTaken", err)
		}
		for _, slug := range []string{"missing", "nul\x00", "\xff"} {
			if _, err := db.EntryBySlug(ctx, slug); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("EntryBySlug(%q): %v, want ErrNotFound", slug, err)
			}
		}
		if _, err := db.EntryByID(ctx, e.ID+100); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("EntryByID(missing): %v, want ErrNotFound", err)
		}

		clock.Advance(time.Hour)
		up, err := db.UpdateEntry(ctx, e.ID, store.EntryUpdate{Title: "New title", Markdown: "new", HTML: "<p>new</p>"})
		if err != nil {
			t.Fatalf("UpdateEntry: %v", err)
		}
		if up.Slug != "hello-world" || up.Title != "New title" || up.HTML != "<p>new</p>" ||
			!up.Published.Equal(want.Published) || !up.Updated.Equal(want.Published.Add(time.Hour)) {
			t.Errorf("UpdateEntry returned %+v: want slug and published kept, title, html and updated changed", up)
		}
		if got, _ := db.EntryByID(ctx, e.ID); got != up {
			t.Errorf("after UpdateEntry, EntryByID = %+v, want %+v", got, up)
		}
		if _, err := db.UpdateEntry(ctx, e.ID+100, store.EntryUpdate{Title: "x"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UpdateEntry(missing): %v, want ErrNotFound", err)
		}

		if err := db.DeleteEntry(ctx, e.ID); err != nil {
			t.Fatalf("DeleteEntry: %v", err)
		}
		if _, err := db.EntryBySlug(ctx, "hello-world"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("EntryBySlug after DeleteEntry: %v, want ErrNotFound", err)
		}
		if err := db.DeleteEntry(ctx, e.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteEntry twice: %v, want ErrNotFound", err)
		}
		// A deleted entry's id is never given to a new entry.
		e2, err := db.CreateEntry(ctx, in)
		if err != nil {
			t.Fatalf("CreateEntry after delete: %v", err)
		}
		if e2.ID == e.ID {
			t.Errorf("new entry reused the deleted entry's id %d", e.ID)
		}
	})
}

func TestNewestAndArchive(t *testing.T) {
	clock := storetest.NewClock(epoch)
	storetest.Each(t, clock.Now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, err := db.CreateFirstAuthor(ctx, newAuthor("ann@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.NewestEntries(ctx, 5); err != nil || len(got) != 0 {
			t.Fatalf("NewestEntries on no entries = %v, %v", got, err)
		}
		const n = 12
		for i := range n {
			if i%3 != 0 { // some entries share a timestamp: id breaks the tie
				clock.Advance(time.Minute)
			}
			_, err := db.CreateEntry(ctx, store.NewEntry{AuthorID: a.ID, Slug: fmt.Sprintf("e%02d", i), Title: fmt.Sprint(i), Markdown: "m", HTML: "h"})
			if err != nil {
				t.Fatal(err)
			}
		}
		slugs := func(es []store.Entry) string {
			var s []string
			for _, e := range es {
				s = append(s, e.Slug)
			}
			return strings.Join(s, " ")
		}
		got, err := db.NewestEntries(ctx, 5)
		if err != nil || slugs(got) != "e11 e10 e09 e08 e07" {
			t.Errorf("NewestEntries(5) = %q, %v", slugs(got), err)
		}
		pages := []struct {
			offset, limit int
			want          string
		}{
			{0, 5, "e11 e10 e09 e08 e07"},
			{5, 5, "e06 e05 e04 e03 e02"},
			{10, 5, "e01 e00"},
			{12, 5, ""},
			{100, 5, ""},
			{0, 100, "e11 e10 e09 e08 e07 e06 e05 e04 e03 e02 e01 e00"},
		}
		for _, p := range pages {
			got, total, err := db.ArchivePage(ctx, p.offset, p.limit)
			if err != nil || total != n || slugs(got) != p.want {
				t.Errorf("ArchivePage(%d, %d) = %q, %d, %v; want %q, %d", p.offset, p.limit, slugs(got), total, err, p.want, n)
			}
		}
		for _, bad := range [][2]int{{-1, 5}, {0, 0}, {0, store.MaxPageSize + 1}} {
			if _, _, err := db.ArchivePage(ctx, bad[0], bad[1]); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("ArchivePage(%d, %d): %v, want ErrInvalid", bad[0], bad[1], err)
			}
		}
		if _, err := db.NewestEntries(ctx, 0); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("NewestEntries(0): %v, want ErrInvalid", err)
		}
	})
}

// Both databases accept and refuse exactly the same values.
func TestLimitsAreTheSameOnBothDatabases(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, err := db.CreateFirstAuthor(ctx, newAuthor("ann@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		entries := []struct {
			name string
			e    store.NewEntry
			ok   bool
		}{
			{"slug of 100 ASCII characters", store.NewEntry{Slug: strings.Repeat("s", 100), Title: "t"}, true},
			{"slug of 100 two-byte characters", store.NewEntry{Slug: strings.Repeat("é", 100), Title: "t"}, true},
			{"slug of 101 characters", store.NewEntry{Slug: strings.Repeat("x", 101), Title: "t"}, false},
			{"empty slug", store.NewEntry{Slug: "", Title: "t"}, false},
			{"title of 512 characters", store.NewEntry{Slug: "t512", Title: strings.Repeat("ü", 512)}, true},
			{"title of 513 characters", store.NewEntry{Slug: "t513", Title: strings.Repeat("t", 513)}, false},
			{"empty title", store.NewEntry{Slug: "t0", Title: ""}, false},
			{"NUL in markdown", store.NewEntry{Slug: "nul", Title: "t", Markdown: "a\x00b"}, false},
			{"invalid UTF-8 in html", store.NewEntry{Slug: "utf", Title: "t", HTML: "a\xffb"}, false},
			{"NUL in slug", store.NewEntry{Slug: "a\x00", Title: "t"}, false},
			{"large markdown", store.NewEntry{Slug: "big", Title: "t", Markdown: strings.Repeat("m", 1<<20)}, true},
		}
		for _, tc := range entries {
			tc.e.AuthorID = a.ID
			_, err := db.CreateEntry(ctx, tc.e)
			if tc.ok && err != nil {
				t.Errorf("%s: refused: %v", tc.name, err)
			}
			if !tc.ok && !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%s: %v, want ErrInvalid", tc.name, err)
			}
		}
		authors := []store.NewAuthor{
			{Email: strings.Repeat("e", 101), Name: "n", HashedPassword: "h"},
			{Email: "e@x", Name: strings.Repeat("n", 101), HashedPassword: "h"},
			{Email: "e@x", Name: "n", HashedPassword: strings.Repeat("h", 101)},
			{Email: "", Name: "n", HashedPassword: "h"},
		}
		for _, na := range authors {
			if _, err := db.CreateAuthor(ctx, na); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("CreateAuthor(%.20q...): %v, want ErrInvalid", na, err)
			}
		}
		if _, err := db.UpdateEntry(ctx, 1, store.EntryUpdate{Title: strings.Repeat("t", 513)}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("UpdateEntry with a long title: %v, want ErrInvalid", err)
		}
		// Foreign keys are enforced on SQLite too.
		_, err = db.CreateEntry(ctx, store.NewEntry{AuthorID: a.ID + 1000, Slug: "orphan", Title: "t"})
		if err == nil || errors.Is(err, store.ErrSlugTaken) {
			t.Errorf("CreateEntry for a missing author: %v, want a foreign key error", err)
		}
	})
}

func TestCancelledContext(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := db.CountAuthors(ctx); err == nil {
			t.Error("CountAuthors with a cancelled context succeeded")
		}
		if _, err := db.NewestEntries(ctx, 5); err == nil {
			t.Error("NewestEntries with a cancelled context succeeded")
		}
	})
}

func TestSQLiteReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateFirstAuthor(ctx, newAuthor("ann@example.com")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = store.Open(ctx, store.Config{DSN: "sqlite:" + dir + "/" + store.DefaultFile})
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer db.Close()
	if n, err := db.CountAuthors(ctx); err != nil || n != 1 {
		t.Fatalf("after reopening, CountAuthors = %d, %v; want 1", n, err)
	}
	if db.Driver() != "sqlite" {
		t.Errorf("Driver() = %q", db.Driver())
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []store.Config{
		{},                                // nothing named
		{DSN: "sqlite:/tmp/x.db?mode=ro"}, // ? in a path
		{DSN: "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}, // unreachable
	} {
		if db, err := store.Open(ctx, cfg); err == nil {
			db.Close()
			t.Errorf("Open(%+v) succeeded", cfg)
		}
	}
}
