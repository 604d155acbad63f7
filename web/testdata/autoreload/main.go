// Command autoreload is TestAutoreloadReexec's program: a Debug
// application answering its version (set with -ldflags -X) and its pid.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/tornago/tornago/web"
)

// version is set at build time.
var version = "unset"

type versionHandler struct{ web.RequestHandler }

func (h *versionHandler) Get() error {
	return h.Write(version + " " + strconv.Itoa(os.Getpid()))
}

func main() {
	port := flag.Int("port", 0, "port")
	flag.Parse()
	app, err := web.NewApplication([]web.Rule{{Pattern: "/", Handler: &versionHandler{}}}, web.Settings{Debug: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if _, err := app.Listen(*port, "127.0.0.1"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	<-app.Done()
	select {} // Autoreload re-executes the process (or exits it)
}
