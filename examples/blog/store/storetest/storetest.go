// Package storetest opens fresh, isolated blog stores for tests: one SQLite
// file in a temporary directory, and, when TORNAGO_TEST_POSTGRES holds a
// DSN, one PostgreSQL schema created for the test and dropped after it.
//
//	func TestX(t *testing.T) {
//		storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
//			// the same test, on every database
//		})
//	}
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/tornago/tornago/examples/blog/store"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests, e.g.
// postgres://tornago:tornago@127.0.0.1:5432/tornago_test?sslmode=disable.
const EnvPostgres = "TORNAGO_TEST_POSTGRES"

// setupTimeout bounds opening a store and creating or dropping a schema.
const setupTimeout = 30 * time.Second

// Each runs fn as the subtests "sqlite" and "postgres", each on a fresh
// store whose clock is now (time.Now when nil). Without TORNAGO_TEST_POSTGRES
// the postgres subtest is skipped, or fails when CI=true: CI must not pass
// by testing one database.
func Each(t *testing.T, now func() time.Time, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t, now)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, now)) })
}

// SQLite opens a store on a new SQLite file in t.TempDir(), closed when the
// test ends.
func SQLite(t testing.TB, now func() time.Time) *store.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	db, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Now: now})
	if err != nil {
		t.Fatalf("opening SQLite store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Postgres opens a store on a new schema of the TORNAGO_TEST_POSTGRES
// database, closed and dropped (with everything in it) when the test ends.
func Postgres(t testing.TB, now func() time.Time) *store.DB {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set but CI=true: the PostgreSQL tests must run in CI", EnvPostgres)
		}
		t.Skipf("PostgreSQL tests skipped: set %s to a DSN such as postgres://user:pass@127.0.0.1:5432/db?sslmode=disable", EnvPostgres)
	}
	u, err := url.Parse(dsn)
	if err != nil || !store.IsPostgres(dsn) {
		t.Fatalf("%s=%q is not a postgres:// URL (%v)", EnvPostgres, dsn, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL: %v", err)
	}
	schema := "blogtest_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("creating schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
		admin.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := store.Open(ctx, store.Config{DSN: u.String(), Now: now})
	if err != nil {
		t.Fatalf("opening PostgreSQL store: %v", err)
	}
	t.Cleanup(func() { db.Close() }) // runs before the schema is dropped
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Clock is a settable clock for stores and limiters under test. The zero
// value is not ready: use NewClock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
