package kustomer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

const (
	// maxRateWait bounds the wait a 429 reports: Kustomer's limits are per
	// 60-second window, so a reset further away is clock skew.
	maxRateWait = 60 * time.Second
	// minRateWait is reported when the reset is already past (skew the
	// other way): the window has just turned, try again shortly.
	minRateWait = time.Second
	// maxMessage bounds how much of Kustomer's message (in runes) an error carries.
	maxMessage = 1000
)

// errorBody is Kustomer's JSON:API error answer; older answers carry
// message instead of title and detail.
type errorBody struct {
	Errors []struct {
		Code    string `json:"code"`
		Title   string `json:"title"`
		Detail  string `json:"detail"`
		Message string `json:"message"`
		Source  struct {
			Pointer   string `json:"pointer"`
			Parameter string `json:"parameter"`
		} `json:"source"`
	} `json:"errors"`
	// Some gateways answer {"error": …, "message": …}.
	Error   json.RawMessage `json:"error"`
	Message string          `json:"message"`
}

// apiError maps a non-2xx answer to a portable error, keeping the status,
// Kustomer's code and its detail.
func apiError(op string, status int, h http.Header, body []byte, now time.Time) *crm.Error {
	e := &crm.Error{Op: op, Status: status, Code: classify(status), Message: http.StatusText(status)}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		msg := strings.TrimSpace(eb.Message)
		if len(eb.Errors) > 0 {
			first := eb.Errors[0]
			e.CRMCode = first.Code
			msg = firstNonEmpty(first.Detail, first.Message, first.Title)
			if p := firstNonEmpty(first.Source.Pointer, first.Source.Parameter); p != "" && msg != "" {
				msg += " (" + p + ")"
			}
		}
		if msg != "" {
			e.Message = crmtext.Truncate(msg, maxMessage)
		}
	}
	e.Retryable = e.Code.Retryable()
	switch {
	case e.Code == crm.ResourceExhausted:
		e.RetryAfter = rateLimitWait(h, now)
	case e.Retryable:
		e.RetryAfter = crmhttp.RetryAfter(h, now)
	}
	return e
}

// classify picks the portable code by status; Kustomer's statuses follow
// HTTP conventions. 402 (a feature the plan lacks) is a permission matter.
func classify(status int) crm.Code {
	if status == http.StatusPaymentRequired {
		return crm.PermissionDenied
	}
	return crm.StatusCode(status)
}

// rateLimitWait is how long until the rate-limit window resets:
// x-ratelimit-reset is UTC epoch seconds; Retry-After is honoured when a
// proxy sends it instead. Without either, 0 leaves the wait to the caller.
func rateLimitWait(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("X-Ratelimit-Reset")); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
			d := time.Unix(secs, 0).Sub(now)
			return min(max(d, minRateWait), maxRateWait)
		}
	}
	if d := crmhttp.RetryAfter(h, now); d > 0 {
		return min(d, maxRateWait)
	}
	return 0
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func invalid(op, format string, args ...any) *crm.Error {
	return &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf(format, args...)}
}
