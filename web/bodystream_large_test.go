package web_test

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

// maxUploadHeapGrowth is how much the heap may grow while a streamed
// upload of any size runs: a few reads of 64 KiB, the client's buffer,
// and the garbage collector's slack.
const maxUploadHeapGrowth = 8 << 20

// TestLargeUploadBoundedMemory streams uploadSize bytes (1 GiB, or 64 MiB
// under -race) to a handler that checksums them, and samples the heap
// in use during the upload: it must stay within maxUploadHeapGrowth of
// where it started.
func TestLargeUploadBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("large upload skipped in -short mode")
	}
	app := newApp(t, []web.Rule{{Pattern: "/up", Handler: &uploadHandler{Limit: 2 << 30}}}, web.Settings{})
	addr := listen(t, app, httpserver.Options{})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(4 * time.Minute))

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	// The writer samples the heap after every sampleEvery bytes it sends:
	// the socket buffers keep it at most a few MiB ahead of the handler,
	// so the samples span the upload however fast the machine runs it (a
	// timer sampled too seldom when 64 MiB took 54 ms).
	const sampleEvery = 1 << 20
	var peak atomic.Uint64
	var samples atomic.Int64
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak.Load() {
			peak.Store(m.HeapInuse)
		}
		samples.Add(1)
	}

	block := make([]byte, 64<<10)
	for i := range block {
		block[i] = byte(i * 7)
	}
	var crc uint32
	for sent := 0; sent < uploadSize; sent += len(block) {
		crc = crc32.Update(crc, crc32.IEEETable, block)
	}
	writeErr := make(chan error, 1)
	go func() {
		if _, err := fmt.Fprintf(c, "PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n", uploadSize); err != nil {
			writeErr <- err
			return
		}
		for sent := 0; sent < uploadSize; sent += len(block) {
			if sent%sampleEvery == 0 {
				sample()
			}
			if _, err := c.Write(block); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- nil
	}()
	start := time.Now()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-writeErr; err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 64)
	n, _ := resp.Body.Read(body)
	want := fmt.Sprintf("%d %08x", uploadSize, crc)
	if resp.StatusCode != 200 || string(body[:n]) != want {
		t.Fatalf("= %d %q; want 200 %q", resp.StatusCode, body[:n], want)
	}
	growth := int64(peak.Load()) - int64(base)
	t.Logf("%d MiB in %v; heap in use %d KiB at start, peak growth %d KiB over %d samples",
		uploadSize>>20, time.Since(start).Round(time.Millisecond), base>>10, growth>>10, samples.Load())
	if want := int64(uploadSize / sampleEvery); samples.Load() != want {
		t.Fatalf("%d heap samples during the upload, want %d", samples.Load(), want)
	}
	if growth > maxUploadHeapGrowth {
		t.Fatalf("the heap grew by %d KiB during the upload; want at most %d KiB", growth>>10, maxUploadHeapGrowth>>10)
	}
}
