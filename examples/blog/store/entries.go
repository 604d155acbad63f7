package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// NewestEntries implements Store.
func (db *DB) NewestEntries(ctx context.Context, n int) ([]Entry, error) {
	if err := checkPage(n); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, db.q.newestEntries, n)
	if err != nil {
		return nil, fmt.Errorf("store: newest entries: %w", err)
	}
	entries, err := scanEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("store: newest entries: %w", err)
	}
	return entries, nil
}

// ArchivePage implements Store.
func (db *DB) ArchivePage(ctx context.Context, offset, limit int) ([]Entry, int, error) {
	if err := checkPage(limit); err != nil {
		return nil, 0, err
	}
	if offset < 0 {
		return nil, 0, fmt.Errorf("%w: negative offset %d", ErrInvalid, offset)
	}
	var total int
	if err := db.sql.QueryRowContext(ctx, db.q.countEntries).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: counting entries: %w", err)
	}
	if offset >= total {
		return nil, total, nil
	}
	rows, err := db.sql.QueryContext(ctx, db.q.archivePage, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: archive page: %w", err)
	}
	entries, err := scanEntries(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("store: archive page: %w", err)
	}
	return entries, total, nil
}

// EntryBySlug implements Store.
func (db *DB) EntryBySlug(ctx context.Context, slug string) (Entry, error) {
	if !storable(slug) {
		return Entry{}, ErrNotFound
	}
	e, err := scanEntry(db.sql.QueryRowContext(ctx, db.q.entryBySlug, slug))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Entry{}, fmt.Errorf("store: entry by slug: %w", err)
	}
	return e, err
}

// EntryByID implements Store.
func (db *DB) EntryByID(ctx context.Context, id int64) (Entry, error) {
	e, err := scanEntry(db.sql.QueryRowContext(ctx, db.q.entryByID, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Entry{}, fmt.Errorf("store: entry by id: %w", err)
	}
	return e, err
}

// SlugTaken implements Store.
func (db *DB) SlugTaken(ctx context.Context, slug string) (bool, error) {
	if !storable(slug) {
		return false, nil
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, db.q.slugTaken, slug).Scan(&n); err != nil {
		return false, fmt.Errorf("store: checking slug: %w", err)
	}
	return n > 0, nil
}

// CreateEntry implements Store.
func (db *DB) CreateEntry(ctx context.Context, e NewEntry) (Entry, error) {
	if err := checkText("slug", e.Slug, MaxSlugLength, true); err != nil {
		return Entry{}, err
	}
	if err := checkEntryText(e.Title, e.Markdown, e.HTML); err != nil {
		return Entry{}, err
	}
	now := db.timestamp()
	entry, err := scanEntry(db.sql.QueryRowContext(ctx, db.q.insertEntry,
		e.AuthorID, e.Slug, e.Title, e.Markdown, e.HTML, now, now))
	if err != nil {
		if isUniqueViolation(err) {
			return Entry{}, ErrSlugTaken
		}
		return Entry{}, fmt.Errorf("store: creating entry: %w", err)
	}
	return entry, nil
}

// UpdateEntry implements Store. Unlike the demo it also moves Updated, so
// feed readers see the edit.
func (db *DB) UpdateEntry(ctx context.Context, id int64, u EntryUpdate) (Entry, error) {
	if err := checkEntryText(u.Title, u.Markdown, u.HTML); err != nil {
		return Entry{}, err
	}
	entry, err := scanEntry(db.sql.QueryRowContext(ctx, db.q.updateEntry,
		u.Title, u.Markdown, u.HTML, db.timestamp(), id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Entry{}, fmt.Errorf("store: updating entry: %w", err)
	}
	return entry, err
}

// DeleteEntry implements Store.
func (db *DB) DeleteEntry(ctx context.Context, id int64) error {
	res, err := db.sql.ExecContext(ctx, db.q.deleteEntry, id)
	if err != nil {
		return fmt.Errorf("store: deleting entry: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: deleting entry: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// timestamp is the store clock's now, in UTC and cut to PostgreSQL's
// microsecond precision, so both databases return what was written.
func (db *DB) timestamp() time.Time {
	return db.now().UTC().Truncate(time.Microsecond)
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanEntryFrom(s scanner) (Entry, error) {
	var e Entry
	err := s.Scan(&e.ID, &e.AuthorID, &e.Slug, &e.Title, &e.Markdown, &e.HTML, &e.Published, &e.Updated)
	e.Published, e.Updated = e.Published.UTC(), e.Updated.UTC()
	return e, err
}

// scanEntry reads one entryColumns row; sql.ErrNoRows becomes ErrNotFound.
func scanEntry(row *sql.Row) (Entry, error) {
	e, err := scanEntryFrom(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, ErrNotFound
	}
	return e, err
}

// scanEntries reads all rows and closes them.
func scanEntries(rows *sql.Rows) ([]Entry, error) {
	defer rows.Close()
	var entries []Entry
	for rows.Next() {
		e, err := scanEntryFrom(rows)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, rows.Err()
}
