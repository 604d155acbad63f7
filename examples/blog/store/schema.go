package store

import (
	"context"
	"fmt"
	"strings"
)

// schema is the demo's schema.sql, run on first start. The only text that
// differs between the databases is the id column ({{id}}). The CHECKs repeat
// the VARCHAR limits for SQLite, which ignores them; the Go-side checks
// (validate.go) come first and give the friendlier error.
const schema = `
CREATE TABLE IF NOT EXISTS authors (
    id {{id}},
    email VARCHAR(100) NOT NULL UNIQUE CHECK (length(email) <= 100),
    name VARCHAR(100) NOT NULL CHECK (length(name) <= 100),
    hashed_password VARCHAR(100) NOT NULL CHECK (length(hashed_password) <= 100)
);
CREATE TABLE IF NOT EXISTS entries (
    id {{id}},
    author_id INT NOT NULL REFERENCES authors(id),
    slug VARCHAR(100) NOT NULL UNIQUE CHECK (length(slug) <= 100),
    title VARCHAR(512) NOT NULL CHECK (length(title) <= 512),
    markdown TEXT NOT NULL,
    html TEXT NOT NULL,
    published TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_published ON entries (published);
`

// createSchema creates the tables if they do not exist yet, in one
// transaction, so a half-created schema is never left behind and two
// processes starting together do not race.
func (db *DB) createSchema(ctx context.Context) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: creating schema: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if db.dialect.lockSchema != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.lockSchema); err != nil {
			return fmt.Errorf("store: locking schema: %w", err)
		}
	}
	ddl := strings.ReplaceAll(schema, "{{id}}", db.dialect.idColumn)
	for stmt := range strings.SplitSeq(ddl, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("store: creating schema: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: creating schema: %w", err)
	}
	return nil
}
