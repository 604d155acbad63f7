package store

import (
	"context"
	"errors"
	"time"
)

// Column limits of the demo's schema.sql. They are checked in Go before a
// write, so SQLite (which ignores VARCHAR lengths) and PostgreSQL (which
// enforces them) accept exactly the same data and fail the same way.
const (
	// MaxEmailLength is authors.email VARCHAR(100).
	MaxEmailLength = 100
	// MaxNameLength is authors.name VARCHAR(100).
	MaxNameLength = 100
	// MaxHashedPasswordLength is authors.hashed_password VARCHAR(100); a
	// bcrypt hash is 60 characters.
	MaxHashedPasswordLength = 100
	// MaxSlugLength is entries.slug VARCHAR(100).
	MaxSlugLength = 100
	// MaxTitleLength is entries.title VARCHAR(512).
	MaxTitleLength = 512
	// MaxPageSize bounds one archive page or newest-entries query, so a
	// request parameter can never ask the database for the whole table.
	MaxPageSize = 1000
)

var (
	// ErrNotFound reports that no author or entry matched.
	ErrNotFound = errors.New("store: not found")
	// ErrSlugTaken reports a unique-slug violation on insert; the caller
	// picks the next free slug and tries again.
	ErrSlugTaken = errors.New("store: slug already taken")
	// ErrEmailTaken reports a unique-email violation on insert.
	ErrEmailTaken = errors.New("store: email already taken")
	// ErrAuthorExists is returned by CreateFirstAuthor when an author
	// already exists.
	ErrAuthorExists = errors.New("store: an author already exists")
	// ErrInvalid is wrapped by errors for values the schema would refuse
	// (too long, empty, not UTF-8, NUL bytes, a bad page size).
	ErrInvalid = errors.New("store: invalid value")
)

// Author is a row of the authors table.
type Author struct {
	ID             int64
	Email          string
	Name           string
	HashedPassword string
}

// Entry is a row of the entries table. Published and Updated are in UTC,
// with microsecond precision (PostgreSQL's), on both databases.
type Entry struct {
	ID        int64
	AuthorID  int64
	Slug      string
	Title     string
	Markdown  string
	HTML      string
	Published time.Time
	Updated   time.Time
}

// NewAuthor holds what CreateAuthor stores.
type NewAuthor struct {
	Email          string
	Name           string
	HashedPassword string
}

// NewEntry holds what CreateEntry stores; the store sets the ID and both
// timestamps.
type NewEntry struct {
	AuthorID int64
	Slug     string
	Title    string
	Markdown string
	HTML     string
}

// EntryUpdate holds what UpdateEntry changes. The slug never changes, so
// links to an entry stay valid when its title is edited (as in the demo).
type EntryUpdate struct {
	Title    string
	Markdown string
	HTML     string
}

// Store is the blog's storage. Every method may block on the database: call
// it where blocking is allowed (a blocking handler or RunInExecutor), never
// on an IOLoop goroutine. Methods are safe for concurrent use.
type Store interface {
	// CountAuthors returns how many authors exist.
	CountAuthors(ctx context.Context) (int, error)
	// CreateAuthor inserts an author; ErrEmailTaken if the email exists.
	CreateAuthor(ctx context.Context, a NewAuthor) (Author, error)
	// CreateFirstAuthor inserts an author only while none exists, atomically
	// (two concurrent calls never create two authors); ErrAuthorExists
	// otherwise.
	CreateFirstAuthor(ctx context.Context, a NewAuthor) (Author, error)
	// AuthorByEmail returns the author with this email; ErrNotFound if none.
	AuthorByEmail(ctx context.Context, email string) (Author, error)
	// AuthorByID returns the author with this id; ErrNotFound if none.
	AuthorByID(ctx context.Context, id int64) (Author, error)

	// NewestEntries returns at most n entries, newest published first.
	NewestEntries(ctx context.Context, n int) ([]Entry, error)
	// ArchivePage returns at most limit entries, newest first, skipping
	// offset, and the total number of entries.
	ArchivePage(ctx context.Context, offset, limit int) (entries []Entry, total int, err error)
	// EntryBySlug returns the entry with this slug; ErrNotFound if none.
	EntryBySlug(ctx context.Context, slug string) (Entry, error)
	// EntryByID returns the entry with this id; ErrNotFound if none.
	EntryByID(ctx context.Context, id int64) (Entry, error)
	// SlugTaken reports whether an entry has this slug.
	SlugTaken(ctx context.Context, slug string) (bool, error)
	// CreateEntry inserts an entry published now; ErrSlugTaken if another
	// entry took the slug first.
	CreateEntry(ctx context.Context, e NewEntry) (Entry, error)
	// UpdateEntry changes an entry's title and text and sets Updated to now;
	// ErrNotFound if the id does not exist.
	UpdateEntry(ctx context.Context, id int64, u EntryUpdate) (Entry, error)
	// DeleteEntry removes an entry; ErrNotFound if the id does not exist.
	DeleteEntry(ctx context.Context, id int64) error

	// Close releases the database connections.
	Close() error
}

// DB implements Store over database/sql.
var _ Store = (*DB)(nil)
