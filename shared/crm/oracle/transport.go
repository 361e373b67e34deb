package oracle

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

// call is one Connect REST request.
type call struct {
	op     string
	method string
	path   string // below the API root, escaped already: contacts/12
	query  string // encoded query string, without "?"
	body   any
}

// reply is a 2xx answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a call; any non-2xx answer is an error. Basic credentials are
// not retried on 401: there is nothing to refresh.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "fields cannot be sent as JSON", Err: err}
		}
	}
	if c.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	target := c.apiRoot + cl.path
	if cl.query != "" {
		target += "?" + cl.query
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "cannot build the request"}
	}
	req.Header.Set("Authorization", c.basic)
	req.Header.Set("OSvC-CREST-Application-Context", c.appContext)
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
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, apiError(cl.op, resp.StatusCode, resp.Header, b, c.now())
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
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
