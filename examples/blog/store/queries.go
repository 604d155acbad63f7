package store

// The SQL of the store, written once with ? placeholders and rebound per
// dialect when the store opens. Both databases run the same statements
// (RETURNING included: SQLite has it since 3.35).

const entryColumns = "id, author_id, slug, title, markdown, html, published, updated"

const authorColumns = "id, email, name, hashed_password"

type queries struct {
	countAuthors      string
	insertAuthor      string
	insertFirstAuthor string
	authorByEmail     string
	authorByID        string
	newestEntries     string
	countEntries      string
	archivePage       string
	entryBySlug       string
	entryByID         string
	slugTaken         string
	insertEntry       string
	updateEntry       string
	deleteEntry       string
}

func newQueries(d dialect) queries {
	return queries{
		countAuthors: d.rebind("SELECT COUNT(*) FROM authors"),
		insertAuthor: d.rebind("INSERT INTO authors (email, name, hashed_password) VALUES (?, ?, ?) RETURNING " + authorColumns),
		insertFirstAuthor: d.rebind("INSERT INTO authors (email, name, hashed_password) SELECT ?, ?, ? " +
			"WHERE NOT EXISTS (SELECT 1 FROM authors) RETURNING " + authorColumns),
		authorByEmail: d.rebind("SELECT " + authorColumns + " FROM authors WHERE email = ?"),
		authorByID:    d.rebind("SELECT " + authorColumns + " FROM authors WHERE id = ?"),
		// id breaks ties between entries published in the same microsecond,
		// so pages never overlap or skip.
		newestEntries: d.rebind("SELECT " + entryColumns + " FROM entries ORDER BY published DESC, id DESC LIMIT ?"),
		countEntries:  d.rebind("SELECT COUNT(*) FROM entries"),
		archivePage:   d.rebind("SELECT " + entryColumns + " FROM entries ORDER BY published DESC, id DESC LIMIT ? OFFSET ?"),
		entryBySlug:   d.rebind("SELECT " + entryColumns + " FROM entries WHERE slug = ?"),
		entryByID:     d.rebind("SELECT " + entryColumns + " FROM entries WHERE id = ?"),
		slugTaken:     d.rebind("SELECT COUNT(*) FROM entries WHERE slug = ?"),
		insertEntry: d.rebind("INSERT INTO entries (author_id, slug, title, markdown, html, published, updated) " +
			"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + entryColumns),
		updateEntry: d.rebind("UPDATE entries SET title = ?, markdown = ?, html = ?, updated = ? WHERE id = ? RETURNING " + entryColumns),
		deleteEntry: d.rebind("DELETE FROM entries WHERE id = ?"),
	}
}
