package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CountAuthors implements Store.
func (db *DB) CountAuthors(ctx context.Context) (int, error) {
	var n int
	if err := db.sql.QueryRowContext(ctx, db.q.countAuthors).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: counting authors: %w", err)
	}
	return n, nil
}

// CreateAuthor implements Store.
func (db *DB) CreateAuthor(ctx context.Context, a NewAuthor) (Author, error) {
	if err := checkAuthor(a); err != nil {
		return Author{}, err
	}
	row := db.sql.QueryRowContext(ctx, db.q.insertAuthor, a.Email, a.Name, a.HashedPassword)
	author, err := scanAuthor(row)
	if err != nil {
		if isUniqueViolation(err) {
			return Author{}, ErrEmailTaken
		}
		return Author{}, fmt.Errorf("store: creating author: %w", err)
	}
	return author, nil
}

// CreateFirstAuthor implements Store. The insert is conditional on the
// table being empty and runs under a lock (SQLite's BEGIN IMMEDIATE, a
// PostgreSQL table lock), so concurrent first sign-ups create one author.
func (db *DB) CreateFirstAuthor(ctx context.Context, a NewAuthor) (Author, error) {
	if err := checkAuthor(a); err != nil {
		return Author{}, err
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return Author{}, fmt.Errorf("store: creating first author: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if db.dialect.lockAuthors != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.lockAuthors); err != nil {
			return Author{}, fmt.Errorf("store: locking authors: %w", err)
		}
	}
	author, err := scanAuthor(tx.QueryRowContext(ctx, db.q.insertFirstAuthor, a.Email, a.Name, a.HashedPassword))
	switch {
	case errors.Is(err, ErrNotFound):
		return Author{}, ErrAuthorExists
	case err != nil:
		return Author{}, fmt.Errorf("store: creating first author: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Author{}, fmt.Errorf("store: creating first author: %w", err)
	}
	return author, nil
}

// AuthorByEmail implements Store.
func (db *DB) AuthorByEmail(ctx context.Context, email string) (Author, error) {
	if !storable(email) {
		return Author{}, ErrNotFound
	}
	a, err := scanAuthor(db.sql.QueryRowContext(ctx, db.q.authorByEmail, email))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Author{}, fmt.Errorf("store: author by email: %w", err)
	}
	return a, err
}

// AuthorByID implements Store.
func (db *DB) AuthorByID(ctx context.Context, id int64) (Author, error) {
	a, err := scanAuthor(db.sql.QueryRowContext(ctx, db.q.authorByID, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Author{}, fmt.Errorf("store: author by id: %w", err)
	}
	return a, err
}

// scanAuthor reads one authorColumns row; sql.ErrNoRows becomes ErrNotFound.
func scanAuthor(row *sql.Row) (Author, error) {
	var a Author
	err := row.Scan(&a.ID, &a.Email, &a.Name, &a.HashedPassword)
	if errors.Is(err, sql.ErrNoRows) {
		return Author{}, ErrNotFound
	}
	return a, err
}
