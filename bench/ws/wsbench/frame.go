package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// maxFrameSize bounds a server frame's payload: the echoes measured here
// are tens of bytes, and a close frame at most 125.
const maxFrameSize = 1 << 20

// WebSocket opcodes (RFC 6455 section 5.2).
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xa
)

// frame is one parsed server frame; payload points into the read buffer.
type frame struct {
	fin, rsv1 bool
	op        byte
	payload   []byte
}

// errMasked is a masked frame from a server, which RFC 6455 forbids.
var errMasked = errors.New("server frame is masked")

// parseFrame parses one server frame at the start of b. n is 0 when b does
// not hold a whole frame yet.
func parseFrame(b []byte) (f frame, n int, err error) {
	if len(b) < 2 {
		return frame{}, 0, nil
	}
	f.fin = b[0]&0x80 != 0
	f.rsv1 = b[0]&0x40 != 0
	if b[0]&0x30 != 0 {
		return frame{}, 0, fmt.Errorf("reserved bits 0x%02x set", b[0]&0x30)
	}
	f.op = b[0] & 0x0f
	if b[1]&0x80 != 0 {
		return frame{}, 0, errMasked
	}
	size, head := uint64(b[1]&0x7f), 2
	switch size {
	case 126:
		if len(b) < 4 {
			return frame{}, 0, nil
		}
		size, head = uint64(binary.BigEndian.Uint16(b[2:])), 4
	case 127:
		if len(b) < 10 {
			return frame{}, 0, nil
		}
		size, head = binary.BigEndian.Uint64(b[2:]), 10
	}
	if size > maxFrameSize {
		return frame{}, 0, fmt.Errorf("frame of %d bytes, over the %d-byte limit", size, maxFrameSize)
	}
	if f.op >= opClose && (size > 125 || !f.fin) {
		return frame{}, 0, fmt.Errorf("control frame 0x%x of %d bytes, fin %v", f.op, size, f.fin)
	}
	end := head + int(size)
	if len(b) < end {
		return frame{}, 0, nil
	}
	f.payload = b[head:end]
	return f, end, nil
}

// appendFrame appends a final client frame carrying payload, masked with
// key, with RSV1 set when compressed.
func appendFrame(dst []byte, op byte, payload []byte, compressed bool, key [4]byte) []byte {
	b0 := 0x80 | op
	if compressed {
		b0 |= 0x40
	}
	switch n := len(payload); {
	case n < 126:
		dst = append(dst, b0, 0x80|byte(n))
	case n <= 0xffff:
		dst = append(dst, b0, 0x80|126, byte(n>>8), byte(n))
	default:
		dst = append(dst, b0, 0x80|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	dst = append(dst, key[:]...)
	start := len(dst)
	dst = append(dst, payload...)
	for i := range payload {
		dst[start+i] ^= key[i&3]
	}
	return dst
}
