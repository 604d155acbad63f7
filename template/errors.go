package template

import (
	"errors"
	"fmt"
)

// A ParseError reports a template that cannot be compiled: bad syntax in a
// tag or an expression, a missing {% end %}, a file that cannot be loaded
// for extends or include. Its message follows Tornado's:
// "Missing {% end %} block for if at page.html:12".
type ParseError struct {
	Message  string // what is wrong
	Filename string // the template that holds the error
	Line     int    // 1-based line in Filename
	Err      error  // the underlying error, if any (for example a file not found)
}

// Error formats the error as Tornado does: "<message> at <file>:<line>".
func (e *ParseError) Error() string {
	return fmt.Sprintf("%s at %s:%d", e.Message, e.Filename, e.Line)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// A RenderError reports an error while rendering: an expression that failed
// (a missing name, a division by zero, an error returned by a Go function)
// or a panic in a function the template called. Where names the template
// line through the include and extends chain, Tornado's way:
// "entry.html:4 (via base.html:20)".
type RenderError struct {
	Where string // file:line (via includer:line, ...)
	Code  string // the tag that failed, such as "{{ user.name }}"
	Err   error  // the cause
}

// Error formats the error as "template: <where>: <tag>: <cause>".
func (e *RenderError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("template: %s: %v", e.Where, e.Err)
	}
	return fmt.Sprintf("template: %s: %s: %v", e.Where, e.Code, e.Err)
}

// Unwrap returns the cause, so errors.Is and errors.As see the error a Go
// function returned.
func (e *RenderError) Unwrap() error { return e.Err }

// An Exception is a Python-style error raised by the expression language
// itself, such as ZeroDivisionError or KeyError. {% except Class %} selects
// on Class; errors returned by Go functions are caught by a bare
// {% except %} or {% except Exception %}.
type Exception struct {
	Class   string // Python's class name: "ZeroDivisionError", "KeyError" ...
	Message string // str(e) in Python: "division by zero"
}

// Error formats the error as Python prints an exception: "Class: message".
func (e *Exception) Error() string {
	if e.Message == "" {
		return e.Class
	}
	return e.Class + ": " + e.Message
}

// errorParents is the part of Python's exception hierarchy templates meet.
var errorParents = map[string]string{
	"Exception":           "",
	"ArithmeticError":     "Exception",
	"ZeroDivisionError":   "ArithmeticError",
	"OverflowError":       "ArithmeticError",
	"LookupError":         "Exception",
	"KeyError":            "LookupError",
	"IndexError":          "LookupError",
	"AttributeError":      "Exception",
	"NameError":           "Exception",
	"UnboundLocalError":   "NameError",
	"TypeError":           "Exception",
	"ValueError":          "Exception",
	"UnicodeError":        "ValueError",
	"RuntimeError":        "Exception",
	"RecursionError":      "RuntimeError",
	"NotImplementedError": "RuntimeError",
	"MemoryError":         "Exception",
	"AssertionError":      "Exception",
	"StopIteration":       "Exception",
}

func knownErrorClass(name string) bool {
	_, ok := errorParents[name]
	return ok || name == "BaseException"
}

// errorMatches reports whether err is caught by an except clause naming class.
func errorMatches(err error, class string) bool {
	if class == "Exception" || class == "BaseException" {
		return true
	}
	var ex *Exception
	if !errors.As(err, &ex) {
		return false
	}
	for c := ex.Class; c != ""; c = errorParents[c] {
		if c == class {
			return true
		}
	}
	return false
}

func exc(class, format string, args ...any) error {
	if len(args) == 0 {
		return &Exception{Class: class, Message: format}
	}
	return &Exception{Class: class, Message: fmt.Sprintf(format, args...)}
}

func typeErrorf(format string, args ...any) error { return exc("TypeError", format, args...) }

func valueErrorf(format string, args ...any) error { return exc("ValueError", format, args...) }

// keyError is Python's KeyError for a missing key: its message is the key's repr.
func keyError(key value) error { return &Exception{Class: "KeyError", Message: pyRepr(key)} }
