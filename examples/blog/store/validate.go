package store

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkText refuses what one of the two databases would refuse and the
// other accept: text longer than its column (SQLite ignores VARCHAR
// lengths), invalid UTF-8 and NUL bytes (PostgreSQL rejects both).
// max 0 means unlimited (a TEXT column).
func checkText(column, s string, max int, required bool) error {
	switch {
	case required && s == "":
		return fmt.Errorf("%w: %s is empty", ErrInvalid, column)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, column)
	case strings.IndexByte(s, 0) >= 0:
		return fmt.Errorf("%w: %s holds a NUL byte", ErrInvalid, column)
	case max > 0 && utf8.RuneCountInString(s) > max:
		return fmt.Errorf("%w: %s is longer than %d characters", ErrInvalid, column, max)
	}
	return nil
}

func checkAuthor(a NewAuthor) error {
	if err := checkText("email", a.Email, MaxEmailLength, true); err != nil {
		return err
	}
	if err := checkText("name", a.Name, MaxNameLength, true); err != nil {
		return err
	}
	return checkText("hashed_password", a.HashedPassword, MaxHashedPasswordLength, true)
}

func checkEntryText(title, markdown, html string) error {
	if err := checkText("title", title, MaxTitleLength, true); err != nil {
		return err
	}
	if err := checkText("markdown", markdown, 0, false); err != nil {
		return err
	}
	return checkText("html", html, 0, false)
}

func checkPage(n int) error {
	if n < 1 || n > MaxPageSize {
		return fmt.Errorf("%w: page size %d not in 1..%d", ErrInvalid, n, MaxPageSize)
	}
	return nil
}

// storable reports whether s could be stored at all; a lookup of a value
// that could not is answered "not found" without asking the database
// (PostgreSQL would fail the query, SQLite would find nothing).
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
