package main

import (
	"bufio"
	"fmt"
	"net"
	"testing"
	"time"
)

func TestEchoesLines(t *testing.T) {
	srv, err := serve(0, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	// Tornado's demo client sends one line and reads it back; send
	// several, the last two in one write.
	fmt.Fprint(c, "hello tornago\n")
	if got, err := r.ReadString('\n'); got != "hello tornago\n" {
		t.Fatalf("got %q, %v", got, err)
	}
	fmt.Fprint(c, "one\ntwo\n")
	for _, want := range []string{"one\n", "two\n"} {
		if got, err := r.ReadString('\n'); got != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
}
