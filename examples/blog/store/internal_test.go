package store

import (
	"context"
	"testing"
)

func TestRebind(t *testing.T) {
	tests := []struct{ in, sqlite, postgres string }{
		{"SELECT 1", "SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = ? AND b = ?", "a = $1 AND b = $2"},
		{"VALUES (?,?,?,?,?,?,?,?,?,?,?)", "VALUES (?,?,?,?,?,?,?,?,?,?,?)", "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"},
	}
	for _, tc := range tests {
		if got := sqliteDialect.rebind(tc.in); got != tc.sqlite {
			t.Errorf("sqlite rebind(%q) = %q, want %q", tc.in, got, tc.sqlite)
		}
		if got := postgresDialect.rebind(tc.in); got != tc.postgres {
			t.Errorf("postgres rebind(%q) = %q, want %q", tc.in, got, tc.postgres)
		}
	}
}

// The SQLite connection runs in WAL mode with foreign keys on, on every
// pooled connection.
func TestSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 3 { // several connections of the pool
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var mode string
		var fk int
		if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
		}
	}
}
