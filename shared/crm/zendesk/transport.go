package zendesk

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// call is one Support API request.
type call struct {
	op     string
	method string
	path   string     // below /api/v2/, escaped already: users/123.json
	query  url.Values // query parameters
	next   string     // a next_page URL, sent verbatim instead of path and query
	body   any
}

// reply is a 2xx answer.
type reply = crmhttp.Reply

// do sends a call. With client credentials a 401 drops the refused token
// and retries once with a fresh one; static credentials are not retried.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	payload, err := crmhttp.Payload(cl.op, cl.body)
	if err != nil {
		return nil, err
	}
	target, query := cl.next, ""
	if target == "" {
		target, query = c.apiRoot+cl.path, cl.query.Encode()
	}
	r, err := crmhttp.RetryUnauthorized(&c.tokens, func() (*reply, string, error) {
		header, tok, err := c.credential(ctx)
		if err != nil {
			return nil, "", err
		}
		r, err := crmhttp.Do(ctx, c.hc, c.cfg.Timeout, crmhttp.Request{Op: cl.op, Method: cl.method,
			URL: target, Query: query, Body: payload, Header: crmhttp.Authorization(header)})
		return r, tok, err
	})
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, apiError(cl.op, r.Status, r.Header, r.Body, c.now())
	}
	return r, nil
}

// decode reads a JSON answer with numbers kept exact (Zendesk ids pass 2^53
// in some accounts' custom field values and are best not rounded).
func decode(op string, r *reply, out any) error {
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "unreadable answer from Zendesk", Err: err}
	}
	return nil
}

// onAccount checks that a next_page link stays on the configured account
// and below path before the driver follows it with credentials.
func (c *connector) onAccount(link, path string) bool {
	u, err := url.Parse(link)
	if err != nil || u.User != nil || u.Fragment != "" {
		return false
	}
	p := strings.TrimSuffix(u.Path, ".json")
	return u.Scheme+"://"+strings.ToLower(u.Host) == c.origin && p == "/api/v2/"+path
}
