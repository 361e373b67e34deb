package kustomer

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// DefaultRateLimit is the org-wide requests-per-minute limit the sandbox
// reports in x-ratelimit-limit (Kustomer's Professional plan).
const DefaultRateLimit = 300

// RateLimitFault is Kustomer's 429: the x-ratelimit-limit,
// x-ratelimit-remaining (0) and x-ratelimit-reset (UTC epoch seconds when
// the 60-second window resets) headers and an error body. The headers are
// documented; the body's exact text is the sandbox's own.
func RateLimitFault(reset time.Time) sandbox.Fault {
	h := http.Header{"X-Ratelimit-Limit": {strconv.Itoa(DefaultRateLimit)}, "X-Ratelimit-Remaining": {"0"},
		"X-Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}}
	return sandbox.Fault{Status: http.StatusTooManyRequests, Header: h,
		Body: errorBody(http.StatusTooManyRequests, "too_many_requests", "Too Many Requests", "Rate limit exceeded")}
}

// ErrorFault is an answer with Kustomer's JSON:API error body.
func ErrorFault(status int, code, detail string) sandbox.Fault {
	return sandbox.Fault{Status: status, Body: errorBody(status, code, http.StatusText(status), detail)}
}

func errorBody(status int, code, title, detail string) string {
	b, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"status": status, "code": code, "title": title,
		"detail": detail, "meta": map[string]any{}}}})
	return string(b)
}
