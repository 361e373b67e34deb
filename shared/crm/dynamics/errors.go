package dynamics

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// Dataverse error codes the driver treats specially.
const (
	codeRequestLimit  = "0x80072322" // number of requests over the service protection limit
	codeExecutionTime = "0x80072321" // combined execution time over the limit
	codeConcurrency   = "0x80072326" // concurrent requests over the limit
	codeDuplicate     = "0x80040237" // a record with matching key values already exists
	codeNotFound      = "0x80040217" // the record does not exist
	codeSegment       = "0x8006088a" // no such entity set (table)
	codeNoMetadata    = "0x80041102" // no table of that name in the metadata cache
	codePrivilege     = "0x80040220" // the user lacks a privilege
	// maxMessage bounds how much of Dataverse's message (in runes) an error carries.
	maxMessage = 1000
)

// checkResponse is the Client's CheckResponse: apiError of the answer.
func checkResponse(op string, r *crmhttp.Reply) error {
	return apiError(op, r.Status, r.Header, r.Body)
}

// apiError maps a non-2xx Web API answer to a portable error, keeping the
// status, Dataverse's code and message. Service protection limits are
// retryable with the Retry-After Dataverse sends.
func apiError(op string, status int, h http.Header, body []byte) *crm.Error {
	e := &crm.Error{Op: op, Status: status, Message: http.StatusText(status)}
	var eb struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &eb) == nil {
		e.CRMCode = eb.Error.Code
		if m := strings.TrimSpace(eb.Error.Message); m != "" {
			e.Message = crmtext.Truncate(m, maxMessage)
		}
	}
	e.Code = classify(status, strings.ToLower(e.CRMCode))
	e.Retryable = e.Code.Retryable()
	if e.Retryable {
		e.RetryAfter = crmhttp.RetryAfter(h, time.Now())
	}
	return e
}

// classify picks the portable code; a few Dataverse codes say more than the status.
func classify(status int, code string) crm.Code {
	switch code {
	case codeRequestLimit, codeExecutionTime, codeConcurrency:
		return crm.ResourceExhausted
	case codeDuplicate:
		return crm.AlreadyExists
	case codeNotFound, codeSegment, codeNoMetadata:
		return crm.NotFound
	case codePrivilege:
		return crm.PermissionDenied
	}
	return crm.StatusCode(status)
}
