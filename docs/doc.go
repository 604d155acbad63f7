// Package docs holds tornago's user guide (guide.md), the porting table from
// Tornado's names (porting.md) and the security notes (security.md). Its
// tests compile every Go sample of those files: each ```go block must
// appear verbatim in a .go file of this directory tree, and the files are
// compiled and run by go test ./docs/...
package docs
