package kustomer

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// call is one API request.
type call struct {
	op     string
	method string
	path   string // below the origin, ids validated and segments escaped already
	query  url.Values
	body   any
}

// reply is a 2xx answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a call with the API key. The key cannot be refreshed, so a 401
// is not retried; any non-2xx answer becomes a portable error.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = marshal(cl.body); err != nil {
			return nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "request cannot be sent as JSON", Err: err}
		}
	}
	r, err := c.roundTrip(ctx, cl, payload)
	if err != nil {
		return nil, err
	}
	if r.status < 200 || r.status > 299 {
		return nil, apiError(cl.op, r.status, r.header, r.body, c.now())
	}
	return r, nil
}

// marshal writes JSON without escaping <, > and &, which Kustomer reads
// either way and agents read more easily unescaped.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decode reads a JSON answer into out.
func decode(op string, r *reply, out any) error {
	if err := json.Unmarshal(r.body, out); err != nil {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.status, Message: "unreadable answer from Kustomer", Err: err}
	}
	return nil
}

// roundTrip sends one request, bounded by the configuration's timeout.
func (c *connector) roundTrip(ctx context.Context, cl call, payload []byte) (*reply, error) {
	if c.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	target := c.origin + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "cannot build the request"}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, crmhttp.TransportError(cl.op, err)
	}
	b, err := crmhttp.ReadBody(resp)
	if err != nil {
		return nil, crmhttp.TransportError(cl.op, err)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// nextPage turns a links.next of a paged answer into the path and query of
// the next request. Kustomer's links are relative (/v1/…); anything else
// (another host, another API) ends the paging rather than being followed.
func nextPage(link string, samePath string) (url.Values, bool) {
	if link == "" {
		return nil, false
	}
	u, err := url.Parse(link)
	if err != nil || u.IsAbs() || u.Host != "" || u.Path != samePath || !strings.HasPrefix(u.Path, "/v1/") {
		return nil, false
	}
	return u.Query(), true
}
