package httpapi

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/throttle"
)

// ErrorBody is the SPEC §3 error shape.
type ErrorBody struct {
	Error     ErrorDetail `json:"error"`
	RequestID string      `json:"requestId"`
}

// ErrorDetail is the inside of an error body.
type ErrorDetail struct {
	Code     string    `json:"code"`
	Message  string    `json:"message"`
	Field    string    `json:"field,omitempty"`
	CRMError *CRMError `json:"crmError,omitempty"`
}

// CRMError passes a CRM's own refusal on to the caller.
type CRMError struct {
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// Problem is an error mapped for the wire: status, body detail, Retry-After.
type Problem struct {
	Status     int
	Detail     ErrorDetail
	RetryAfter int // seconds; 0 = no header
}

// Codes of our own refusals that are no apperr.Kind.
const (
	// CodeCircuitOpen: the configuration's circuit breaker is open (503).
	CodeCircuitOpen = "CRM_CIRCUIT_OPEN"
	// CodeTenantRateLimited: the tenant is over its Studio request rate (429).
	CodeTenantRateLimited = "TENANT_RATE_LIMITED"
)

var kindStatus = map[apperr.Kind]int{
	apperr.Invalid:         http.StatusBadRequest,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Conflict:        http.StatusConflict,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
	apperr.Unprocessable:   http.StatusUnprocessableEntity,
	apperr.Unavailable:     http.StatusServiceUnavailable,
}

// ProblemOf maps any error of a use case to its HTTP form. Unknown errors are
// 500 with a generic message: their text may hold internals and is only logged.
func ProblemOf(err error) Problem {
	var limited *throttle.LimitError
	if errors.As(err, &limited) {
		return Problem{Status: http.StatusTooManyRequests, RetryAfter: limited.Seconds(),
			Detail: ErrorDetail{Code: CodeTenantRateLimited, Message: "this tenant's request rate limit was reached"}}
	}
	// Before the CRM error it travels in: an open breaker is no answer of the CRM.
	var open *breaker.OpenError
	if errors.As(err, &open) {
		return Problem{Status: http.StatusServiceUnavailable, RetryAfter: open.Seconds(),
			Detail: ErrorDetail{Code: CodeCircuitOpen, Message: "the CRM failed repeatedly; calls to it are paused"}}
	}
	if e, ok := apperr.As(err); ok {
		return Problem{Status: kindStatus[e.Kind], Detail: ErrorDetail{Code: string(e.Kind), Message: e.Message, Field: e.Field}}
	}
	if ce, ok := crm.AsError(err); ok {
		return crmProblem(ce)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Problem{Status: 404, Detail: ErrorDetail{Code: string(apperr.NotFound), Message: "not found"}}
	case errors.Is(err, store.ErrExists):
		return Problem{Status: 409, Detail: ErrorDetail{Code: string(apperr.Conflict), Message: "already exists"}}
	case errors.Is(err, context.DeadlineExceeded):
		return Problem{Status: 504, Detail: ErrorDetail{Code: "DEADLINE_EXCEEDED", Message: "the request did not finish in time"}}
	}
	return Problem{Status: 500, Detail: ErrorDetail{Code: "INTERNAL", Message: "internal error"}}
}

// crmProblem: a CRM's refusal of the request is 422 with its own words; a rate
// limit 429 with Retry-After; a CRM that fails 502, one that is too slow 504.
// A driver's own refusal, made before any CRM call, is the caller's to fix:
// 400 with the driver's words, like any other bad input.
func crmProblem(e *crm.Error) Problem {
	if e.IsRefusal() {
		return Problem{Status: http.StatusBadRequest, Detail: ErrorDetail{Code: string(apperr.Invalid), Message: e.Message, Field: e.Field}}
	}
	p := Problem{Detail: ErrorDetail{Code: "CRM_" + string(e.Code), Message: e.Message}}
	if e.Status != 0 || e.CRMCode != "" {
		p.Detail.CRMError = &CRMError{Status: e.Status, Code: e.CRMCode, Message: e.Message}
	}
	switch e.Code {
	case crm.InvalidArgument, crm.NotFound, crm.AlreadyExists, crm.PermissionDenied:
		p.Status = http.StatusUnprocessableEntity
		p.Detail.Message = "the CRM refused the request"
	case crm.ResourceExhausted:
		p.Status = http.StatusTooManyRequests
		p.Detail.Message = "the CRM's rate limit was reached"
		p.RetryAfter = int(math.Max(1, math.Ceil(e.RetryAfter.Seconds())))
	case crm.Unauthenticated:
		p.Status = http.StatusBadGateway
		p.Detail.Message = "the CRM refused the configuration's credentials"
	case crm.DeadlineExceeded:
		p.Status = http.StatusGatewayTimeout
		p.Detail.Message = "the CRM did not answer in time"
	case crm.Unavailable:
		p.Status = http.StatusBadGateway
		p.Detail.Message = "the CRM failed to answer"
		if e.RetryAfter > 0 {
			p.Status = http.StatusServiceUnavailable
			p.RetryAfter = int(math.Ceil(e.RetryAfter.Seconds()))
		}
	default:
		p.Status = http.StatusBadGateway
		p.Detail.Message = "the CRM answered something crmflow cannot read"
	}
	return p
}

// Headers returns the extra response headers of a problem.
func (p Problem) Headers() map[string]string {
	h := map[string]string{"Content-Type": "application/json"}
	if p.RetryAfter > 0 {
		h["Retry-After"] = strconv.Itoa(p.RetryAfter)
	}
	return h
}
