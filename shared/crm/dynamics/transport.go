package dynamics

import (
	"context"
	"net/http"
	"strconv"

	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// call is one Web API request.
type call struct {
	op     string
	method string
	path   string // below the API root, validated or escaped already: contacts(guid)
	query  string // encoded query options (see queryString)
	next   string // an @odata.nextLink, sent verbatim instead of path and query
	body   any
	// raw, when set, is sent as the body instead of body's JSON, with
	// contentType (a $batch's multipart/mixed payload).
	raw         []byte
	contentType string
	// anyStatus returns non-2xx answers (but a 401, which is retried) for the
	// caller to read, rather than as errors: a $batch's failure is inside it.
	anyStatus bool
	// pageSize > 0 asks for pages of that many rows (Prefer: odata.maxpagesize).
	pageSize int
	// mustExist sends If-Match: * so that a PATCH never creates a row.
	mustExist bool
	// noCache sends If-None-Match: null: expanded collection-valued
	// navigation properties may otherwise come from a cache that does not
	// reflect recent changes (webapi/query/join-tables.md).
	noCache bool
}

// reply is a 2xx answer.
type reply = crmhttp.Reply

// do sends a call with the access token. A 401 drops the refused token and
// retries once with a fresh one; any other non-2xx answer is an error.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	payload, err := crmhttp.Payload(cl.op, cl.body)
	if err != nil {
		return nil, err
	}
	if cl.raw != nil {
		payload = cl.raw
	}
	target, query := cl.next, ""
	if target == "" {
		target, query = c.apiRoot+cl.path, cl.query
	}
	r, err := crmhttp.RetryUnauthorized(&c.tokens, func() (*reply, string, error) {
		tok, err := c.token(ctx)
		if err != nil {
			return nil, "", err
		}
		r, err := crmhttp.Do(ctx, c.hc, c.cfg.Timeout, crmhttp.Request{Op: cl.op, Method: cl.method,
			URL: target, Query: query, Body: payload, Header: func(h http.Header) { cl.setHeaders(h, tok) }})
		return r, tok, err
	})
	if err != nil {
		return nil, err
	}
	if !r.OK() && (!cl.anyStatus || r.Status == http.StatusUnauthorized) {
		return nil, apiError(cl.op, r.Status, r.Header, r.Body)
	}
	return r, nil
}

// setHeaders adds the Web API's headers to the JSON ones.
func (cl call) setHeaders(h http.Header, tok string) {
	h.Set("Authorization", "Bearer "+tok)
	h.Set("OData-MaxVersion", "4.0")
	h.Set("OData-Version", "4.0")
	switch {
	case cl.contentType != "":
		h.Set("Content-Type", cl.contentType)
	case cl.body != nil:
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if cl.pageSize > 0 {
		h.Set("Prefer", "odata.maxpagesize="+strconv.Itoa(cl.pageSize))
	}
	if cl.mustExist {
		h.Set("If-Match", "*")
	}
	if cl.noCache {
		h.Set("If-None-Match", "null")
	}
}

// decode reads a JSON answer into out.
func decode(op string, r *reply, out any) error { return crmhttp.Decode(op, "Dataverse", r, out) }
