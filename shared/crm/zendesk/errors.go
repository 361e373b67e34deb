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

// checkResponse is the Client's CheckResponse: every non-2xx answer is an
// error, mapped by apiError.
func (c *connector) checkResponse(op string, r *crmhttp.Reply) error {
	return apiError(op, r.Status, r.Header, r.Body, c.now())
}

// apiError maps a non-2xx answer to a portable error. Zendesk's body is
// {"error": code-or-message, "description", "details": {field: [{"description","error"}]}}
// (a detail may also be one object, not a list; some endpoints put
// {"title","message"} in "error", others answer JSON:API-like
// {"errors": [{"code","title","detail"}]}); a 429 is text/plain with
// Retry-After. The message carries Zendesk's own human text, the
// validation details' descriptions included ("Phone 5551234567 is not
// properly formatted"): it goes to the caller and the job record, which
// need it to fix the request; the driver logs nothing, and log lines of a
// refused request carry the status and code only (issue 10, item 4).
func apiError(op string, status int, h http.Header, body []byte, now time.Time) *crm.Error {
	e := &crm.Error{Op: op, Status: status, Message: http.StatusText(status), Code: crm.StatusCode(status)}
	var env struct {
		Error       json.RawMessage            `json:"error"`
		Description string                     `json:"description"`
		Details     map[string]json.RawMessage `json:"details"`
		Errors      []struct {
			Code   string `json:"code"`
			Title  string `json:"title"`
			Detail string `json:"detail"`
		} `json:"errors"`
	}
	duplicate := false
	switch {
	case json.Unmarshal(body, &env) == nil && len(env.Error) > 0:
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
		var texts []string
		for _, field := range sortedKeys(env.Details) {
			for _, d := range details(env.Details[field]) {
				duplicate = duplicate || d.Error == "DuplicateValue"
				t := crmtext.OneLine(d.Description)
				if t == "" {
					t = field + " " + d.Error
				}
				if t != "" && !slices.Contains(texts, t) {
					texts = append(texts, t)
				}
			}
		}
		if len(texts) > 0 {
			e.Message += ": " + strings.Join(texts, "; ")
		}
	case len(env.Errors) > 0:
		first := env.Errors[0]
		e.CRMCode = first.Code
		if msg := strings.TrimSpace(strings.Trim(first.Title+": "+first.Detail, ": ")); msg != "" {
			e.Message = crmtext.OneLine(msg)
		}
	default:
		if text := strings.TrimSpace(string(body)); text != "" && !json.Valid(body) && !strings.HasPrefix(text, "<") {
			// 429 and some proxies answer plain text.
			e.Message = crmtext.OneLine(text)
		}
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

// detail is one validation error of a field.
type detail struct {
	Description string `json:"description"`
	Error       string `json:"error"`
}

// details reads a field's validation errors, a list or a single object.
func details(raw json.RawMessage) []detail {
	var list []detail
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one detail
	if json.Unmarshal(raw, &one) == nil {
		return []detail{one}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
