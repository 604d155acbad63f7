package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// A dialect is everything that differs between SQLite and PostgreSQL. The
// queries themselves are the same text for both; only their placeholders
// are rewritten, once, by rebind.
type dialect struct {
	name   string // "sqlite" or "postgres", for logs
	driver string // database/sql driver name
	// idColumn is the auto-incrementing primary key's type. SQLite's
	// AUTOINCREMENT never reuses the id of a deleted entry, as SERIAL does
	// not, so /compose?id=N never silently names a different entry.
	idColumn string
	// lockSchema serialises schema creation between processes starting at
	// once; "" when the transaction itself already does (SQLite's BEGIN
	// IMMEDIATE).
	lockSchema string
	// lockAuthors makes "insert only while no author exists" atomic.
	lockAuthors string
	// numbered placeholders ($1, $2...) instead of ?.
	numbered bool
}

var (
	sqliteDialect = dialect{
		name:     "sqlite",
		driver:   "sqlite",
		idColumn: "INTEGER PRIMARY KEY AUTOINCREMENT",
	}
	postgresDialect = dialect{
		name:     "postgres",
		driver:   "pgx",
		idColumn: "SERIAL PRIMARY KEY",
		// Any constant shared by all blog processes; "blog" in ASCII.
		lockSchema:  "SELECT pg_advisory_xact_lock(1651273575)",
		lockAuthors: "LOCK TABLE authors IN SHARE ROW EXCLUSIVE MODE",
		numbered:    true,
	}
)

// rebind rewrites the ? placeholders of query into this dialect's form. The
// queries of this package never hold a ? inside a literal, so a plain scan
// is exact.
func (d dialect) rebind(query string) string {
	if !d.numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] != '?' {
			b.WriteByte(query[i])
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// isUniqueViolation reports whether err is a UNIQUE constraint failure on
// either database.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" // unique_violation
	}
	return false
}
