package main

import (
	"errors"
	"strconv"
	"time"

	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/web"
)

// homeHandler is GET /: the newest entries, or the compose page when there
// are none.
type homeHandler struct{ baseHandler }

// Get renders home.html.
func (h *homeHandler) Get() error {
	entries, err := h.Blog.db.NewestEntries(h.Context(), homeEntries)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return h.Redirect("/compose")
	}
	return h.Render("home.html", web.Vars{"entries": entries})
}

// entryHandler is GET /entry/<slug>.
type entryHandler struct{ baseHandler }

// Get renders entry.html, or the 404 page for an unknown slug.
func (h *entryHandler) Get(slug string) error {
	e, err := h.Blog.db.EntryBySlug(h.Context(), slug)
	if errors.Is(err, store.ErrNotFound) {
		return web.NewHTTPError(404)
	}
	if err != nil {
		return err
	}
	return h.Render("entry.html", web.Vars{"entry": e})
}

// archiveHandler is GET /archive?page=N.
type archiveHandler struct{ baseHandler }

// Get renders one page of archive.html, newest entries first.
func (h *archiveHandler) Get() error {
	p, err := h.GetArgument("page", "1")
	if err != nil {
		return err
	}
	page, err := strconv.Atoi(p)
	if err != nil || page < 1 {
		return web.NewHTTPError(400, "bad archive page %q", p)
	}
	if page > (1<<31)/archivePageSize {
		return web.NewHTTPError(404)
	}
	entries, total, err := h.Blog.db.ArchivePage(h.Context(), (page-1)*archivePageSize, archivePageSize)
	if err != nil {
		return err
	}
	pages := max(1, (total+archivePageSize-1)/archivePageSize)
	if page > pages {
		return web.NewHTTPError(404)
	}
	return h.Render("archive.html", web.Vars{"entries": entries, "page": page, "pages": pages})
}

// feedHandler is GET /feed, the Atom feed.
type feedHandler struct{ baseHandler }

// Get renders feed.xml as application/atom+xml.
func (h *feedHandler) Get() error {
	entries, err := h.Blog.db.NewestEntries(h.Context(), feedEntries)
	if err != nil {
		return err
	}
	updated := h.Blog.now().UTC().Truncate(time.Second)
	if len(entries) > 0 {
		updated = entries[0].Updated
		for _, e := range entries {
			if e.Updated.After(updated) {
				updated = e.Updated
			}
		}
	}
	if err := h.SetHeader("Content-Type", "application/atom+xml"); err != nil {
		return err
	}
	return h.Render("feed.xml", web.Vars{"entries": entries, "updated": updated})
}
