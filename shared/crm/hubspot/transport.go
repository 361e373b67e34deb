package hubspot

import (
	"context"
	"net/url"

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

// reply is a 2xx answer (207 included: batch answers carry partial errors).
type reply = crmhttp.Reply

// do sends a call with the static token. The token cannot be refreshed, so
// a 401 is not retried; any non-2xx answer becomes a portable error.
// Payloads are written without escaping <, > and &: call notes are HTML,
// and HubSpot reads either form the same.
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
		return nil, apiError(cl.op, r.Status, r.Header, r.Body)
	}
	return r, nil
}

// decode reads a JSON answer into out.
func decode(op string, r *reply, out any) error { return crmhttp.Decode(op, "HubSpot", r, out) }

// objectPath is /crm/v3/objects/{type}[/{id}], the entity and id already checked.
func objectPath(o object, id string) string {
	p := "/crm/v3/objects/" + url.PathEscape(o.entity)
	if id != "" {
		p += "/" + id
	}
	return p
}
