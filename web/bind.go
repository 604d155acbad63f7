package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/tornago/tornago/httputil"
)

// A FormError reports a form (or JSON body) that did not bind or validate:
// a readable message per field, keyed by the field's form (or JSON) name, so
// a handler can show each next to its input. Returned from a handler it is a
// 400 Bad Request, never a 500.
type FormError struct {
	Fields map[string]string
}

func (e *FormError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for n := range e.Fields {
		names = append(names, n)
	}
	slices.Sort(names)
	msgs := make([]string, len(names))
	for i, n := range names {
		msgs[i] = e.Fields[n]
	}
	return "invalid form: " + strings.Join(msgs, "; ")
}

// HTTPStatus is 400: a FormError is the client's mistake.
func (e *FormError) HTTPStatus() int { return 400 }

// Field returns the message of one field, or "".
func (e *FormError) Field(name string) string { return e.Fields[name] }

func (e *FormError) add(name, msg string) {
	if e.Fields == nil {
		e.Fields = make(map[string]string)
	}
	if _, ok := e.Fields[name]; !ok {
		e.Fields[name] = msg
	}
}

// Bind fills the struct v points to from the request's arguments (query
// and form body) and uploaded files, then validates it with
// github.com/go-playground/validator/v10. Fields are matched by their
// `form` tag (else the field name; "-" skips); strings, booleans, integers,
// floats, time.Time (RFC 3339 or 2006-01-02), encoding.TextUnmarshalers,
// pointers and slices of these, and *httputil.File or []*httputil.File are
// filled. Values are stripped of surrounding whitespace as GetArgument does.
// Conversion and validation failures come back together in a *FormError:
//
//	type SignupForm struct {
//		Email string `form:"email" validate:"required,email"`
//		Age   int    `form:"age" validate:"gte=18"`
//	}
//	var f SignupForm
//	if err := h.Bind(&f); err != nil {
//		var fe *web.FormError
//		if errors.As(err, &fe) {
//			return h.Render("signup.html", web.Vars{"form": f, "errors": fe.Fields})
//		}
//		return err
//	}
func (h *RequestHandler) Bind(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("web: Bind needs a pointer to a struct, not %T", v)
	}
	args := h.Arguments()
	files, _ := h.Request.Files()
	fe := &FormError{}
	bindStruct(rv.Elem(), args, files, fe)
	if err := validate(formValidator(), v, fe); err != nil {
		return err
	}
	if len(fe.Fields) > 0 {
		return fe
	}
	return nil
}

// BindJSON decodes the request's JSON body into v and validates it like
// Bind; messages are keyed by the fields' JSON names. A body that is not
// JSON, or does not fit v, is a *FormError too (keyed by the field, or
// "body").
func (h *RequestHandler) BindJSON(v any) error {
	dec := json.NewDecoder(bytes.NewReader(h.Request.Body))
	if err := dec.Decode(v); err != nil {
		fe := &FormError{}
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te) && te.Field != "":
			fe.add(te.Field, fmt.Sprintf("%s must be %s", te.Field, kindName(te.Type)))
		case errors.Is(err, io.EOF):
			fe.add("body", "the request body is empty; JSON expected")
		default:
			fe.add("body", "the request body is not valid JSON: "+err.Error())
		}
		return fe
	}
	if dec.More() {
		return &FormError{Fields: map[string]string{"body": "the request body has data after the JSON value"}}
	}
	fe := &FormError{}
	if err := validate(jsonValidator(), v, fe); err != nil {
		return err
	}
	if len(fe.Fields) > 0 {
		return fe
	}
	return nil
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType        = reflect.TypeFor[time.Time]()
	filePtrType     = reflect.TypeFor[*httputil.File]()
)

// formName is a field's name in the form, "" to skip it.
func formName(f reflect.StructField) string {
	tag := f.Tag.Get("form")
	if tag == "-" {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name
}

func bindStruct(sv reflect.Value, args map[string][]string, files map[string][]*httputil.File, fe *FormError) {
	st := sv.Type()
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		fv := sv.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("form") == "" {
			bindStruct(fv, args, files, fe)
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := formName(f)
		if name == "" {
			continue
		}
		switch {
		case f.Type == filePtrType:
			if fs := files[name]; len(fs) > 0 {
				fv.Set(reflect.ValueOf(fs[0]))
			}
			continue
		case f.Type.Kind() == reflect.Slice && f.Type.Elem() == filePtrType:
			if fs := files[name]; len(fs) > 0 {
				fv.Set(reflect.ValueOf(fs))
			}
			continue
		}
		values, ok := args[name]
		if !ok {
			continue
		}
		if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() != reflect.Uint8 && !f.Type.Implements(textUnmarshaler) {
			out := reflect.MakeSlice(f.Type, 0, len(values))
			for _, s := range values {
				ev := reflect.New(f.Type.Elem()).Elem()
				if err := setValue(ev, s); err != nil {
					fe.add(name, fmt.Sprintf("%s %s", name, err))
					break
				}
				out = reflect.Append(out, ev)
			}
			fv.Set(out)
			continue
		}
		if len(values) == 0 {
			continue
		}
		if err := setValue(fv, values[len(values)-1]); err != nil {
			fe.add(name, fmt.Sprintf("%s %s", name, err))
		}
	}
}

// setValue converts one argument into v; the error reads after the field
// name ("age must be a whole number").
func setValue(v reflect.Value, s string) error {
	s, err := decodeArgument("", s)
	if err != nil {
		return errors.New("is not valid UTF-8")
	}
	if v.Kind() == reflect.Pointer {
		if s == "" {
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := setValue(p.Elem(), s); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	if v.CanAddr() && v.Addr().Type().Implements(textUnmarshaler) && v.Type() != timeType {
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("is invalid: %v", err)
		}
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		switch strings.ToLower(s) {
		case "1", "t", "true", "on", "yes", "y":
			v.SetBool(true)
		case "", "0", "f", "false", "off", "no", "n":
			v.SetBool(false)
		default:
			return errors.New("must be true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if s == "" {
			return nil
		}
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return errors.New("must be a whole number")
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if s == "" {
			return nil
		}
		n, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return errors.New("must be a whole number, not negative")
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		if s == "" {
			return nil
		}
		n, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return errors.New("must be a number")
		}
		v.SetFloat(n)
	case reflect.Struct:
		if v.Type() != timeType {
			return errors.New("cannot be filled from a form")
		}
		if s == "" {
			return nil
		}
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				v.Set(reflect.ValueOf(t))
				return nil
			}
		}
		return errors.New("must be a date (2006-01-02) or a time (RFC 3339)")
	default:
		return fmt.Errorf("cannot be filled from a form (%s)", v.Type())
	}
	return nil
}

