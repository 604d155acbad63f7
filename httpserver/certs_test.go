package httpserver_test

import (
	"crypto/tls"
	"crypto/x509"

	"github.com/tornago/tornago/internal/testcert"
)

// testCert is a self-signed ECDSA P-256 certificate for 127.0.0.1 and
// localhost, made for each test run (no key file is committed).
type testCert struct {
	cert tls.Certificate
	pool *x509.CertPool // trusts cert
	pem  []byte         // the certificate, for curl --cacert
	key  []byte         // its key, PEM-encoded
}

// newTestCert makes a certificate that is its own CA.
func newTestCert() (*testCert, error) {
	c, err := testcert.New()
	if err != nil {
		return nil, err
	}
	return &testCert{cert: c.TLS, pool: c.Pool, pem: c.CertPEM, key: c.KeyPEM}, nil
}

// serverConfig is what Options.TLSConfig gets.
func (c *testCert) serverConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c.cert}}
}

// clientConfig trusts the certificate; version 0 lets Go choose.
func (c *testCert) clientConfig(version uint16) *tls.Config {
	return &tls.Config{RootCAs: c.pool, MinVersion: version, MaxVersion: version, ServerName: "127.0.0.1",
		NextProtos: []string{"h2", "http/1.1"}} // the server must not pick h2
}
