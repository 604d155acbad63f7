package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// DefaultFile is the SQLite file created in Config.DataDir when no DSN is
// given.
const DefaultFile = "blog.db"

const (
	// sqliteMaxConns bounds SQLite connections. In WAL mode readers run in
	// parallel with the one writer; more connections than a few per core
	// only add memory, and writers queue on the busy timeout anyway.
	sqliteMaxConns = 8
	// sqliteBusyTimeoutMS is how long a writer waits for another writer's
	// lock before SQLITE_BUSY: far longer than any blog write takes.
	sqliteBusyTimeoutMS = 5000
	// postgresMaxConns bounds each process's PostgreSQL connections, so
	// several blog instances stay well under the server's default
	// max_connections of 100.
	postgresMaxConns = 10
	// maxIdleTime closes pooled connections idle this long.
	maxIdleTime = 5 * time.Minute
	// dataDirMode keeps the database (and the cookie secret beside it)
	// private to the user running the blog.
	dataDirMode = 0o700
)

// Config says which database Open uses.
type Config struct {
	// DSN selects the database: "" for the SQLite file DefaultFile in
	// DataDir; a postgres:// or postgresql:// URL for PostgreSQL (a
	// search_path parameter selects the schema); "sqlite:PATH" or any
	// other value for the SQLite file at PATH.
	DSN string
	// DataDir holds the default SQLite file; created (0700) if missing.
	DataDir string
	// Now is the clock for published/updated; time.Now when nil.
	Now func() time.Time
}

// DB is the Store over database/sql: modernc.org/sqlite or PostgreSQL
// through pgx, with the same queries.
type DB struct {
	sql     *sql.DB
	dialect dialect
	q       queries
	now     func() time.Time
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database cfg names and creates the schema if it does
// not exist yet.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	var (
		d   dialect
		dsn string
	)
	if IsPostgres(cfg.DSN) {
		d, dsn = postgresDialect, cfg.DSN
	} else {
		path, err := sqlitePath(cfg)
		if err != nil {
			return nil, err
		}
		d, dsn = sqliteDialect, sqliteDSN(path)
	}
	conn, err := sql.Open(d.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", d.name, err)
	}
	maxConns := sqliteMaxConns
	if d.name == "postgres" {
		maxConns = postgresMaxConns
	}
	conn.SetMaxOpenConns(maxConns)
	conn.SetMaxIdleConns(maxConns)
	conn.SetConnMaxIdleTime(maxIdleTime)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	db := &DB{sql: conn, dialect: d, q: newQueries(d), now: now}
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("store: connecting to %s: %w", d.name, err)
	}
	if err := db.createSchema(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return db, nil
}

// Driver returns "sqlite" or "postgres".
func (db *DB) Driver() string { return db.dialect.name }

// Close closes the connection pool.
func (db *DB) Close() error { return db.sql.Close() }

// sqlitePath returns the SQLite file cfg names, creating the data directory
// for the default file.
func sqlitePath(cfg Config) (string, error) {
	path := strings.TrimPrefix(cfg.DSN, "sqlite:")
	if path == "" {
		if cfg.DataDir == "" {
			return "", errors.New("store: neither a DSN nor a data directory given")
		}
		if err := os.MkdirAll(cfg.DataDir, dataDirMode); err != nil {
			return "", fmt.Errorf("store: creating data directory: %w", err)
		}
		path = filepath.Join(cfg.DataDir, DefaultFile)
	}
	if strings.ContainsAny(path, "?#") {
		return "", fmt.Errorf("%w: SQLite path %q holds ? or #", ErrInvalid, path)
	}
	return path, nil
}

// sqliteDSN turns a file path into modernc.org/sqlite's DSN: WAL so readers
// never wait for the writer, foreign keys enforced (SQLite's default is
// off), BEGIN IMMEDIATE so a read-then-write transaction takes the write
// lock up front instead of failing with SQLITE_BUSY half way.
func sqliteDSN(path string) string {
	return fmt.Sprintf("file:%s?_journal_mode=WAL&_foreign_keys=1&_synchronous=NORMAL&_busy_timeout=%d&_txlock=immediate",
		path, sqliteBusyTimeoutMS)
}