var (
	formValidatorOnce, jsonValidatorOnce sync.Once
	formV, jsonV                         *validator.Validate
)

// formValidator and jsonValidator name fields by their form and JSON names
// in their errors. A validator caches struct metadata and is safe for
// concurrent use, so there is one of each.
func formValidator() *validator.Validate {
	formValidatorOnce.Do(func() {
		formV = validator.New(validator.WithRequiredStructEnabled())
		formV.RegisterTagNameFunc(func(f reflect.StructField) string {
			n := formName(f)
			if n == "" {
				return "-"
			}
			return n
		})
	})
	return formV
}

func jsonValidator() *validator.Validate {
	jsonValidatorOnce.Do(func() {
		jsonV = validator.New(validator.WithRequiredStructEnabled())
		jsonV.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch name {
			case "-":
				return "-"
			case "":
				return f.Name
			}
			return name
		})
	})
	return jsonV
}

// validate runs the validator and turns its field errors into messages.
func validate(val *validator.Validate, v any, fe *FormError) error {
	err := val.Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		var inv *validator.InvalidValidationError
		if errors.As(err, &inv) {
			return fmt.Errorf("web: %w", err)
		}
		return err
	}
	for _, e := range ves {
		name := e.Field()
		if ns := e.Namespace(); strings.Count(ns, ".") > 1 {
			_, name, _ = strings.Cut(ns, ".") // nested: "address.city"
		}
		fe.add(name, fieldMessage(name, e))
	}
	return nil
}

// fieldMessage words a validation failure for people.
func fieldMessage(name string, e validator.FieldError) string {
	p := e.Param()
	isString := e.Kind() == reflect.String
	isList := e.Kind() == reflect.Slice || e.Kind() == reflect.Map || e.Kind() == reflect.Array
	unit := ""
	switch {
	case isString:
		unit = " characters"
	case isList:
		unit = " items"
	}
	switch e.Tag() {
	case "required", "required_if", "required_unless", "required_with", "required_without":
		return name + " is required"
	case "email":
		return name + " must be a valid email address"
	case "url", "http_url":
		return name + " must be a valid URL"
	case "uri":
		return name + " must be a valid URI"
	case "min":
		return fmt.Sprintf("%s must be at least %s%s", name, p, unit)
	case "max":
		return fmt.Sprintf("%s must be at most %s%s", name, p, unit)
	case "len":
		return fmt.Sprintf("%s must be exactly %s%s", name, p, unit)
	case "gte":
		if isString || isList {
			return fmt.Sprintf("%s must be at least %s%s", name, p, unit)
		}
		return fmt.Sprintf("%s must be %s or more", name, p)
	case "lte":
		if isString || isList {
			return fmt.Sprintf("%s must be at most %s%s", name, p, unit)
		}
		return fmt.Sprintf("%s must be %s or less", name, p)
	case "gt":
		return fmt.Sprintf("%s must be more than %s%s", name, p, unit)
	case "lt":
		return fmt.Sprintf("%s must be less than %s%s", name, p, unit)
	case "eq":
		return fmt.Sprintf("%s must be %s", name, p)
	case "ne":
		return fmt.Sprintf("%s must not be %s", name, p)
	case "oneof":
		return fmt.Sprintf("%s must be one of: %s", name, strings.Join(strings.Fields(p), ", "))
	case "alpha":
		return name + " must contain letters only"
	case "alphanum":
		return name + " must contain letters and digits only"
	case "numeric", "number":
		return name + " must be a number"
	case "eqfield":
		return fmt.Sprintf("%s must match %s", name, p)
	case "nefield":
		return fmt.Sprintf("%s must differ from %s", name, p)
	case "uuid", "uuid4":
		return name + " must be a UUID"
	case "datetime":
		return fmt.Sprintf("%s must be a date in the format %s", name, p)
	}
	if p != "" {
		return fmt.Sprintf("%s is invalid (%s=%s)", name, e.Tag(), p)
	}
	return fmt.Sprintf("%s is invalid (%s)", name, e.Tag())
}

// kindName describes a Go type to a person filling a form.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}
