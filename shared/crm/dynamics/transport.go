package dynamics

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/crmflow/crmflow/shared/crm"
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
	// pageSize > 0 asks for pages of that many rows (Prefer: odata.maxpagesize).
	pageSize int
	// mustExist sends If-Match: * so that a PATCH never creates a row.
	mustExist bool
}

// reply is a 2xx answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a call with the access token. A 401 drops the refused token and
// retries once with a fresh one; any other non-2xx answer is an error.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "fields cannot be sent as JSON", Err: err}
		}
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.token(ctx)
		if err != nil {
			return nil, err
		}
		r, err := c.roundTrip(ctx, cl, tok, payload)
		if err != nil {
			return nil, err
		}
		if r.status == http.StatusUnauthorized && attempt == 0 {
			c.tokens.Invalidate(tok)
			continue
		}
		if r.status < 200 || r.status > 299 {
			return nil, apiError(cl.op, r.status, r.header, r.body)
		}
		return r, nil
	}
}

// decode reads a JSON answer into out.
func decode(op string, r *reply, out any) error {
	if err := json.Unmarshal(r.body, out); err != nil {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.status, Message: "unreadable answer from Dataverse", Err: err}
	}
	return nil
}

// roundTrip sends one request, bounded by the configuration's timeout.
func (c *connector) roundTrip(ctx context.Context, cl call, tok string, payload []byte) (*reply, error) {
	if c.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	target := cl.next
	if target == "" {
		target = c.apiRoot + cl.path
		if cl.query != "" {
			target += "?" + cl.query
		}
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "cannot build the request"}
	}
	h := req.Header
	h.Set("Authorization", "Bearer "+tok)
	h.Set("Accept", "application/json")
	h.Set("OData-MaxVersion", "4.0")
	h.Set("OData-Version", "4.0")
	if payload != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if cl.pageSize > 0 {
		h.Set("Prefer", "odata.maxpagesize="+strconv.Itoa(cl.pageSize))
	}
	if cl.mustExist {
		h.Set("If-Match", "*")
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
