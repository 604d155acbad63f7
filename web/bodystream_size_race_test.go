//go:build race

package web_test

// uploadSize is smaller under -race, which slows every byte down.
const uploadSize = 64 << 20
