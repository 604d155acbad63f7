// Package store is the blog's storage: authors and entries, with the schema
// of Tornado's blog demo, on SQLite (modernc.org/sqlite, pure Go: the
// default, in a file under the data directory) or PostgreSQL (pgx), through
// database/sql with the same SQL for both. Only the placeholders differ
// (? and $1), rewritten in one place (dialect.go).
//
//	db, err := store.Open(ctx, store.Config{DataDir: "./blog-data"})       // SQLite
//	db, err := store.Open(ctx, store.Config{DSN: "postgres://u:p@h/blog"}) // PostgreSQL
//	entries, err := db.NewestEntries(ctx, 5)
//
// The schema is created on first start. Every method takes a context and
// may block: handlers call it off the IOLoop (a blocking handler or
// RunInExecutor). Timestamps are UTC with microsecond precision on both
// databases, and every column limit is checked in Go, so both accept and
// refuse exactly the same data.
package store
