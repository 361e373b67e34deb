package crmhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// Request is one request to a CRM's JSON API.
type Request struct {
	Op     string // the operation, for errors
	Method string
	URL    string // the target, without the query
	Query  string // the encoded query, without "?"; none when ""
	Body   []byte // the JSON payload; nil sends no body
	// Header, if set, adds the CRM's own headers (Authorization and the
	// like). It runs after Accept and Content-Type are set and may replace them.
	Header func(http.Header)
}

// Reply is a CRM's answer, whatever its status.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends r, bounded by timeout when it is positive, and reads the answer
// (at most MaxBody bytes). Only a failed round trip is an error, mapped by
// TransportError; the caller decides what a non-2xx status means.
func Do(ctx context.Context, hc *http.Client, timeout time.Duration, r Request) (*Reply, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	target := r.URL
	if r.Query != "" {
		target += "?" + r.Query
	}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, target, body)
	if err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: r.Op, Message: "cannot build the request"}
	}
	req.Header.Set("Accept", "application/json")
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Header != nil {
		r.Header(req.Header)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, TransportError(r.Op, err)
	}
	b, err := ReadBody(resp)
	if err != nil {
		return nil, TransportError(r.Op, err)
	}
	return &Reply{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// OK reports whether the answer is a 2xx.
func (r *Reply) OK() bool { return r.Status >= 200 && r.Status <= 299 }

// FormContent is a Request.Header for a form body, such as the client
// credentials grant of an OAuth token endpoint.
func FormContent(h http.Header) { h.Set("Content-Type", "application/x-www-form-urlencoded") }

// Payload is body as JSON for Request.Body: nil when body is nil, and an
// InvalidArgument error when it cannot be marshalled.
func Payload(op string, body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "fields cannot be sent as JSON", Err: err}
	}
	return b, nil
}

// PayloadUnescaped is Payload written with MarshalUnescaped, for CRMs whose
// texts (HTML notes, say) read better without \u003c and the like.
func PayloadUnescaped(op string, body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	b, err := MarshalUnescaped(body)
	if err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "request cannot be sent as JSON", Err: err}
	}
	return b, nil
}

// MarshalUnescaped writes v as JSON without escaping <, > and & (which
// json.Marshal turns into \u003c and the like), and without a final newline.
func MarshalUnescaped(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Decode reads a JSON answer into out; an unreadable one is an Internal
// error that names the CRM ("unreadable answer from HubSpot").
func Decode(op, crmName string, r *Reply, out any) error {
	if err := json.Unmarshal(r.Body, out); err != nil {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "unreadable answer from " + crmName, Err: err}
	}
	return nil
}

// DecodeExact is Decode with numbers kept as written (json.Number), for
// CRMs whose ids pass 2^53 or whose record values a driver reads into a
// map (Zendesk, Oracle). As a Client.Decode: ExactDecoder(crmName).
func DecodeExact(op, crmName string, r *Reply, out any) error {
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "unreadable answer from " + crmName, Err: err}
	}
	return nil
}

// ExactDecoder is a Client.Decode that decodes with DecodeExact.
func ExactDecoder(crmName string) func(op string, r *Reply, out any) error {
	return func(op string, r *Reply, out any) error { return DecodeExact(op, crmName, r, out) }
}

// Authorization is a Request.Header that sets the Authorization header to v.
func Authorization(v string) func(http.Header) {
	return func(h http.Header) { h.Set("Authorization", v) }
}
