package httpserver

import (
	"crypto/tls"
	"fmt"
)

// LoadTLSConfig reads a PEM certificate chain and its key (as
// tls.LoadX509KeyPair) and returns a configuration for Options.TLSConfig.
func LoadTLSConfig(certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("httpserver: loading TLS key pair: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
}

// serverTLSConfig is the copy of cfg the server uses: HTTP/1.1 is the one
// protocol it offers by ALPN (a client must not pick h2), and nothing
// older than TLS 1.2 is spoken.
func serverTLSConfig(cfg *tls.Config) *tls.Config {
	c := cfg.Clone()
	c.NextProtos = []string{"http/1.1"}
	if c.MinVersion < tls.VersionTLS12 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}
