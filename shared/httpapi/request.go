// Package httpapi is the HTTP edge of every API function: it turns API Gateway
// v2 (payload 2.0) events into requests, checks the caller's role, decodes
// bodies strictly, and turns errors into SPEC §3 error bodies and statuses.
package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/store"
)

// MaxBody is the largest request body accepted (SPEC §4.6).
const MaxBody = 256 << 10

// Principal is who is calling, as the authorizer established it.
type Principal struct {
	TenantID string
	Role     store.Role
	KeyID    string
}

// Authorizer context keys, shared with functions/authorizer.
const (
	CtxTenantID = "tenantId"
	CtxRole     = "role"
	CtxKeyID    = "keyId"
)

// Request is an API request after the edge has read it.
type Request struct {
	RouteKey   string
	Method     string
	Path       string
	Params     map[string]string
	Query      map[string]string
	RequestID  string
	Principal  Principal
	Body       []byte
	bodyTooBig bool
}

// FromEvent reads an API Gateway v2 event.
func FromEvent(ev events.APIGatewayV2HTTPRequest) (*Request, error) {
	r := &Request{
		RouteKey:  ev.RouteKey,
		Method:    ev.RequestContext.HTTP.Method,
		Path:      ev.RawPath,
		Params:    ev.PathParameters,
		Query:     ev.QueryStringParameters,
		RequestID: ev.RequestContext.RequestID,
	}
	if ev.RequestContext.Authorizer != nil {
		lc := ev.RequestContext.Authorizer.Lambda
		r.Principal = Principal{TenantID: str(lc[CtxTenantID]), Role: store.Role(str(lc[CtxRole])), KeyID: str(lc[CtxKeyID])}
	}
	body := ev.Body
	if ev.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return r, apperr.New(apperr.Invalid, "body is not valid base64")
		}
		r.Body = b
	} else {
		r.Body = []byte(body)
	}
	if len(r.Body) > MaxBody {
		r.bodyTooBig = true
		r.Body = nil
	}
	return r, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// Param returns a path parameter.
func (r *Request) Param(name string) string { return r.Params[name] }

// Decode reads the JSON body into v. Errors name the field: a body that is not
// JSON, a value of the wrong type, trailing data, or a body over MaxBody (413).
func (r *Request) Decode(v any) error {
	if r.bodyTooBig {
		return apperr.New(apperr.TooLarge, "request body is larger than %d bytes", MaxBody)
	}
	if len(bytes.TrimSpace(r.Body)) == 0 {
		return apperr.Field("body", "is required (a JSON object)")
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.Field("body", "has data after the JSON value")
	}
	return nil
}

// CheckBodySize refuses an oversized body; serve checks it for every route.
func (r *Request) CheckBodySize() error {
	if r.bodyTooBig {
		return apperr.New(apperr.TooLarge, "request body is larger than %d bytes", MaxBody)
	}
	return nil
}

func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return apperr.Field(field, "must be %s, not %s", jsonType(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se):
		return apperr.Field("body", "is not valid JSON (at byte %d)", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Field("body", "is not valid JSON (unexpected end)")
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		return apperr.Field(fe.field, "%s", fe.msg)
	}
	return apperr.Field("body", "is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// fieldError lets custom UnmarshalJSON methods name the field they refuse.
type fieldError struct{ field, msg string }

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

// FieldError is returned by UnmarshalJSON methods to name a bad field.
func FieldError(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "a boolean"
	case "int", "int64", "int32", "float64", "uint", "uint64":
		return "a number"
	}
	return "of another type"
}
