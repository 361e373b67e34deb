package salesforce

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// sfError is one element of the error array Salesforce answers with.
type sfError struct {
	Message   string   `json:"message"`
	ErrorCode string   `json:"errorCode"`
	Fields    []string `json:"fields"`
}

// maxMessage bounds how much of Salesforce's message (in runes) an error carries.
const maxMessage = 1000

// checkResponse is the API client's CheckResponse: every non-2xx answer is
// an error, mapped by apiError.
func checkResponse(op string, r *crmhttp.Reply) error {
	return apiError(op, r.Status, r.Body)
}

// apiError maps a non-2xx answer to a portable error, keeping Salesforce's
// status, errorCode and message. Salesforce sends no Retry-After, so rate
// limits carry none either.
func apiError(op string, status int, body []byte) *crm.Error {
	e := &crm.Error{Op: op, Status: status, Message: http.StatusText(status)}
	var list []sfError
	if json.Unmarshal(body, &list) == nil && len(list) > 0 {
		e.CRMCode = list[0].ErrorCode
		msgs := make([]string, 0, len(list))
		for _, x := range list {
			if x.Message != "" {
				msgs = append(msgs, x.Message)
			}
		}
		if len(msgs) > 0 {
			e.Message = strings.Join(msgs, "; ")
		}
	}
	if cut := crmtext.Cut(e.Message, maxMessage); cut != e.Message {
		e.Message = cut + "…"
	}
	e.Code = classify(status, e.CRMCode)
	e.Retryable = e.Code.Retryable()
	return e
}

// classify picks the portable code: a few errorCodes say more than the status.
func classify(status int, code string) crm.Code {
	switch code {
	case "REQUEST_LIMIT_EXCEEDED":
		return crm.ResourceExhausted
	case "INVALID_SESSION_ID":
		return crm.Unauthenticated
	case "DUPLICATE_VALUE", "DUPLICATES_DETECTED":
		return crm.AlreadyExists
	case "ENTITY_IS_DELETED":
		return crm.NotFound
	case "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE":
		// Row lock contention and maintenance pass; the same write succeeds later.
		return crm.Unavailable
	}
	if status == http.StatusMultipleChoices {
		// An external id matched several records.
		return crm.InvalidArgument
	}
	return crm.StatusCode(status)
}
