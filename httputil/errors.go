package httputil

// An InputError reports malformed input from the network: a bad header, a
// bad request line, an unparseable body. It is Tornado's HTTPInputError; the
// HTTP server and the web layer answer it with 400 Bad Request.
type InputError struct {
	Reason string // what was wrong, e.g. "invalid header name"
}

func (e *InputError) Error() string { return "httputil: " + e.Reason }

// inputError builds an *InputError; it keeps call sites short.
func inputError(reason string) error { return &InputError{Reason: reason} }
