package testcert

import (
	"crypto/tls"
	"testing"
)

// TestNew: the certificate verifies for 127.0.0.1 and localhost against its
// own pool, and the PEM files load back as a key pair.
func TestNew(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		if err := c.TLS.Leaf.VerifyHostname(host); err != nil {
			t.Error(err)
		}
	}
	certFile, keyFile, err := c.WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tls.LoadX509KeyPair(certFile, keyFile); err != nil {
		t.Fatal(err)
	}
}
