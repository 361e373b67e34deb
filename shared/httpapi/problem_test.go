package httpapi

import (
	"fmt"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/throttle"
)

// TestFailFastProblems: an open circuit breaker (inside the CRM error it
// travels in) is 503 CRM_CIRCUIT_OPEN, a tenant over its rate 429
// TENANT_RATE_LIMITED, both with Retry-After in whole seconds.
func TestFailFastProblems(t *testing.T) {
	open := &crm.Error{Code: crm.Unavailable, Retryable: true, RetryAfter: 12300 * time.Millisecond, Op: "salesforce: search",
		Err: &breaker.OpenError{RetryAfter: 12300 * time.Millisecond}}
	for _, tc := range []struct {
		err    error
		status int
		code   string
		retry  string
	}{
		{fmt.Errorf("search: %w", open), 503, CodeCircuitOpen, "13"},
		{&throttle.LimitError{RetryAfter: 300 * time.Millisecond}, 429, CodeTenantRateLimited, "1"},
	} {
		p := ProblemOf(tc.err)
		if p.Status != tc.status || p.Detail.Code != tc.code || p.Headers()["Retry-After"] != tc.retry || p.Detail.CRMError != nil {
			t.Errorf("%v: %+v, want %d %s Retry-After %s", tc.err, p, tc.status, tc.code, tc.retry)
		}
	}
}
