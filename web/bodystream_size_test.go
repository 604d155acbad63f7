//go:build !race

package web_test

// uploadSize is the size of TestLargeUploadBoundedMemory's upload.
const uploadSize = 1 << 30
