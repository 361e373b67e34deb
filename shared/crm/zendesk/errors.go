package zendesk

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// maxMessage bounds how much of Zendesk's message (in runes) an error carries.
const maxMessage = 1000

// apiError maps a non-2xx answer to a portable error. Zendesk's body is
// {"error": code-or-message, "description", "details": {field: [{"description","error"}]}}
// (some endpoints put {"title","message"} in "error"); a 429 is text/plain
// with Retry-After. Validation details are reduced to field names and
// Zendesk's error codes: their descriptions quote the refused values.
func apiError(op string, status int, h http.Header, body []byte, now time.Time) *crm.Error {
	e := &crm.Error{Op: op, Status: status, Message: http.StatusText(status), Code: crm.StatusCode(status)}
	var env struct {
		Error       json.RawMessage                     `json:"error"`
		Description string                              `json:"description"`
		Details     map[string][]struct{ Error string } `json:"details"`
	}
	duplicate := false
	if json.Unmarshal(body, &env) == nil && len(env.Error) > 0 {
		var code string
		var obj struct{ Title, Message string }
		switch {
		case json.Unmarshal(env.Error, &code) == nil:
		case json.Unmarshal(env.Error, &obj) == nil:
			code, env.Description = obj.Title, obj.Message
		}
		// "RecordNotFound" is a code; "Couldn't authenticate you" is a message.
		if strings.ContainsAny(code, " '") {
			e.Message = crmtext.OneLine(code)
		} else {
			e.CRMCode = code
		}
		if env.Description != "" {
			e.Message = crmtext.OneLine(env.Description)
		}
		var parts []string
		for _, field := range sortedKeys(env.Details) {
			var codes []string
			for _, d := range env.Details[field] {
				if d.Error != "" && !slices.Contains(codes, d.Error) {
					codes = append(codes, d.Error)
				}
				duplicate = duplicate || d.Error == "DuplicateValue"
			}
			parts = append(parts, field+" "+strings.Join(codes, ","))
		}
		if len(parts) > 0 {
			e.Message += " (" + strings.Join(parts, "; ") + ")"
		}
	} else if text := strings.TrimSpace(string(body)); text != "" && !json.Valid(body) && !strings.HasPrefix(text, "<") {
		// 429 and some proxies answer plain text.
		e.Message = crmtext.OneLine(text)
	}
	e.Message = crmtext.Truncate(e.Message, maxMessage)
	switch {
	case status == http.StatusUnprocessableEntity && duplicate:
		e.Code = crm.AlreadyExists
	case status == http.StatusConflict:
		// Zendesk answers 409 when concurrent writes to one record collide
		// and asks for the request to be repeated; it is not a duplicate.
		e.Code = crm.Unavailable
	}
	e.Retryable = e.Code.Retryable()
	if e.Retryable {
		e.RetryAfter = crmhttp.RetryAfter(h, now)
	}
	return e
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
