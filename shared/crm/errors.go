package crm

import (
	"errors"
	"fmt"
	"time"
)

// Code is a portable error code. Drivers map every CRM error to one.
type Code string

const (
	// InvalidArgument: the CRM refused the request as malformed or invalid (400).
	InvalidArgument Code = "INVALID_ARGUMENT"
	// NotFound: the record or entity does not exist (404).
	NotFound Code = "NOT_FOUND"
	// AlreadyExists: a duplicate the CRM refuses (409).
	AlreadyExists Code = "ALREADY_EXISTS"
	// Unauthenticated: credentials were refused even after one token refresh.
	Unauthenticated Code = "UNAUTHENTICATED"
	// PermissionDenied: the CRM user may not do this.
	PermissionDenied Code = "PERMISSION_DENIED"
	// ResourceExhausted: the CRM rate limit was hit.
	ResourceExhausted Code = "RESOURCE_EXHAUSTED"
	// Unavailable: the CRM failed (5xx) or could not be reached.
	Unavailable Code = "UNAVAILABLE"
	// DeadlineExceeded: the CRM did not answer in time.
	DeadlineExceeded Code = "DEADLINE_EXCEEDED"
	// Internal: the CRM answered something the driver cannot understand.
	Internal Code = "INTERNAL"
)

// Error is a CRM failure in portable form. It keeps the CRM's own status, code
// and message so they can be shown to the Studio engineer.
type Error struct {
	Code       Code
	Retryable  bool
	RetryAfter time.Duration
	// Status, CRMCode and Message are the CRM's own answer; Status 0 means no answer.
	Status  int
	CRMCode string
	Message string
	// Op says what the driver was doing, e.g. "salesforce: create Task".
	Op string
	// Field names the argument a driver's own refusal is about (see Refusal),
	// relative to what the driver was given: "entity", "id", "fields.Subject".
	Field string
	Err   error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.CRMCode != "" {
		msg = e.CRMCode + ": " + msg
	}
	if e.Status != 0 {
		msg = fmt.Sprintf("%d %s", e.Status, msg)
	}
	if e.Err != nil {
		if msg != "" {
			msg += ": "
		}
		msg += e.Err.Error()
	}
	if e.Op != "" {
		return e.Op + ": " + msg
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a portable code and a message of its own.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Retryable: code.Retryable(), Message: fmt.Sprintf(format, args...)}
}

// Retryable says whether a failure with this code may succeed when tried again.
func (c Code) Retryable() bool {
	switch c {
	case ResourceExhausted, Unavailable, DeadlineExceeded:
		return true
	}
	return false
}

// AsError finds the *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns err's portable code; errors that are not *Error are Internal.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return Internal
}

// IsRetryable reports whether err is worth trying again.
func IsRetryable(err error) bool {
	if e, ok := AsError(err); ok {
		return e.Retryable
	}
	return false
}

// StatusCode maps an HTTP status of a CRM answer to a portable code, for the
// parts of a driver's mapping that follow HTTP conventions.
func StatusCode(status int) Code {
	switch {
	case status == 400 || status == 405 || status == 412 || status == 413 || status == 414 || status == 415 || status == 422:
		return InvalidArgument
	case status == 401:
		return Unauthenticated
	case status == 403:
		return PermissionDenied
	case status == 404:
		return NotFound
	case status == 409:
		return AlreadyExists
	case status == 429:
		return ResourceExhausted
	case status == 408 || status == 504:
		return DeadlineExceeded
	case status >= 500:
		return Unavailable
	}
	return Internal
}
