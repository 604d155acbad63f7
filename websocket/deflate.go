package websocket

import (
	"bytes"
	"compress/flate"
	"io"
	"strconv"
	"strings"
	"sync"
)

// CompressionOptions turns on permessage-deflate (RFC 7692), Tornado's
// get_compression_options: nil means off, a non-nil value (even zero) on.
//
// tornago always negotiates no_context_takeover in both directions: each
// message is compressed on its own, with a flate writer or reader borrowed
// from a pool for the duration of that message, so an idle socket holds no
// compression state (a flate writer is about 600 KiB).
type CompressionOptions struct {
	// Level is the flate level (0 means flate.DefaultCompression;
	// Tornado's compression_level, default 6).
	Level int
	// MinSize leaves messages shorter than this uncompressed (0: compress
	// all, as Tornado does).
	MinSize int
}

// deflateTail is what a sender strips from the end of each compressed
// message (RFC 7692 section 7.2.1); the receiver appends it back, followed
// by an empty final stored block so the flate reader sees a clean end.
var deflateTail = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// writerPools holds flate writers by level (index level+2, -2..9).
var writerPools [12]sync.Pool

var readerPool sync.Pool

// deflateMessage compresses msg into dst (appended) as one
// permessage-deflate message.
func deflateMessage(dst, msg []byte, level int) ([]byte, error) {
	if level == 0 {
		level = flate.DefaultCompression
	}
	if level < flate.HuffmanOnly || level > flate.BestCompression {
		level = flate.DefaultCompression
	}
	buf := bytes.NewBuffer(dst)
	p := &writerPools[level+2]
	fw, _ := p.Get().(*flate.Writer)
	if fw == nil {
		var err error
		if fw, err = flate.NewWriter(buf, level); err != nil {
			return dst, err
		}
	} else {
		fw.Reset(buf)
	}
	defer p.Put(fw)
	if _, err := fw.Write(msg); err != nil {
		return dst, err
	}
	if err := fw.Flush(); err != nil {
		return dst, err
	}
	out := buf.Bytes()
	// A sync flush ends with an empty stored block 00 00 ff ff: strip it.
	if len(out) >= 4 && bytes.Equal(out[len(out)-4:], deflateTail[:4]) {
		out = out[:len(out)-4]
	}
	return out, nil
}

// inflateMessage decompresses one permessage-deflate message, appending to
// dst; more than limit bytes of output is errTooBig (Tornado checks
// max_message_size after inflating too: a small frame may inflate to
// gigabytes).
func inflateMessage(dst, compressed []byte, limit int) ([]byte, error) {
	src := io.MultiReader(bytes.NewReader(compressed), bytes.NewReader(deflateTail))
	fr, _ := readerPool.Get().(io.ReadCloser)
	if fr == nil {
		fr = flate.NewReader(src)
	} else if err := fr.(flate.Resetter).Reset(src, nil); err != nil {
		return dst, err
	}
	defer readerPool.Put(fr)
	buf := bytes.NewBuffer(dst)
	n, err := buf.ReadFrom(io.LimitReader(fr, int64(limit)+1))
	if err != nil {
		return dst, &CloseError{Code: CloseInvalidPayload, Reason: "invalid compressed data"}
	}
	if n > int64(limit) {
		return dst, errTooBig
	}
	return buf.Bytes(), nil
}

// extension is one offer of a Sec-WebSocket-Extensions header: its name
// and parameters (value "" for a bare parameter).
type extension struct {
	name   string
	params map[string]string
}

// parseExtensions parses a Sec-WebSocket-Extensions value (RFC 6455
// section 9.1), loosely: quoted values lose their quotes.
func parseExtensions(h string) []extension {
	var out []extension
	for _, item := range strings.Split(h, ",") {
		parts := strings.Split(item, ";")
		name := strings.TrimSpace(parts[0])
		if name == "" {
			continue
		}
		e := extension{name: strings.ToLower(name), params: map[string]string{}}
		for _, p := range parts[1:] {
			k, v, _ := strings.Cut(p, "=")
			e.params[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
		}
		out = append(out, e)
	}
	return out
}

// serverDeflateResponse picks the first permessage-deflate offer tornago
// can honour and returns the response extension header, or "".
func serverDeflateResponse(header string) string {
	for _, e := range parseExtensions(header) {
		if e.name != "permessage-deflate" {
			continue
		}
		ok := true
		for k, v := range e.params {
			switch k {
			case "server_no_context_takeover", "client_no_context_takeover", "client_max_window_bits":
			case "server_max_window_bits":
				// Go's flate always uses a 32 KiB window: only 15 is honoured.
				if n, err := strconv.Atoi(v); err != nil || n != 15 {
					ok = false
				}
			default:
				ok = false
			}
		}
		if ok {
			return "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
		}
	}
	return ""
}

// clientDeflateOffer is what Dial offers.
const clientDeflateOffer = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"

// clientDeflateAccepted checks the server's answer to clientDeflateOffer:
// (true, nil) when compression is on, an error when the answer is one the
// client cannot honour.
func clientDeflateAccepted(header string) (bool, error) {
	exts := parseExtensions(header)
	if len(exts) == 0 {
		return false, nil
	}
	if len(exts) > 1 || exts[0].name != "permessage-deflate" {
		return false, protocolError("unexpected extension in handshake: " + header)
	}
	if _, ok := exts[0].params["server_no_context_takeover"]; !ok {
		return false, protocolError("server refused server_no_context_takeover")
	}
	if v, ok := exts[0].params["client_max_window_bits"]; ok && v != "" && v != "15" {
		return false, protocolError("unsupported client_max_window_bits " + v)
	}
	return true, nil
}
