package httpserver_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/ioloop"
)

func Example() {
	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteString("Hello, world")
		w.Finish()
	}), httpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil { // port 0: any free port
		fmt.Println(err)
		return
	}
	defer srv.Shutdown(context.Background())

	resp, err := http.Get("http://" + srv.Addr().String() + "/")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Length"), string(body))
	// Output: 200 OK 12 Hello, world
}

// An asynchronous handler returns without finishing; the response is
// finished later on the loop, here when blocking work done on the loop's
// executor completes. Other connections are served meanwhile.
func ExampleHandler_asynchronous() {
	slow := httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		f := r.Loop().RunInExecutor(func() (any, error) {
			return "computed elsewhere", nil // e.g. a database query
		})
		f.AddDoneCallback(func(f *ioloop.Future) { // runs on the loop
			v, _ := f.Result()
			fmt.Fprintf(w, "%s for %s", v, r.Path)
			w.Finish()
		})
	})
	srv := httpserver.New(slow, httpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown(context.Background())

	resp, err := http.Get("http://" + srv.Addr().String() + "/report")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	// Output: computed elsewhere for /report
}

// Serving HTTPS: given a certificate, the server speaks TLS itself, on its
// loop, and handlers see Protocol "https".
func ExampleLoadTLSConfig() {
	// A self-signed certificate written to files for the example; a real
	// server loads its own (e.g. from Let's Encrypt).
	dir, _ := os.MkdirTemp("", "tls-example")
	defer os.RemoveAll(dir)
	cert, _ := newTestCert()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, cert.pem, 0o600)
	os.WriteFile(keyFile, cert.key, 0o600)

	cfg, err := httpserver.LoadTLSConfig(certFile, keyFile)
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		fmt.Fprintf(w, "hello over %s", r.Protocol)
		w.Finish()
	}), httpserver.Options{TLSConfig: cfg})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown(context.Background())

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: cert.pool}}}
	resp, err := client.Get("https://" + srv.Addr().String() + "/")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Proto, tls.VersionName(resp.TLS.Version), string(body))
	// Output: 200 OK HTTP/1.1 TLS 1.3 hello over https
}
