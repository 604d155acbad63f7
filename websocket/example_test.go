package websocket_test

import (
	"fmt"
	"time"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/websocket"
)

// EchoSocket answers every message.
type EchoSocket struct{ websocket.Handler }

func (h *EchoSocket) OnMessage(data []byte, binary bool) error {
	return h.WriteMessage("You said: " + string(data))
}

// A Handler route served by app.Listen like any other route, and a client dialled on
// a loop of its own.
func Example() {
	app, err := web.NewApplication([]web.Rule{{Pattern: "/echo", Handler: &EchoSocket{}}}, web.Settings{})
	if err != nil {
		panic(err)
	}
	srv, err := app.Listen(0, "127.0.0.1")
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	loop, _ := ioloop.New()
	defer loop.Close()
	v, err := loop.RunSync(func() *ioloop.Future {
		return websocket.Dial(loop, "ws://"+srv.Addr().String()+"/echo", websocket.DialOptions{})
	}, 5*time.Second)
	if err != nil {
		panic(err)
	}
	c := v.(*websocket.Conn)
	v, _ = loop.RunSync(func() *ioloop.Future {
		c.WriteMessage("hello")
		return c.ReadMessage()
	}, 5*time.Second)
	fmt.Println(string(v.(*websocket.Message).Data))
	// Output: You said: hello
}
