// Package iostream wraps a non-blocking socket in buffered reads and writes
// that complete on the socket's IOLoop, as Tornado's IOStream does.
//
// An IOStream belongs to one IOLoop and must only be used from that loop's
// goroutine; IOLoop.AddCallback is the way in from anywhere else.
//
//	s := iostream.New(loop, fd)
//	s.ReadUntil([]byte("\n"), 1024, func(line []byte, err error) {
//		if err != nil {
//			return // the stream is closed
//		}
//		s.Write(line, nil) // echo it back
//	})
//
// Reads land in the loop's shared 64 KiB buffer; a stream keeps only the
// bytes nobody consumed yet, in a pooled buffer it gives back as soon as it
// empties, so an idle connection holds no buffer. The data slices handed to
// read callbacks are valid only during the callback.
//
// Writes go straight to the socket; only what the kernel did not take is
// copied into a pooled buffer, and WRITE interest is registered only while
// such a remainder is pending. Write never keeps the caller's slice.
//
// # TLS
//
// WithTLSServer and WithTLSClient make a stream speak TLS with crypto/tls,
// under the same API: raw mode and the Tornado-style reads see plaintext,
// Write takes plaintext. crypto/tls cannot resume a handshake after a
// would-block (its handshake error is sticky), so the handshake runs on a
// short-lived goroutine reading from a buffer the loop fills and writing
// through loop callbacks; once it completes, the goroutine ends and the
// loop drives the connection itself: a read with no input returns a
// temporary error, which crypto/tls survives, keeping a partial record
// for the next read. Written plaintext is encrypted at once; the records
// are what is pending, so the write cap counts ciphertext. An idle TLS
// connection holds no goroutine, only its crypto/tls state (about 11 KB
// of resident memory, see bench/tls).
package iostream
