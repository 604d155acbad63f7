package main

import (
	"testing"

	"github.com/tornago/tornago/bench/internal/wscheck"
)

// TestEchoesTextAndBinary checks the server the bench measures against
// gorilla's client: text comes back as text, binary as binary, with and
// without permessage-deflate negotiated.
func TestEchoesTextAndBinary(t *testing.T) {
	srv, err := serve(0, "127.0.0.1", 1, true, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	wscheck.Echo(t, "ws://"+srv.Addr().String()+"/echo")
}

// TestPlainServerRefusesDeflate checks that without -compress no
// extension is negotiated, so the plain rows measure plain frames.
func TestPlainServerRefusesDeflate(t *testing.T) {
	srv, err := serve(0, "127.0.0.1", 1, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	wscheck.NoDeflate(t, "ws://"+srv.Addr().String()+"/echo")
}

func TestHeapAnswersTwoNumbers(t *testing.T) {
	srv, err := serve(0, "127.0.0.1", 1, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	wscheck.Heap(t, "http://"+srv.Addr().String()+"/heap")
}
