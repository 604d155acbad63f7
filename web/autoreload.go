package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// Autoreload limits.
const (
	// autoreloadInterval is how often the executable is checked: Tornado's
	// autoreload polls every 500 ms, quick enough after a rebuild and
	// nothing next to a request's cost (one stat).
	autoreloadInterval = 500 * time.Millisecond
	// autoreloadShutdownTimeout bounds finishing the requests in flight
	// before the new binary starts: a development tool restarts quickly.
	autoreloadShutdownTimeout = 2 * time.Second
)

// AutoreloadOptions tune Autoreload; the zero value is Tornado's behaviour.
type AutoreloadOptions struct {
	// Interval is how often the executable is checked; default 500 ms.
	Interval time.Duration
	// ShutdownTimeout bounds the graceful Shutdown before the re-exec;
	// default 2 s.
	ShutdownTimeout time.Duration
}

// exeState is what the watcher compares: a rebuild changes the size or the
// modification time.
type exeState struct {
	size    int64
	modTime time.Time
	mode    fs.FileMode
}

func statExe(path string) (exeState, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return exeState{}, err
	}
	return exeState{fi.Size(), fi.ModTime(), fi.Mode()}, nil
}

// execFunc replaces the process; syscall.Exec, or a fake in tests.
type execFunc func(path string, args, env []string) error

// Autoreload is Tornado's autoreload, done the Go way: one goroutine polls
// the program's executable (os.Executable) and, once it has changed (a
// rebuild) and stayed unchanged for one more poll (the build has finished
// writing it), shuts the application down gracefully (Shutdown, within
// ShutdownTimeout) and re-executes the new binary in the same process
// (syscall.Exec) with the same arguments and environment. The listening
// sockets are closed first (they are close-on-exec too) and bound with
// SO_REUSEADDR, so the new program binds the same port at once. If the
// exec fails the error is logged and the process exits with status 1,
// since the application is already shut down.
//
// Listen and NewServer start it when Settings.Debug or Settings.Autoreload
// is set; call it yourself to get it with ServeHTTP or ServerHandler. It
// runs once per application (later calls do nothing) and stops when the
// application is shut down. For development only: a production binary is
// replaced by a deployment, not reloaded.
func Autoreload(app *Application, opts ...AutoreloadOptions) error {
	return app.autoreload(syscall.Exec, opts...)
}

func (app *Application) autoreload(exec execFunc, opts ...AutoreloadOptions) error {
	var o AutoreloadOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Interval <= 0 {
		o.Interval = autoreloadInterval
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = autoreloadShutdownTimeout
	}
	app.mu.Lock()
	started := app.reloading
	app.reloading = true
	app.mu.Unlock()
	if started {
		return nil
	}
	path, err := os.Executable()
	if err != nil {
		return fmt.Errorf("web: autoreload: %w", err)
	}
	st, err := statExe(path)
	if err != nil {
		return fmt.Errorf("web: autoreload: %w", err)
	}
	go app.watchExe(path, st, o, exec)
	return nil
}

// watchExe is the watcher goroutine.
func (app *Application) watchExe(path string, last exeState, o AutoreloadOptions, exec execFunc) {
	t := time.NewTicker(o.Interval)
	defer t.Stop()
	changed := false
	for {
		select {
		case <-app.closed:
			return
		case <-t.C:
		}
		st, err := statExe(path)
		if err != nil {
			continue // being replaced: look again at the next tick
		}
		if st != last {
			last, changed = st, true
			continue // wait until the build has finished writing it
		}
		if changed && st.mode.IsRegular() && st.mode&0o111 != 0 {
			app.reexec(path, o, exec)
			return
		}
	}
}

// reexec shuts the application down and replaces the process.
func (app *Application) reexec(path string, o AutoreloadOptions, exec execFunc) {
	log := app.logger()
	log.Info("web: autoreload: " + path + " changed, restarting")
	ctx, cancel := context.WithTimeout(context.Background(), o.ShutdownTimeout)
	err := app.Shutdown(ctx)
	cancel()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Warn("web: autoreload: shutdown: " + err.Error())
	}
	if err := exec(path, os.Args, os.Environ()); err != nil {
		log.Error("web: autoreload: exec " + path + ": " + err.Error())
		os.Exit(1)
	}
}
