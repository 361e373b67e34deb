package zdsandbox

import (
	"net/http"
	"strconv"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

var timeZero time.Time

// RateLimitFault is Zendesk's 429: a text/plain body, Retry-After in
// seconds and the X-Rate-Limit headers.
func RateLimitFault(retryAfter int) sandbox.Fault {
	return sandbox.Fault{Status: http.StatusTooManyRequests, Header: http.Header{
		"Content-Type": {"text/plain; charset=utf-8"}, "Retry-After": {strconv.Itoa(retryAfter)},
		"X-Rate-Limit": {"700"}, "X-Rate-Limit-Remaining": {"0"},
		"Ratelimit-Limit": {"700"}, "Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {strconv.Itoa(retryAfter)},
	}, Body: "Number of allowed API requests per minute exceeded"}
}

// UnavailableFault is a 503 with Retry-After, as Zendesk answers during
// maintenance or overload.
func UnavailableFault(retryAfter int) sandbox.Fault {
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	return sandbox.Fault{Status: http.StatusServiceUnavailable, Header: h,
		Body: `{"error":"unavailable","description":"Sorry, we could not complete your search query. Please try again in a moment."}`}
}

// ServerErrorFault is a 500 with Zendesk's error body.
func ServerErrorFault() sandbox.Fault {
	return sandbox.Fault{Status: http.StatusInternalServerError, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body: `{"error":"InternalServerError","description":"Something went wrong. Please try again."}`}
}
