package hubspot

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/crmflow/crmflow/shared/sandbox"
)

// Rate-limit policies HubSpot names in a 429's policyName.
const (
	PolicyTenSecondly = "TEN_SECONDLY_ROLLING"
	PolicySecondly    = "SECONDLY"
	PolicyDaily       = "DAILY"
)

// RateLimitFault is HubSpot's 429 for a rate-limit policy: the RATE_LIMIT
// body with policyName and the X-HubSpot-RateLimit headers, and no
// Retry-After (HubSpot sends none for its burst limits).
func RateLimitFault(policy string) sandbox.Fault {
	msg := "You have reached your " + strings.ToLower(policy) + " limit."
	h := http.Header{"X-Hubspot-Ratelimit-Max": {"190"}, "X-Hubspot-Ratelimit-Remaining": {"0"}}
	switch policy {
	case PolicyTenSecondly:
		h.Set("X-Hubspot-Ratelimit-Interval-Milliseconds", "10000")
	case PolicySecondly:
		h.Set("X-Hubspot-Ratelimit-Interval-Milliseconds", "1000")
	case PolicyDaily:
		h = http.Header{"X-Hubspot-Ratelimit-Daily": {"500000"}, "X-Hubspot-Ratelimit-Daily-Remaining": {"0"}}
	}
	return sandbox.Fault{Status: http.StatusTooManyRequests, Header: h, Body: marshal(map[string]any{"status": "error",
		"message": msg, "errorType": "RATE_LIMIT", "correlationId": "5d8c2b31-77a4-4c0e-9c52-2f1b8e6a1d90",
		"policyName": policy, "requestId": "1f7e43d2c5b9a8e6d4c2b0a9f8e7d6c5"})}
}

// ErrorFault is an answer with HubSpot's error body; an empty category is
// left out, as in HubSpot's answers to internal errors.
func ErrorFault(status int, category, message string) sandbox.Fault {
	body := map[string]any{"status": "error", "message": message, "correlationId": "0c6f2e9a-41b7-4d3e-8a5c-7b1d9e3f2a64"}
	if category != "" {
		body["category"] = category
	}
	return sandbox.Fault{Status: status, Body: marshal(body)}
}

func marshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
