package main

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// seqDigits is the width of the sequence number at the end of every
	// message: a uint64 in decimal, so each echo is checked against the
	// message it answers, in order.
	seqDigits = 20

	// deflateCycle is how many distinct messages a compressed run sends,
	// compressed once before it starts so that the client's CPU goes to
	// the wire, not to compressing: message seq carries seq modulo
	// deflateCycle, which still catches a lost or reordered echo.
	deflateCycle = 4096

	// dialConcurrency is how many connections are opened at a time, well
	// below both servers' listen backlogs.
	dialConcurrency = 50
)

// deflateTail is what a sender strips from each compressed message and the
// receiver appends back (RFC 7692 section 7.2.1), followed by an empty
// final stored block so the flate reader reaches a clean end.
var deflateTail = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// echoConfig is one echo run's load.
type echoConfig struct {
	addr     string
	conns    int
	window   int // messages in flight per connection
	size     int // bytes per message
	deflate  bool
	warmup   time.Duration
	duration time.Duration
	pid      int // the server's, for its CPU time (0: none)
}

// echoResult is what one echo run measured.
type echoResult struct {
	msgs          int64
	elapsed       time.Duration
	serverCPU     float64 // share of one CPU the server used
	clientCPU     float64 // share of one CPU this process used
	foreign       float64 // share of the machine used by neither
	compressedOut float64 // share of echoes that came back compressed
}

func (r echoResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.msgs) / r.elapsed.Seconds()
}

// perCPU is the echoes per second of server CPU time.
func (r echoResult) perCPU() float64 {
	if r.serverCPU <= 0 {
		return 0
	}
	return r.rate() / r.serverCPU
}

// fillPayload writes message seq into p: filler, then seq in decimal.
func fillPayload(p []byte, seq uint64) {
	n := len(p) - seqDigits
	for i := range n {
		p[i] = 'a' + byte(i%26)
	}
	setSeq(p, seq)
}

// setSeq rewrites only the sequence number at the end of a filled payload.
func setSeq(p []byte, seq uint64) {
	for i := len(p) - 1; i >= len(p)-seqDigits; i-- {
		p[i] = '0' + byte(seq%10)
		seq /= 10
	}
}

// codec compresses and decompresses single messages without context
// takeover, as negotiated.
type codec struct {
	zw  *flate.Writer
	zb  bytes.Buffer
	zr  io.ReadCloser
	src bytes.Reader
	in  []byte
	out []byte
}

func newCodec() *codec {
	zw, _ := flate.NewWriter(nil, flate.BestSpeed) // BestSpeed is a valid level
	return &codec{zw: zw, zr: flate.NewReader(bytes.NewReader(nil))}
}

func (z *codec) compress(p []byte) ([]byte, error) {
	z.zb.Reset()
	z.zw.Reset(&z.zb)
	if _, err := z.zw.Write(p); err != nil {
		return nil, err
	}
	if err := z.zw.Flush(); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(z.zb.Bytes(), deflateTail[:4]), nil
}

func (z *codec) decompress(p []byte, limit int) ([]byte, error) {
	z.in = append(append(z.in[:0], p...), deflateTail...)
	z.src.Reset(z.in)
	if err := z.zr.(flate.Resetter).Reset(&z.src, nil); err != nil {
		return nil, err
	}
	z.out = z.out[:0]
	for {
		if len(z.out) == cap(z.out) {
			z.out = append(z.out, 0)[:len(z.out)]
		}
		n, err := z.zr.Read(z.out[len(z.out):cap(z.out)])
		z.out = z.out[:len(z.out)+n]
		if len(z.out) > limit {
			return nil, fmt.Errorf("compressed echo inflates past %d bytes", limit)
		}
		if err == io.EOF {
			return z.out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("inflating an echo: %w", err)
		}
	}
}

// worker keeps one connection busy with a window of messages in flight.
type worker struct {
	c                *wsConn
	window, size     int
	sent, recv       uint64 // sequence numbers of the last sent and echoed
	compressedEchoes int64
	out              []byte
	payload, expect  []byte
	z                *codec   // nil without permessage-deflate
	compressed       [][]byte // with z: message i's compressed payload
	key              [4]byte
}

// compressedMessages compresses the messages of a deflate run once.
func compressedMessages(size int) ([][]byte, error) {
	z := newCodec()
	p := make([]byte, size)
	fillPayload(p, 0)
	out := make([][]byte, deflateCycle)
	for i := range out {
		setSeq(p, uint64(i))
		c, err := z.compress(p)
		if err != nil {
			return nil, err
		}
		out[i] = bytes.Clone(c)
	}
	return out, nil
}

func newWorker(c *wsConn, cfg echoConfig, i int, compressed [][]byte) *worker {
	w := &worker{c: c, window: cfg.window, size: cfg.size,
		payload: make([]byte, cfg.size), expect: make([]byte, cfg.size),
		key: [4]byte{byte(i), byte(i >> 8), 0x5a, 0xa5}}
	fillPayload(w.payload, 0)
	fillPayload(w.expect, 0)
	if c.deflate {
		w.z = newCodec()
		w.compressed = compressed
	}
	return w
}

// send writes k more messages in one write.
func (w *worker) send(k int) error {
	w.out = w.out[:0]
	for range k {
		w.sent++
		p := w.payload
		if w.z != nil {
			p = w.compressed[w.sent%deflateCycle]
		} else {
			setSeq(w.payload, w.sent)
		}
		w.out = appendFrame(w.out, opText, p, w.z != nil, w.key)
	}
	_, err := w.c.conn.Write(w.out)
	return err
}

