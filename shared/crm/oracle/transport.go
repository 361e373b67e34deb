package oracle

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// call is one Connect REST request.
type call struct {
	op     string
	method string
	path   string // below the API root, escaped already: contacts/12
	query  string // encoded query string, without "?"
	body   any
	accept string // the Accept header; application/json when ""
}

// reply is a 2xx answer.
type reply = crmhttp.Reply

// do sends a call; any non-2xx answer is an error. Basic credentials are
// not retried on 401: there is nothing to refresh.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	payload, err := crmhttp.Payload(cl.op, cl.body)
	if err != nil {
		return nil, err
	}
	r, err := crmhttp.Do(ctx, c.hc, c.cfg.Timeout, crmhttp.Request{Op: cl.op, Method: cl.method,
		URL: c.apiRoot + cl.path, Query: cl.query, Body: payload,
		Header: func(h http.Header) {
			if cl.accept != "" {
				h.Set("Accept", cl.accept)
			}
			h.Set("Authorization", c.basic)
			h.Set("OSvC-CREST-Application-Context", c.appContext)
		}})
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, apiError(cl.op, r.Status, r.Header, r.Body, c.now())
	}
	return r, nil
}

// queryParam encodes a ROQL text as the query parameter of queryResults,
// with spaces as %20 rather than +.
func queryParam(roql string) string {
	return "query=" + strings.ReplaceAll(url.QueryEscape(roql), "+", "%20")
}

// resourcePath is the REST path of a resource or one of its records.
func resourcePath(entity, id string) string {
	p := url.PathEscape(entity)
	if id != "" {
		p += "/" + url.PathEscape(id)
	}
	return p
}
