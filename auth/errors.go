package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/oauth2"

	"github.com/tornago/tornago/web"
)

// errNoID is DecodeUser's error for a user endpoint that names no user.
var errNoID = errors.New(`the user has no "sub" or "id"`)

// callbackError is the error of a callback that carries the provider's
// "error" argument: the user refused (access_denied, a 401: they may try
// again) or the provider failed the request (anything else, a 502). The
// provider's description goes to the log only, quoted: it comes from the
// query string.
func callbackError(provider, code, desc string) error {
	status, reason, what := 502, "Login failed at the provider", "failed the login"
	if code == "access_denied" {
		status, reason, what = 401, "Login refused", "refused the login"
	}
	msg := fmt.Sprintf("auth: %s %s: %q", provider, what, code)
	if desc != "" {
		msg += fmt.Sprintf(" (%q)", desc)
	}
	return web.NewHTTPError(status, msg).WithReason(reason)
}

// tokenError classifies a failed code exchange: a code the provider
// rejects as used or expired (invalid_grant) is a 401, the user logs in
// again; anything else (bad client credentials, a provider down, a
// malformed answer) is the provider's or the configuration's fault, a 502.
func tokenError(provider string, err error) error {
	status := 502
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
		status = 401
	}
	return &ProviderError{Status: status, Provider: provider, Step: "token", Err: err}
}

// httpError turns a failure of the flow into the HTTP error the client
// gets; the details are in its log message, never in the page.
func httpError(err error) error {
	var pe *ProviderError
	if !errors.As(err, &pe) {
		return err
	}
	status, reason := pe.Status, "Login provider failed"
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		status, reason = 504, "Login provider timed out"
	case status == 401 && pe.Step == "token":
		reason = "Login code rejected"
	}
	return web.NewHTTPError(status, "%s", err.Error()).WithReason(reason)
}

// failAsync logs err and sends its error page, for a response finished
// after its verb method returned (where the web package no longer sees
// the error): HTTP errors as warnings with their log message, anything
// else as an error and a 500.
func failAsync(h *web.RequestHandler, err error) {
	logger := logger(h)
	r := h.Request
	summary := r.Method + " " + r.URI + " (" + r.RemoteIP + ")"
	status := 500
	var he *web.HTTPError
	if errors.As(err, &he) {
		status = he.Status
		logger.Warn(fmt.Sprintf("%d %s: %s", status, summary, he.LogMessage))
	} else {
		logger.Error(fmt.Sprintf("Uncaught exception %s: %v", summary, err))
	}
	if sendErr := h.SendError(status, err); sendErr != nil && !errors.Is(sendErr, web.ErrFinished) {
		logger.Debug("auth: sending the error page: " + sendErr.Error())
	}
}

// logger is the application's logger, as the web package uses it.
func logger(h *web.RequestHandler) *slog.Logger {
	if l := h.Application().Settings().Logger; l != nil {
		return l
	}
	return slog.Default()
}
