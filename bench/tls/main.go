// Command tls measures what TLS costs a tornago HTTPServer against plain
// HTTP: resident memory per idle keep-alive connection, and keep-alive
// requests per second of a hello-world handler on one loop. net/http's
// server over TLS (a goroutine per connection, all cores) is measured too,
// for reference.
//
//	go run ./tls -n 2000 -c 16 -d 5s
//	mode          conns  rss_before_kb  rss_after_kb  bytes_per_idle_conn  req_per_s
//	plain          2000   ...
//	https          2000   ...
//	net/http+tls   2000   ...
//
// The server runs in a child process (this program re-executed with
// -serve), so its VmRSS holds only the server; the clients run here, on
// the same machine (they share its cores: the figures compare the two
// modes, they are not a server's peak). The TLS certificate is a fresh
// self-signed ECDSA P-256 one, written to a temporary directory.
package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tornago/tornago/bench/internal/procfs"
	"github.com/tornago/tornago/httpserver"
)

const request = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n"

func main() {
	serve := flag.String("serve", "", "child mode: serve plain or https (with -dir) and print the address")
	dir := flag.String("dir", "", "directory holding cert.pem and key.pem (child mode)")
	n := flag.Int("n", 2000, "idle keep-alive connections for the memory figure")
	c := flag.Int("c", 16, "concurrent keep-alive connections for the req/s figure")
	d := flag.Duration("d", 5*time.Second, "length of the req/s run")
	flag.Parse()
	if *serve != "" {
		if err := runServer(*serve, *dir); err != nil {
			fmt.Fprintln(os.Stderr, "tls bench server:", err)
			os.Exit(1)
		}
		return
	}
	if err := runBench(*n, *c, *d); err != nil {
		fmt.Fprintln(os.Stderr, "tls bench:", err)
		os.Exit(1)
	}
}

// runServer serves a hello world on one loop until stdin closes.
func runServer(mode, dir string) error {
	if mode == "net/http+tls" {
		return runNetHTTP(dir)
	}
	opts := httpserver.Options{}
	if mode == "https" {
		cfg, err := httpserver.LoadTLSConfig(filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
		if err != nil {
			return err
		}
		opts.TLSConfig = cfg
	}
	hello := []byte("Hello, world")
	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(hello)
		w.Finish()
	}), opts)
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		return err
	}
	fmt.Println(srv.Addr())
	io.Copy(io.Discard, os.Stdin) // the parent closes it to stop us
	return srv.Close()
}

// runNetHTTP serves the same hello world with net/http over TLS (a
// goroutine per connection), for reference.
func runNetHTTP(dir string) error {
	hello := []byte("Hello, world")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(hello)
	}), TLSConfig: &tls.Config{NextProtos: []string{"http/1.1"}}}
	fmt.Println(ln.Addr())
	go srv.ServeTLS(ln, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
	io.Copy(io.Discard, os.Stdin)
	return srv.Close()
}

// child is a running server process.
type child struct {
	cmd   *exec.Cmd
	stdin io.Closer
	addr  string
}

func startChild(mode, dir string) (*child, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-serve", mode, "-dir", dir)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return nil, fmt.Errorf("server did not start: %w", err)
	}
	return &child{cmd: cmd, stdin: in, addr: strings.TrimSpace(line)}, nil
}

func (c *child) stop() {
	c.stdin.Close()
	c.cmd.Wait()
}

// rssKiB reads the child's VmRSS.
func (c *child) rssKiB() (int, error) {
	kib, err := procfs.RSSKiB(c.cmd.Process.Pid)
	return int(kib), err
}

// conn is a client connection that sends the request and reads the
// answer, whose size it learns from the first one.
type conn struct {
	c    net.Conn
	buf  []byte
	size int
}

func dial(addr string, cfg *tls.Config) (*conn, error) {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		tc := tls.Client(c, cfg)
		if err := tc.Handshake(); err != nil {
			c.Close()
			return nil, err
		}
		c = tc
	}
	return &conn{c: c, buf: make([]byte, 4096)}, nil
}

func (c *conn) roundTrip() error {
	if _, err := io.WriteString(c.c, request); err != nil {
		return err
	}
	if c.size == 0 {
		n, err := c.c.Read(c.buf)
		if err != nil {
			return err
		}
		if !bytes.HasSuffix(c.buf[:n], []byte("Hello, world")) {
			return fmt.Errorf("unexpected answer %q", c.buf[:n])
		}
		c.size = n
		return nil
	}
	_, err := io.ReadFull(c.c, c.buf[:c.size])
	return err
}

type result struct {
	mode              string
	conns             int
	rssBefore, rssAft int
	reqPerSec         float64
}

func runBench(n, concurrency int, d time.Duration) error {
	dir, err := os.MkdirTemp("", "tlsbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	pool, err := writeCert(dir)
	if err != nil {
		return err
	}
	var results []result
	for _, mode := range []string{"plain", "https", "net/http+tls"} {
		var cfg *tls.Config
		if mode != "plain" {
			cfg = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
		}
		r, err := measure(mode, dir, cfg, n, concurrency, d)
		if err != nil {
			return fmt.Errorf("%s: %w", mode, err)
		}
		results = append(results, r)
	}
	fmt.Printf("%-12s %6s %14s %13s %20s %10s\n", "mode", "conns", "rss_before_kb", "rss_after_kb", "bytes_per_idle_conn", "req_per_s")
	for _, r := range results {
		fmt.Printf("%-12s %6d %14d %13d %20d %10.0f\n", r.mode, r.conns, r.rssBefore, r.rssAft,
			(r.rssAft-r.rssBefore)*1024/r.conns, r.reqPerSec)
	}
	return nil
}

func measure(mode, dir string, cfg *tls.Config, n, concurrency int, d time.Duration) (result, error) {
	r := result{mode: mode, conns: n}
	ch, err := startChild(mode, dir)
	if err != nil {
		return r, err
	}
	defer ch.stop()

	// Requests per second over keep-alive connections.
	var total atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, concurrency)
	deadline := time.Now().Add(d)
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dial(ch.addr, cfg)
			if err != nil {
				errs <- err
				return
			}
			defer c.c.Close()
			for time.Now().Before(deadline) {
				if err := c.roundTrip(); err != nil {
					errs <- err
					return
				}
				total.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return r, err
	}
	r.reqPerSec = float64(total.Load()) / d.Seconds()

	// Memory per idle connection: n connections, one request each.
	time.Sleep(500 * time.Millisecond)
	if r.rssBefore, err = ch.rssKiB(); err != nil {
		return r, err
	}
	conns := make([]*conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.c.Close()
		}
	}()
	for range n {
		c, err := dial(ch.addr, cfg)
		if err != nil {
			return r, err
		}
		conns = append(conns, c)
		if err := c.roundTrip(); err != nil {
			return r, err
		}
	}
	time.Sleep(time.Second)
	r.rssAft, err = ch.rssKiB()
	return r, err
}

// writeCert writes a self-signed certificate for 127.0.0.1 to dir and
// returns a pool trusting it.
func writeCert(dir string) (*x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "tornago tls bench"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return pool, nil
}
