package oracle

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

// maxMessage bounds how much of the site's message (in runes) an error carries.
const maxMessage = 1000

// codeThrottled is the error code of a throttled request (503, not 429).
const codeThrottled = "OSC-CREST-00035"

// checkResponse is the API client's CheckResponse: every non-2xx answer is
// an error, mapped by apiError.
func (c *connector) checkResponse(op string, r *crmhttp.Reply) error {
	return apiError(op, r.Status, r.Header, r.Body, c.now())
}

// apiError maps a non-2xx Connect REST answer ({"type","title","status",
// "detail","instance","o:errorCode"}) to a portable error, keeping the
// site's status, code and message. A 503 with OSC-CREST-00035 is the
// site's throttling: ResourceExhausted, retryable after
// osvc-crest-next-request-after milliseconds (or Retry-After).
func apiError(op string, status int, h http.Header, body []byte, now time.Time) *crm.Error {
	e := &crm.Error{Op: op, Status: status, Message: http.StatusText(status)}
	var p struct {
		Title     string `json:"title"`
		Detail    string `json:"detail"`
		ErrorCode string `json:"o:errorCode"`
		Type      string `json:"type"`
	}
	if json.Unmarshal(body, &p) == nil {
		e.CRMCode = p.ErrorCode
		if e.CRMCode == "" {
			if i := strings.LastIndex(p.Type, "/OSC-CREST-"); i >= 0 {
				e.CRMCode = p.Type[i+1:]
			}
		}
		title, detail := crmtext.OneLine(p.Title), crmtext.OneLine(p.Detail)
		switch {
		case title != "" && detail != "" && detail != title:
			e.Message = title + ": " + detail
		case title != "":
			e.Message = title
		case detail != "":
			e.Message = detail
		}
	}
	e.Message = crmtext.Truncate(e.Message, maxMessage)
	e.Code = crm.StatusCode(status)
	if e.CRMCode == codeThrottled || status == http.StatusTooManyRequests {
		e.Code = crm.ResourceExhausted
	}
	e.Retryable = e.Code.Retryable()
	if e.Retryable {
		e.RetryAfter = nextRequestAfter(h)
		if e.RetryAfter == 0 {
			e.RetryAfter = crmhttp.RetryAfter(h, now)
		}
	}
	return e
}

// nextRequestAfter reads osvc-crest-next-request-after, a wait in milliseconds.
func nextRequestAfter(h http.Header) time.Duration {
	ms, err := strconv.ParseInt(strings.TrimSpace(h.Get("Osvc-Crest-Next-Request-After")), 10, 64)
	if err != nil || ms <= 0 {
		return 0
	}
	return time.Duration(min(ms, int64(time.Hour/time.Millisecond))) * time.Millisecond
}
