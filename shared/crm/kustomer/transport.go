package kustomer

import (
	"context"
	"net/url"
	"strings"

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
type reply = crmhttp.Reply

// do sends a call with the API key. The key cannot be refreshed, so a 401
// is not retried; any non-2xx answer becomes a portable error. Payloads are
// written without escaping <, > and &, which Kustomer reads either way and
// agents read more easily unescaped.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	payload, err := crmhttp.PayloadUnescaped(cl.op, cl.body)
	if err != nil {
		return nil, err
	}
	r, err := crmhttp.Do(ctx, c.hc, c.cfg.Timeout, crmhttp.Request{Op: cl.op, Method: cl.method,
		URL: c.origin + cl.path, Query: cl.query.Encode(), Body: payload, Header: crmhttp.Authorization("Bearer " + c.token)})
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, apiError(cl.op, r.Status, r.Header, r.Body, c.now())
	}
	return r, nil
}

// decode reads a JSON answer into out.
func decode(op string, r *reply, out any) error { return crmhttp.Decode(op, "Kustomer", r, out) }

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
