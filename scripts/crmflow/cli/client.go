package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout bounds one API call: above API Gateway's 30 s integration
// limit, so the API's own 504 arrives rather than a client timeout.
const DefaultTimeout = 35 * time.Second

// maxBody bounds what the command reads of one answer (a page of 200 jobs is
// far below it).
const maxBody = 16 << 20

// Client calls the crmflow HTTP API with one key.
type Client struct {
	BaseURL string // without a trailing slash
	Key     string
	HTTP    *http.Client
}

// Response is a 2xx answer.
type Response struct {
	Status int
	Body   []byte
}

// APIError is an answer that is not 2xx, in the API's error shape (SPEC §3)
// or, from API Gateway itself, {"message": "…"}.
type APIError struct {
	Method, Path string
	Status       int
	Code         string
	Message      string
	Field        string
	CRMError     *CRMError
	RequestID    string
	RetryAfter   string
	// Body is the answer as it came, for --json.
	Body []byte
}

// CRMError is a CRM's own refusal passed on by the API.
type CRMError struct {
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, e.Code)
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Explain is the error as the command prints it: code and message first,
// then what helps fixing it.
func (e *APIError) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "crmflow: %s", e.Code)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	b.WriteString("\n")
	if e.Field != "" {
		fmt.Fprintf(&b, "  field:       %s\n", e.Field)
	}
	if c := e.CRMError; c != nil {
		fmt.Fprintf(&b, "  crm error:   %s\n", strings.TrimSpace(strings.Join(nonEmpty(statusText(c.Status), c.Code, c.Message), " ")))
	}
	if e.RetryAfter != "" {
		fmt.Fprintf(&b, "  retry after: %s s\n", e.RetryAfter)
	}
	fmt.Fprintf(&b, "  status:      %d (%s %s)\n", e.Status, e.Method, e.Path)
	if e.RequestID != "" {
		fmt.Fprintf(&b, "  request id:  %s\n", e.RequestID)
	}
	return b.String()
}

func statusText(s int) string {
	if s == 0 {
		return ""
	}
	return fmt.Sprint(s)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Do calls method path (path segments already escaped, see pathOf) with
// query and a JSON body (nil: none; json.RawMessage or []byte: sent as is).
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body any) (*Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case json.RawMessage:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	target := c.BaseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "crmflow-cli")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	resp, err := hc.Do(req)
	if err != nil {
		// The URL error names the target, never the key (it is a header).
		return nil, fmt.Errorf("%s %s: %w", method, path, unwrapURLError(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return &Response{Status: resp.StatusCode, Body: raw}, nil
	}
	return nil, apiError(method, path, resp, raw)
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", ue.URL, ue.Err)
	}
	return err
}

func apiError(method, path string, resp *http.Response, raw []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: resp.StatusCode, RetryAfter: resp.Header.Get("Retry-After"), Body: raw}
	var body struct {
		Error *struct {
			Code     string    `json:"code"`
			Message  string    `json:"message"`
			Field    string    `json:"field"`
			CRMError *CRMError `json:"crmError"`
		} `json:"error"`
		RequestID string `json:"requestId"`
		Message   string `json:"message"` // API Gateway's own answers
	}
	switch {
	case json.Unmarshal(raw, &body) == nil && body.Error != nil:
		e.Code, e.Message, e.Field, e.CRMError = body.Error.Code, body.Error.Message, body.Error.Field, body.Error.CRMError
		e.RequestID = body.RequestID
	case body.Message != "":
		e.Message = body.Message
	default:
		e.Message = strings.TrimSpace(string(raw))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200] + "…"
		}
	}
	if e.Code == "" {
		e.Code = gatewayCode(resp.StatusCode)
	}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("Apigw-Requestid")
	}
	return e
}

// gatewayCode names an answer that came without the API's error body (API
// Gateway's 401, 403, 404, 429 and 5xx), after the API's own codes.
func gatewayCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "INVALID_ARGUMENT"
	case http.StatusUnauthorized:
		return "UNAUTHENTICATED"
	case http.StatusForbidden:
		return "PERMISSION_DENIED"
	case http.StatusNotFound:
		return "NOT_FOUND"
	case http.StatusTooManyRequests:
		return "RATE_LIMITED"
	}
	return "HTTP_" + fmt.Sprint(status)
}

// pathOf joins escaped segments into an API path: pathOf("v1", "jobs", id).
func pathOf(segs ...string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString("/")
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}
