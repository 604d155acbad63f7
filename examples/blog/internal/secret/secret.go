// Package secret provides the blog's cookie secret: the one given with
// -cookie_secret, or else a random one generated on first start and kept in
// the data directory, so sign-ins survive a restart.
//
//	key, err := secret.Resolve(*cookieSecret, *dataDir)
//
// Instances that share users must share one secret: give them all the same
// -cookie_secret (or the same data directory).
package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const (
	// FileName is the secret's file in the data directory.
	FileName = "cookie_secret"
	// randomBytes of entropy in a generated secret: 256 bits, the HMAC-SHA256
	// key size of the signed cookies.
	randomBytes = 32
	// MinLength is the shortest secret accepted, given or read: shorter
	// keys are guessable offline from one signed cookie.
	MinLength = 16
	// fileMode: the secret signs sign-in cookies; only its owner may read it.
	fileMode = 0o600
	// dirMode for a data directory created here.
	dirMode = 0o700
)

// ErrTooShort is returned for a secret shorter than MinLength.
var ErrTooShort = errors.New("secret: cookie secret too short")

// Resolve returns given if it is not empty, else the secret kept in dir
// (see Load).
func Resolve(given, dir string) (string, error) {
	if given != "" {
		if len(given) < MinLength {
			return "", fmt.Errorf("%w: -cookie_secret has %d characters, want at least %d", ErrTooShort, len(given), MinLength)
		}
		return given, nil
	}
	return Load(dir)
}

// Load returns the secret in dir/FileName, creating dir (0700) and the
// file (0600, 256 random bits in base64) when it does not exist. Processes
// starting at once on one directory all get the same secret: the file
// appears complete or not at all.
func Load(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("secret: no data directory")
	}
	path := filepath.Join(dir, FileName)
	if s, err := read(path); !errors.Is(err, fs.ErrNotExist) {
		return s, err
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return "", fmt.Errorf("secret: creating %s: %w", dir, err)
	}
	b := make([]byte, randomBytes)
	rand.Read(b) // never fails (crypto/rand)
	s := base64.RawURLEncoding.EncodeToString(b)

	// Write a temporary file, then link it into place: link fails if the
	// name exists, so a concurrent start that won keeps its secret.
	tmp, err := os.CreateTemp(dir, FileName+".tmp*")
	if err != nil {
		return "", fmt.Errorf("secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(s + "\n")
	if err == nil {
		err = tmp.Chmod(fileMode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("secret: writing %s: %w", tmp.Name(), err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return read(path)
		}
		return "", fmt.Errorf("secret: %w", err)
	}
	return s, nil
}

// read returns the secret in path, refusing one that is too short or that
// others can read.
func read(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("secret: %s is readable by others (mode %v); chmod 600 it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("secret: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if len(s) < MinLength {
		return "", fmt.Errorf("%w: %s holds %d characters, want at least %d", ErrTooShort, path, len(s), MinLength)
	}
	return s, nil
}
