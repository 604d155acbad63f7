package websocket

import (
	"encoding/binary"
)

// Opcodes of RFC 6455 section 5.2.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// Frame header bits.
const (
	bitFin  = 0x80
	bitRSV1 = 0x40
	bitRSV2 = 0x20
	bitRSV3 = 0x10
	bitMask = 0x80
)

// maxControlPayload is RFC 6455's limit on a control frame's payload
// (section 5.5): 125 bytes, so it always fits the 7-bit length.
const maxControlPayload = 125

// Close codes of RFC 6455 section 7.4.1 that tornago sends.
const (
	CloseNormal          = 1000
	CloseGoingAway       = 1001
	CloseProtocolError   = 1002
	CloseUnsupportedData = 1003
	CloseNoStatus        = 1005 // never sent: "no code in the close frame"
	CloseAbnormal        = 1006 // never sent: "closed without a close frame"
	CloseInvalidPayload  = 1007
	ClosePolicyViolation = 1008
	CloseMessageTooBig   = 1009
	CloseInternalError   = 1011
)

// frame is one parsed frame. payload is a view into the input, unmasked in
// place.
type frame struct {
	fin     bool
	rsv1    bool
	opcode  byte
	masked  bool
	payload []byte
}

// A CloseError is a protocol violation by the peer, or a close it sent: the
// code and reason of the close frame.
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	return "websocket: close " + itoa(e.Code) + " " + e.Reason
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

func protocolError(reason string) error {
	return &CloseError{Code: CloseProtocolError, Reason: reason}
}

// errTooBig is the 1009 close of a frame or message over the limit.
var errTooBig = &CloseError{Code: CloseMessageTooBig, Reason: "message too big"}

// readFrame parses one frame at the start of data. It returns the frame and
// the bytes it spans; n == 0 with a nil error means data holds only part of
// a frame. A frame whose declared payload exceeds maxPayload is refused
// (1009) as soon as its header is read, before its payload is buffered.
// Masked payloads are unmasked in place. readFrame checks the rules that a
// frame alone breaks: reserved bits (RSV1 only when allowRSV1), unknown
// opcodes, fragmented or oversized control frames, and the 64-bit length's
// top bit.
func readFrame(data []byte, maxPayload int, allowRSV1 bool) (f frame, n int, err error) {
	if len(data) < 2 {
		return f, 0, nil
	}
	b0, b1 := data[0], data[1]
	f.fin = b0&bitFin != 0
	f.rsv1 = b0&bitRSV1 != 0
	f.opcode = b0 & 0x0f
	f.masked = b1&bitMask != 0
	if b0&(bitRSV2|bitRSV3) != 0 || (f.rsv1 && !allowRSV1) {
		return f, 0, protocolError("reserved bit set")
	}
	control := f.opcode >= opClose
	switch f.opcode {
	case opContinuation, opText, opBinary, opClose, opPing, opPong:
	default:
		return f, 0, protocolError("unknown opcode")
	}
	if control && !f.fin {
		return f, 0, protocolError("fragmented control frame")
	}
	if control && f.rsv1 {
		return f, 0, protocolError("compressed control frame")
	}
	length := uint64(b1 & 0x7f)
	pos := 2
	switch length {
	case 126:
		if len(data) < 4 {
			return f, 0, nil
		}
		length = uint64(binary.BigEndian.Uint16(data[2:4]))
		pos = 4
	case 127:
		if len(data) < 10 {
			return f, 0, nil
		}
		length = binary.BigEndian.Uint64(data[2:10])
		if length>>63 != 0 {
			return f, 0, protocolError("invalid frame length")
		}
		pos = 10
	}
	if control && length > maxControlPayload {
		return f, 0, protocolError("control frame too long")
	}
	if length > uint64(maxPayload) {
		return f, 0, errTooBig
	}
	var key [4]byte
	if f.masked {
		if len(data) < pos+4 {
			return f, 0, nil
		}
		copy(key[:], data[pos:pos+4])
		pos += 4
	}
	end := pos + int(length)
	if len(data) < end {
		return f, 0, nil
	}
	f.payload = data[pos:end:end]
	if f.masked {
		maskBytes(key, 0, f.payload)
	}
	return f, end, nil
}

// maskBytes XORs b with key, starting at key offset pos, and returns the
// next offset (RFC 6455 section 5.3).
func maskBytes(key [4]byte, pos int, b []byte) int {
	if len(b) >= 16 {
		// Word at a time: rotate the key to the current offset first.
		var k [8]byte
		for i := range k {
			k[i] = key[(pos+i)&3]
		}
		kw := binary.LittleEndian.Uint64(k[:])
		for len(b) >= 8 {
			binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^kw)
			b = b[8:]
		}
	}
	for i := range b {
		b[i] ^= key[pos&3]
		pos++
	}
	return pos & 3
}

// appendFrameHeader appends a frame header for a payload of n bytes;
// masked frames carry key.
func appendFrameHeader(dst []byte, opcode byte, fin, rsv1 bool, n int, masked bool, key [4]byte) []byte {
	b0 := opcode
	if fin {
		b0 |= bitFin
	}
	if rsv1 {
		b0 |= bitRSV1
	}
	var m byte
	if masked {
		m = bitMask
	}
	switch {
	case n <= 125:
		dst = append(dst, b0, m|byte(n))
	case n <= 0xffff:
		dst = append(dst, b0, m|126, byte(n>>8), byte(n))
	default:
		dst = append(dst, b0, m|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	if masked {
		dst = append(dst, key[:]...)
	}
	return dst
}

// appendFrame appends a whole frame; a masked one has its payload masked
// in the copy.
func appendFrame(dst []byte, opcode byte, fin, rsv1 bool, payload []byte, masked bool, key [4]byte) []byte {
	dst = appendFrameHeader(dst, opcode, fin, rsv1, len(payload), masked, key)
	start := len(dst)
	dst = append(dst, payload...)
	if masked {
		maskBytes(key, 0, dst[start:])
	}
	return dst
}

// validCloseCode reports whether a peer may send code in a close frame
// (RFC 6455 section 7.4; 1004-1006, 1015 and unassigned ranges are not).
func validCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1011:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}
