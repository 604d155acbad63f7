package auth

import (
	"reflect"
	"sync"

	"github.com/tornago/tornago/web"
)

var (
	blockingType  = reflect.TypeFor[web.Blocking]()
	blockingTypes sync.Map // reflect.Type -> bool
)

// isBlocking reports whether the handler embeds web.Blocking (at any
// depth), so that it runs on the application's worker pool and may block.
// A route made blocking by Rule.Blocking instead is not seen: the web
// package does not say so to a handler.
func isBlocking(handler any) bool {
	t := reflect.TypeOf(handler)
	if t == nil {
		return false
	}
	if v, ok := blockingTypes.Load(t); ok {
		return v.(bool)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	b := embeds(t, blockingType, 0)
	blockingTypes.Store(reflect.TypeOf(handler), b)
	return b
}

// maxEmbedDepth bounds the search through embedded structs; handler types
// nest a few levels (a handler embedding a base handler embedding
// web.RequestHandler), and the bound keeps a pathological type cheap.
const maxEmbedDepth = 8

func embeds(t, target reflect.Type, depth int) bool {
	if t.Kind() != reflect.Struct || depth > maxEmbedDepth {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.Anonymous {
			continue
		}
		ft := f.Type
		if ft == target {
			return true
		}
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if embeds(ft, target, depth+1) {
			return true
		}
	}
	return false
}
