package store_test

import (
	"context"
	"fmt"
	"os"

	"github.com/tornago/tornago/examples/blog/store"
)

func Example() {
	dir, _ := os.MkdirTemp("", "blog-data")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	db, err := store.Open(ctx, store.Config{DataDir: dir}) // SQLite in dir/blog.db
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	author, _ := db.CreateFirstAuthor(ctx, store.NewAuthor{Email: "ann@example.com", Name: "Ann", HashedPassword: "$2a$10$..."})
	db.CreateEntry(ctx, store.NewEntry{AuthorID: author.ID, Slug: "hello", Title: "Hello", Markdown: "Hi", HTML: "<p>Hi</p>"})
	entry, _ := db.EntryBySlug(ctx, "hello")
	fmt.Println(db.Driver(), entry.Title, entry.HTML)
	_, err = db.EntryBySlug(ctx, "missing")
	fmt.Println(err)
	// Output:
	// sqlite Hello <p>Hi</p>
	// store: not found
}
