package salesforce

import (
	"context"
	"net/url"

	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// call is one REST request below the instance address.
type call struct {
	op     string
	method string
	path   string // escaped, from /services/
	query  url.Values
	body   any
}

// do sends a call with the session token and decodes a 2xx answer into out.
// A 401 drops the refused token and retries once with a fresh one.
func (c *connector) do(ctx context.Context, cl call, out any) error {
	r, err := c.send(ctx, cl)
	if err != nil {
		return err
	}
	if !r.OK() {
		return apiError(cl.op, r.Status, r.Body)
	}
	if out == nil || len(r.Body) == 0 {
		return nil
	}
	return crmhttp.Decode(cl.op, "Salesforce", r, out)
}

// send sends a call with the session token and returns Salesforce's answer,
// whatever its status (a 300 carries records, not errors). A 401 drops the
// refused token and retries once with a fresh one.
func (c *connector) send(ctx context.Context, cl call) (*crmhttp.Reply, error) {
	payload, err := crmhttp.Payload(cl.op, cl.body)
	if err != nil {
		return nil, err
	}
	return crmhttp.RetryUnauthorized(&c.tokens, func() (*crmhttp.Reply, string, error) {
		tok, inst, err := c.session(ctx)
		if err != nil {
			return nil, "", err
		}
		r, err := crmhttp.Do(ctx, c.hc, c.cfg.Timeout, crmhttp.Request{Op: cl.op, Method: cl.method,
			URL: inst + cl.path, Query: cl.query.Encode(), Body: payload, Header: crmhttp.Authorization("Bearer " + tok)})
		return r, tok, err
	})
}
