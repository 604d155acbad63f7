package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tornago/tornago/bench/internal/wscheck"
)

// TestEchoesTextAndBinary checks the peer the bench measures: text comes
// back as text, binary as binary, with and without permessage-deflate.
func TestEchoesTextAndBinary(t *testing.T) {
	srv := httptest.NewServer(newMux(true))
	defer srv.Close()
	wscheck.Echo(t, "ws"+strings.TrimPrefix(srv.URL, "http")+"/echo")
}

// TestPlainServerRefusesDeflate checks that without -compress no
// extension is negotiated, so the plain rows measure plain frames.
func TestPlainServerRefusesDeflate(t *testing.T) {
	srv := httptest.NewServer(newMux(false))
	defer srv.Close()
	wscheck.NoDeflate(t, "ws"+strings.TrimPrefix(srv.URL, "http")+"/echo")
}

func TestHeapAnswersTwoNumbers(t *testing.T) {
	srv := httptest.NewServer(newMux(false))
	defer srv.Close()
	wscheck.Heap(t, srv.URL+"/heap")
}
