package hubspot

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// HubSpot error categories and rate-limit policies the driver treats specially.
const (
	catInvalidAuth = "INVALID_AUTHENTICATION"
	catExpiredAuth = "EXPIRED_AUTHENTICATION"
	catScopes      = "MISSING_SCOPES"
	catNotFound    = "OBJECT_NOT_FOUND"
	catValidation  = "VALIDATION_ERROR"
	catConflict    = "CONFLICT"
	catRateLimits  = "RATE_LIMITS"
	typeRateLimit  = "RATE_LIMIT"
	policyDaily    = "DAILY"
	// burstWait is how long to wait after a 429 of a secondly or ten-secondly
	// policy when HubSpot sends no Retry-After: the windows roll, so capacity
	// frees continuously and one second lets a good part of it age out.
	burstWait = time.Second
	// maxMessage bounds how much of HubSpot's message (in runes) an error carries.
	maxMessage = 1000
)

// errorBody is HubSpot's error answer.
type errorBody struct {
	Status     string `json:"status"`
	Message    string `json:"message"`
	Category   string `json:"category"`
	ErrorType  string `json:"errorType"`
	PolicyName string `json:"policyName"`
	// Errors are the details of some answers (the v3 error schema's
	// errors[]: message, code, in, subCategory).
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// humanMessage is HubSpot's own words: message, else the details'
// messages joined.
func (eb errorBody) humanMessage() string {
	if m := strings.TrimSpace(eb.Message); m != "" {
		return m
	}
	var parts []string
	for _, e := range eb.Errors {
		if m := strings.TrimSpace(e.Message); m != "" {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, "; ")
}

// apiError maps a non-2xx answer to a portable error, keeping the status,
// HubSpot's category (or errorType) and message.
func apiError(op string, status int, h http.Header, body []byte) *crm.Error {
	e := &crm.Error{Op: op, Status: status, Message: http.StatusText(status)}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.CRMCode = eb.Category
		if e.CRMCode == "" {
			e.CRMCode = eb.ErrorType
		}
		if m := eb.humanMessage(); m != "" {
			e.Message = crmtext.Truncate(m, maxMessage)
		}
	}
	e.Code = classify(status, eb)
	e.Retryable = e.Code.Retryable()
	if e.Code == crm.ResourceExhausted {
		e.Retryable, e.RetryAfter = rateLimitWait(h, eb.PolicyName)
	} else if e.Retryable {
		e.RetryAfter = crmhttp.RetryAfter(h, time.Now())
	}
	return e
}

// classify picks the portable code: HubSpot's category says more than the
// status, which it does not always choose the usual way.
func classify(status int, eb errorBody) crm.Code {
	if status == http.StatusTooManyRequests || eb.ErrorType == typeRateLimit || eb.Category == catRateLimits {
		return crm.ResourceExhausted
	}
	switch eb.Category {
	case catInvalidAuth, catExpiredAuth:
		return crm.Unauthenticated
	case catScopes:
		return crm.PermissionDenied
	case catNotFound:
		return crm.NotFound
	case catValidation:
		return crm.InvalidArgument
	case catConflict:
		return crm.AlreadyExists
	}
	return crm.StatusCode(status)
}

// rateLimitWait says whether a rate limit may pass by retrying and when:
// the daily limit does not pass today, so it is not retryable; burst limits
// are, after Retry-After when HubSpot sends one, else burstWait.
func rateLimitWait(h http.Header, policy string) (bool, time.Duration) {
	if strings.EqualFold(policy, policyDaily) {
		return false, 0
	}
	if d := crmhttp.RetryAfter(h, time.Now()); d > 0 {
		return true, d
	}
	return true, burstWait
}
