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
package iostream
