package servicenow

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// maxMessage bounds how much of ServiceNow's message (in runes) an error carries.
const maxMessage = 1000

// dataPolicy starts the detail of a refusal by a data policy (a mandatory
// column left empty), which ServiceNow answers with 403.
const dataPolicy = "Data Policy Exception"

// checkResponse is the Client's CheckResponse: every non-2xx Table API
// answer is an error, mapped by apiError.
func (c *connector) checkResponse(op string, r *crmhttp.Reply) error {
	return apiError(op, r.Status, r.Header, r.Body, c.now())
}

// apiError maps a non-2xx Table API answer
// ({"error":{"message","detail"},"status":"failure"}) to a portable error,
// keeping ServiceNow's status and message. ServiceNow has no error codes, so
// CRMCode stays empty. Rate limits (429) carry Retry-After, or else the
// X-RateLimit-Reset time.
func apiError(op string, status int, h http.Header, body []byte, now time.Time) *crm.Error {
	e := &crm.Error{Op: op, Status: status, Message: http.StatusText(status)}
	var env struct {
		Error struct {
			Message string          `json:"message"`
			Detail  json.RawMessage `json:"detail"`
		} `json:"error"`
	}
	detail := ""
	if json.Unmarshal(body, &env) == nil && env.Error.Message != "" {
		e.Message = crmtext.OneLine(env.Error.Message)
		var d string
		if json.Unmarshal(env.Error.Detail, &d) == nil {
			detail = crmtext.OneLine(d)
		}
		if detail != "" && detail != e.Message {
			e.Message += ": " + detail
		}
	}
	e.Message = crmtext.Truncate(e.Message, maxMessage)
	e.Code = crm.StatusCode(status)
	if status == http.StatusForbidden && strings.HasPrefix(detail, dataPolicy) {
		e.Code = crm.InvalidArgument
	}
	e.Retryable = e.Code.Retryable()
	if e.Retryable {
		e.RetryAfter = crmhttp.RetryAfter(h, now)
		if e.RetryAfter == 0 && status == http.StatusTooManyRequests {
			e.RetryAfter = untilReset(h, now)
		}
	}
	return e
}

// untilReset reads X-RateLimit-Reset (Unix seconds) as a wait.
func untilReset(h http.Header, now time.Time) time.Duration {
	secs, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil {
		return 0
	}
	if d := time.Unix(secs, 0).Sub(now); d > 0 {
		return d.Round(time.Second)
	}
	return 0
}
