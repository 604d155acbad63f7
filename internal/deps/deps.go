//go:build tools

// Package deps pins the modules the project has chosen (see the commit
// message that added each) until the packages that use them land.
package deps

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/go-playground/validator/v10"
	_ "github.com/gorilla/securecookie"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/crypto/bcrypt"
	_ "golang.org/x/oauth2"
	_ "golang.org/x/sys/unix"
	_ "golang.org/x/text/unicode/norm"
	_ "modernc.org/sqlite"
)
