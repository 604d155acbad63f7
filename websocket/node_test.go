package websocket

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
)

// nodeWS finds node and the ws package: $WS_NODE_PATH, else
// /tmp/wsnode/node_modules (npm install --prefix /tmp/wsnode ws). Missing
// ones skip the test, unless CI=true.
func nodeWS(t *testing.T) (node, nodePath string) {
	t.Helper()
	node, err := exec.LookPath("node")
	nodePath = os.Getenv("WS_NODE_PATH")
	if nodePath == "" {
		nodePath = "/tmp/wsnode/node_modules"
	}
	if err == nil {
		if _, err = os.Stat(filepath.Join(nodePath, "ws", "package.json")); err == nil {
			return node, nodePath
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("node with the ws package is required in CI: %v", err)
	}
	t.Skipf("node or the ws package missing (%v); npm install --prefix /tmp/wsnode ws", err)
	return "", ""
}

const nodeClientScript = `
const WebSocket = require('ws');
const ws = new WebSocket(process.argv[process.argv.length - 1], ['chat'], {perMessageDeflate: {threshold: 0}});
const big = 'compressible '.repeat(20000);
const sent = ['hello', big, Buffer.from([0, 1, 2, 255])];
let got = 0;
ws.on('open', () => { for (const m of sent) ws.send(m); });
ws.on('message', (data, isBinary) => {
  const want = sent[got++];
  const ok = isBinary ? Buffer.compare(data, want) === 0 : data.toString() === want;
  if (!ok) { console.log('MISMATCH ' + got); process.exit(1); }
  if (got === sent.length) ws.close(1000, 'done');
});
ws.on('close', (code) => {
  console.log('OK ext=' + ws.extensions + ' proto=' + ws.protocol + ' code=' + code);
  process.exit(0);
});
ws.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(1); });
`

func TestNodeClient(t *testing.T) {
	node, nodePath := nodeWS(t)
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{
		Handler: Handler{Compression: &CompressionOptions{}}}}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-e", nodeClientScript, "ws://"+addr+"/echo")
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	s := string(out)
	if !strings.HasPrefix(s, "OK") || !strings.Contains(s, "permessage-deflate") || !strings.Contains(s, "proto=chat") || !strings.Contains(s, "code=1000") {
		t.Fatalf("node said %q", s)
	}
}

const nodeServerScript = `
const WebSocket = require('ws');
const wss = new WebSocket.Server({port: 0, host: '127.0.0.1', perMessageDeflate: {threshold: 0}});
wss.on('listening', () => console.log('PORT ' + wss.address().port));
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, {binary: isBinary}));
  ws.on('close', (code, reason) => console.log('CLOSED ' + code + ' ' + reason));
});
`

func TestNodeServer(t *testing.T) {
	node, nodePath := nodeWS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-e", nodeServerScript)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "PORT ") {
		t.Fatalf("node server: %q", lines.Text())
	}
	port := strings.TrimPrefix(lines.Text(), "PORT ")

	l := clientLoop(t)
	c := run(t, l, func() *ioloop.Future {
		return Dial(l, "ws://127.0.0.1:"+port+"/", DialOptions{Options: Options{Compression: &CompressionOptions{}}})
	}).(*Conn)
	if !c.Compressed() {
		t.Fatal("permessage-deflate not negotiated with ws")
	}
	big := strings.Repeat("compressible ", 20000)
	for _, msg := range []string{"hello", big, "ünïcödé"} {
		m := run(t, l, func() *ioloop.Future {
			_ = c.WriteMessage(msg)
			return c.ReadMessage()
		}).(*Message)
		if m == nil || string(m.Data) != msg {
			t.Fatalf("echo of %d bytes failed", len(msg))
		}
	}
	run(t, l, func() *ioloop.Future {
		c.Close(1000, "bye")
		return c.ReadMessage()
	})
	if c.CloseCode() != 1000 {
		t.Fatalf("close code %d", c.CloseCode())
	}
	if !lines.Scan() || lines.Text() != "CLOSED 1000 bye" {
		t.Fatalf("node saw %q", lines.Text())
	}
}
