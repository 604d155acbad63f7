package main

import (
	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/web"
)

// entryModule is the demo's EntryModule: {% module Entry(entry) %} renders
// modules/entry.html for one entry.
type entryModule struct{ web.UIModule }

// Render renders one entry.
func (m *entryModule) Render(entry store.Entry) (string, error) {
	return m.RenderString("modules/entry.html", web.Vars{"entry": entry})
}
