package conformance

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// exchangeTimeout bounds one row's conversation; every server answers a
// row in milliseconds, so reaching it means a hang worth reporting.
const exchangeTimeout = 3 * time.Second

// probe is sent after a row's responses: an echo of it proves the
// connection is still open and that the row's bytes were framed exactly.
const probe = "GET /probe HTTP/1.1\r\nHost: p\r\n\r\n"

// outcome is what a server did with a row.
type outcome struct {
	statuses []int    // one per response, 1xx included
	bodies   []string // the final responses' bodies
	closed   bool     // the connection closed after the responses
}

func (o outcome) String() string {
	return fmt.Sprintf("statuses=%v closed=%v", o.statuses, o.closed)
}

// exchange sends raw to addr (one byte per write if bytewise), reads n
// final responses (1xx are recorded but not counted), then sends the probe
// to find out whether the connection stayed open. methods gives the method
// of each request, for HEAD framing; missing entries mean GET.
func exchange(addr, raw string, bytewise bool, n int, methods []string) (outcome, error) {
	var o outcome
	c, err := dial(addr)
	if err != nil {
		return o, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(exchangeTimeout))
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		if !bytewise {
			io.WriteString(c, raw)
			return
		}
		for i := 0; i < len(raw); i++ {
			if _, err := c.Write([]byte{raw[i]}); err != nil {
				return
			}
		}
	}()
	defer func() { <-wrote }()
	br := bufio.NewReader(c)
	read := func(method string) (*http.Response, string, error) {
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			return nil, "", err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b), err
	}
	finals := 0
	for finals < n {
		method := "GET"
		if finals < len(methods) {
			method = methods[finals]
		}
		resp, body, err := read(method)
		if err != nil {
			o.closed = true
			return o, nil
		}
		o.statuses = append(o.statuses, resp.StatusCode)
		if resp.StatusCode >= 200 {
			finals++
			o.bodies = append(o.bodies, body)
		}
	}
	<-wrote
	io.WriteString(c, probe)
	for {
		resp, body, err := read("GET")
		if err != nil {
			o.closed = true
			return o, nil
		}
		if resp.StatusCode == 200 && strings.HasPrefix(body, "GET\n/probe\n0\n") {
			return o, nil
		}
		// An unexpected extra response: record it and keep looking.
		o.statuses = append(o.statuses, resp.StatusCode)
		o.bodies = append(o.bodies, body)
	}
}

// matches reports whether o is what e expects; echo entries compare the
// first three echo lines (method, target, body length) of the final
// responses, "" skipping one.
func (e expect) matches(o outcome) bool {
	want, got := e.statuses, o.statuses
	if e.may100 {
		drop := func(s int) bool { return s == 100 }
		want = slices.DeleteFunc(slices.Clone(want), drop)
		got = slices.DeleteFunc(slices.Clone(got), drop)
	}
	if !slices.Equal(want, got) || e.close != o.closed {
		return false
	}
	for i, want := range e.echo {
		if want == "" {
			continue
		}
		if i >= len(o.bodies) {
			return false
		}
		lines := strings.SplitN(o.bodies[i], "\n", 4)
		if len(lines) < 3 || strings.Join(lines[:3], " ") != want {
			return false
		}
	}
	return true
}
