package main

import (
	"errors"
	"strconv"

	"github.com/tornago/tornago/examples/blog/internal/markdown"
	"github.com/tornago/tornago/examples/blog/internal/slug"
	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/web"
)

// composeForm is the compose page's form.
type composeForm struct {
	ID       string `form:"id"`
	Title    string `form:"title" validate:"required,max=512"`
	Markdown string `form:"markdown" validate:"required"`
}

// composeHandler is /compose: GET shows the form (?id=N to edit an entry),
// POST creates or updates the entry. Signed-in authors only.
type composeHandler struct {
	baseHandler
	web.Authenticated
}

// entryArg loads the entry named by the "id" argument: nil without one,
// 404 when there is no such entry, 403 when it is another author's.
func (h *baseHandler) entryArg() (*store.Entry, error) {
	v, err := h.GetArgument("id", "")
	if err != nil || v == "" {
		return nil, err
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, web.NewHTTPError(404, "bad entry id %q", v)
	}
	e, err := h.Blog.db.EntryByID(h.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, web.NewHTTPError(404)
	}
	if err != nil {
		return nil, err
	}
	if a := h.author(); a == nil || a.ID != e.AuthorID {
		return nil, web.NewHTTPError(403, "entry %d is not the signed-in author's", e.ID)
	}
	return &e, nil
}

// Get renders the empty form, or the form for the entry ?id=N.
func (h *composeHandler) Get() error {
	e, err := h.entryArg()
	if err != nil {
		return err
	}
	form := composeForm{}
	if e != nil {
		form.Title, form.Markdown = e.Title, e.Markdown
	}
	return h.render(e, form, map[string]string{})
}

func (h *composeHandler) render(e *store.Entry, form composeForm, errs map[string]string) error {
	var entry any // None for a new post
	if e != nil {
		entry = *e
	}
	return h.Render("compose.html", web.Vars{"entry": entry, "form": form, "errors": errs})
}

// Post saves the entry and redirects to it; an invalid form comes back
// with a message next to each wrong field.
func (h *composeHandler) Post() error {
	e, err := h.entryArg()
	if err != nil {
		return err
	}
	var form composeForm
	if err := h.Bind(&form); err != nil {
		var fe *web.FormError
		if !errors.As(err, &fe) {
			return err
		}
		h.SetStatus(400)
		return h.render(e, form, fe.Fields)
	}
	html := markdown.Render(form.Markdown)
	ctx := h.Context()
	if e != nil {
		u, err := h.Blog.db.UpdateEntry(ctx, e.ID, store.EntryUpdate{Title: form.Title, Markdown: form.Markdown, HTML: html})
		if errors.Is(err, store.ErrNotFound) {
			return web.NewHTTPError(404)
		}
		if err != nil {
			return err
		}
		return h.Redirect("/entry/" + u.Slug)
	}
	base := slug.Make(form.Title)
	for range slugRetries {
		s, err := slug.Unique(ctx, base, h.Blog.db.SlugTaken)
		if err != nil {
			return err
		}
		created, err := h.Blog.db.CreateEntry(ctx, store.NewEntry{
			AuthorID: h.author().ID, Slug: s, Title: form.Title, Markdown: form.Markdown, HTML: html,
		})
		if errors.Is(err, store.ErrSlugTaken) {
			continue // another post took it meanwhile: pick the next one
		}
		if err != nil {
			return err
		}
		return h.Redirect("/entry/" + created.Slug)
	}
	return errors.New("blog: no free slug after retries for " + base)
}

// deleteHandler is /delete: GET asks to confirm, POST deletes. Signed-in
// authors only, their own entries only.
type deleteHandler struct {
	baseHandler
	web.Authenticated
}

// Get renders the confirmation page for ?id=N.
func (h *deleteHandler) Get() error {
	e, err := h.entryArg()
	if err != nil {
		return err
	}
	if e == nil {
		return web.NewHTTPError(400, "delete without id")
	}
	return h.Render("delete.html", web.Vars{"entry": *e})
}

// Post deletes the entry and goes home.
func (h *deleteHandler) Post() error {
	e, err := h.entryArg()
	if err != nil {
		return err
	}
	if e == nil {
		return web.NewHTTPError(400, "delete without id")
	}
	if err := h.Blog.db.DeleteEntry(h.Context(), e.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return h.Redirect("/")
}
