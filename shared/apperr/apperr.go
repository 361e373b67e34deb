// Package apperr is the error vocabulary of crmflow's use cases: what went
// wrong with a request, and which field. The HTTP edge (shared/httpapi) maps a
// Kind to a status; the use cases never see HTTP.
package apperr

import (
	"errors"
	"fmt"

	"github.com/crmflow/crmflow/shared/crm"
)

// Kind classifies a use-case error.
type Kind string

const (
	Invalid         Kind = "INVALID_ARGUMENT"    // 400: bad input, names the field
	Unauthenticated Kind = "UNAUTHENTICATED"     // 401: no or unknown key
	Forbidden       Kind = "PERMISSION_DENIED"   // 403: the key's role may not do this
	NotFound        Kind = "NOT_FOUND"           // 404: no such id for this tenant
	Conflict        Kind = "ALREADY_EXISTS"      // 409
	TooLarge        Kind = "PAYLOAD_TOO_LARGE"   // 413
	Unprocessable   Kind = "FAILED_PRECONDITION" // 422: well-formed but not applicable (e.g. wrong action)
	Unavailable     Kind = "UNAVAILABLE"         // 503: a dependency of ours failed
)

// Error is a use-case error.
type Error struct {
	Kind    Kind
	Field   string
	Message string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Field returns an Invalid error about one request field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// New returns an error of kind with a message.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Missing is the error for an id that does not exist for this tenant; field
// names the request field that carried it.
func Missing(field, what string) *Error {
	return &Error{Kind: NotFound, Field: field, Message: what + " not found"}
}

// Refused is a driver's own refusal of a value the request named (a
// crm.Refusal: an entity the CRM does not have, say) as a 400 naming field
// with the driver's message; any other error is returned as it is.
func Refused(field string, err error) error {
	if e, ok := crm.AsRefusal(err); ok {
		return Field(field, "%s", e.Message)
	}
	return err
}

// As finds an *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
