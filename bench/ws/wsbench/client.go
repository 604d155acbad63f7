package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

const (
	// maxHandshakeSize bounds the server's 101 answer: both servers send a
	// few hundred bytes.
	maxHandshakeSize = 4 << 10

	// readBufferSize is each client socket's read buffer: a whole window of
	// small echoes arrives in one read.
	readBufferSize = 16 << 10

	// acceptGUID is RFC 6455's key suffix (section 1.3).
	acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

	// deflateOffer asks for permessage-deflate without context takeover
	// both ways, the only mode gorilla/websocket speaks and the one tornago
	// always answers.
	deflateOffer = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
)

// wsConn is one client WebSocket connection after its handshake. It is
// used by one goroutine at a time.
type wsConn struct {
	conn    net.Conn
	buf     []byte // buf[r:w] is read but not yet parsed
	r, w    int
	deflate bool // permessage-deflate was negotiated
}

// dial connects from src (nil: any), performs the opening handshake for
// path, offering permessage-deflate when deflate is set, and checks the
// server's 101 and Sec-WebSocket-Accept.
func dial(ctx context.Context, addr, path string, src net.IP, deflate bool) (*wsConn, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	if src != nil {
		d.LocalAddr = &net.TCPAddr{IP: src}
	}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &wsConn{conn: conn, buf: make([]byte, readBufferSize)}
	deadline := time.Now().Add(10 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	if err := c.handshake(addr, path, deflate); err != nil {
		conn.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return c, nil
}

func (c *wsConn) handshake(host, path string, deflate bool) error {
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
	if deflate {
		req += "Sec-WebSocket-Extensions: " + deflateOffer + "\r\n"
	}
	req += "\r\n"
	if _, err := c.conn.Write([]byte(req)); err != nil {
		return fmt.Errorf("sending handshake: %w", err)
	}
	for {
		if end := bytes.Index(c.buf[:c.w], []byte("\r\n\r\n")); end >= 0 {
			c.r = end + 4
			return c.checkAnswer(string(c.buf[:end]), key, deflate)
		}
		if c.w >= maxHandshakeSize {
			return errors.New("handshake answer too large")
		}
		n, err := c.conn.Read(c.buf[c.w:maxHandshakeSize])
		if n == 0 && err != nil {
			return fmt.Errorf("reading handshake answer: %w", err)
		}
		c.w += n
	}
}

// checkAnswer checks the 101 head (without its final blank line).
func (c *wsConn) checkAnswer(head, key string, deflate bool) error {
	status, fields, _ := strings.Cut(head, "\r\n")
	if f := strings.Fields(status); len(f) < 2 || f[1] != "101" {
		return fmt.Errorf("handshake answered %q, not 101", status)
	}
	sum := sha1.Sum([]byte(key + acceptGUID))
	want := base64.StdEncoding.EncodeToString(sum[:])
	accepted := false
	for line := range strings.SplitSeq(fields, "\r\n") {
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "sec-websocket-accept":
			if value != want {
				return fmt.Errorf("Sec-WebSocket-Accept %q, want %q", value, want)
			}
			accepted = true
		case "sec-websocket-extensions":
			if strings.HasPrefix(value, "permessage-deflate") {
				if !deflate {
					return errors.New("server chose permessage-deflate, which was not offered")
				}
				c.deflate = true
			}
		}
	}
	if !accepted {
		return errors.New("handshake answer without Sec-WebSocket-Accept")
	}
	return nil
}

// fill reads more data after what is unparsed, moving that to the front
// of the buffer first.
func (c *wsConn) fill() error {
	if c.r > 0 {
		c.w = copy(c.buf, c.buf[c.r:c.w])
		c.r = 0
	}
	if c.w == len(c.buf) {
		return errors.New("frame larger than the read buffer")
	}
	n, err := c.conn.Read(c.buf[c.w:])
	c.w += n
	if n > 0 {
		return nil
	}
	return err
}

// next returns the next complete frame, reading as needed. The payload is
// valid until the next call.
func (c *wsConn) next() (frame, error) {
	for {
		f, n, err := parseFrame(c.buf[c.r:c.w])
		if err != nil {
			return frame{}, err
		}
		if n > 0 {
			c.r += n
			return f, nil
		}
		if err := c.fill(); err != nil {
			return frame{}, err
		}
	}
}

// buffered reports whether a complete frame is already in the buffer.
func (c *wsConn) buffered() bool {
	_, n, err := parseFrame(c.buf[c.r:c.w])
	return n > 0 || err != nil
}

func (c *wsConn) Close() error { return c.conn.Close() }