// receive reads at least one echo and takes every complete one buffered,
// checking each against the message it answers; it returns their count.
func (w *worker) receive() (int, error) {
	k := 0
	for {
		f, err := w.c.next()
		if err != nil {
			return k, err
		}
		if err := w.check(f); err != nil {
			return k, err
		}
		k++
		if !w.c.buffered() {
			return k, nil
		}
	}
}

func (w *worker) check(f frame) error {
	switch {
	case f.op == opClose:
		return fmt.Errorf("server closed the socket: % x", f.payload)
	case f.op != opText || !f.fin:
		return fmt.Errorf("echo is opcode 0x%x fin %v, want a whole text message", f.op, f.fin)
	}
	p := f.payload
	if f.rsv1 {
		if w.z == nil {
			return errors.New("compressed echo without permessage-deflate")
		}
		var err error
		if p, err = w.z.decompress(p, w.size); err != nil {
			return err
		}
		w.compressedEchoes++
	}
	w.recv++
	if w.z != nil {
		setSeq(w.expect, w.recv%deflateCycle)
	} else {
		setSeq(w.expect, w.recv)
	}
	if !bytes.Equal(p, w.expect) {
		return fmt.Errorf("echo %d is %q, want %q", w.recv, p, w.expect)
	}
	return nil
}

// run sends the first window, then sends one message per echo until stop.
func (w *worker) run(stop *atomic.Bool, count *atomic.Int64) error {
	if err := w.send(w.window); err != nil {
		return err
	}
	for {
		k, err := w.receive()
		count.Add(int64(k))
		if stop.Load() {
			return nil
		}
		if err != nil {
			return err
		}
		if err := w.send(k); err != nil {
			if stop.Load() {
				return nil
			}
			return err
		}
	}
}

// dialAll opens n connections, dialConcurrency at a time, spreading their
// source addresses over 127.0.0.2 .. 127.0.0.(1+sources) so that repeated
// runs never run out of ephemeral ports.
func dialAll(ctx context.Context, addr string, n, sources int, deflate bool) ([]*wsConn, error) {
	conns := make([]*wsConn, n)
	jobs := make(chan int)
	errs := make(chan error, dialConcurrency)
	var wg sync.WaitGroup
	for range min(dialConcurrency, n) {
		wg.Go(func() {
			for i := range jobs {
				var src net.IP
				if sources > 0 {
					src = net.IPv4(127, 0, 0, byte(2+i%sources))
				}
				c, err := dial(ctx, addr, "/echo", src, deflate)
				if err == nil && deflate && !c.deflate {
					c.Close()
					err = errors.New("permessage-deflate offered but not negotiated")
				}
				if err != nil {
					errs <- fmt.Errorf("connection %d: %w", i, err)
					return
				}
				conns[i] = c
			}
		})
	}
	var firstErr error
feed:
	for i := range n {
		select {
		case jobs <- i:
		case firstErr = <-errs:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		select {
		case firstErr = <-errs:
		default:
		}
	}
	if firstErr != nil {
		closeAll(conns)
		return nil, firstErr
	}
	return conns, nil
}

func closeAll(conns []*wsConn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}

// echoRun opens the connections, keeps them busy through the warm-up and
// counts the echoes during the measured duration.
func echoRun(ctx context.Context, cfg echoConfig) (echoResult, error) {
	if cfg.size < seqDigits {
		return echoResult{}, fmt.Errorf("message size %d is below the %d bytes of the sequence number", cfg.size, seqDigits)
	}
	if cfg.conns < 1 || cfg.window < 1 {
		return echoResult{}, errors.New("need at least one connection and a window of one")
	}
	var compressed [][]byte
	if cfg.deflate {
		var err error
		if compressed, err = compressedMessages(cfg.size); err != nil {
			return echoResult{}, err
		}
	}
	conns, err := dialAll(ctx, cfg.addr, cfg.conns, 0, cfg.deflate)
	if err != nil {
		return echoResult{}, err
	}
	defer closeAll(conns)

	var stop atomic.Bool
	var count atomic.Int64
	workers := make([]*worker, len(conns))
	errs := make(chan error, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		w := newWorker(c, cfg, i, compressed)
		workers[i] = w
		wg.Go(func() {
			if err := w.run(&stop, &count); err != nil {
				errs <- err
			}
		})
	}
	finish := func() {
		stop.Store(true)
		for _, c := range conns {
			_ = c.conn.SetDeadline(time.Now())
		}
		wg.Wait()
	}

	if err := sleep(ctx, errs, cfg.warmup); err != nil {
		finish()
		return echoResult{}, err
	}
	m0, err := startMeter(cfg.pid)
	if err != nil {
		finish()
		return echoResult{}, err
	}
	n0, t0 := count.Load(), time.Now()
	err = sleep(ctx, errs, cfg.duration)
	n1, t1 := count.Load(), time.Now()
	m1, merr := startMeter(cfg.pid)
	finish()
	if err != nil {
		return echoResult{}, err
	}
	if merr != nil {
		return echoResult{}, merr
	}
	select {
	case err := <-errs:
		return echoResult{}, err
	default:
	}
	r := echoResult{msgs: n1 - n0, elapsed: t1.Sub(t0)}
	r.serverCPU, r.clientCPU, r.foreign = m0.shares(m1, r.elapsed)
	var zEchoes, total int64
	for _, w := range workers {
		zEchoes += w.compressedEchoes
		total += int64(w.recv)
	}
	if total > 0 {
		r.compressedOut = float64(zEchoes) / float64(total)
	}
	return r, nil
}

// sleep waits d, returning early with the first worker error or when ctx
// ends.
func sleep(ctx context.Context, errs <-chan error, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case err := <-errs:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
