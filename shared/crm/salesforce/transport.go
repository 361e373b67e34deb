package salesforce

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"github.com/crmflow/crmflow/shared/crm"
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
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "fields cannot be sent as JSON", Err: err}
		}
	}
	for attempt := 0; ; attempt++ {
		tok, inst, err := c.session(ctx)
		if err != nil {
			return err
		}
		status, body, err := c.roundTrip(ctx, cl, inst, tok, payload)
		if err != nil {
			return err
		}
		if status == http.StatusUnauthorized && attempt == 0 {
			c.tokens.Invalidate(tok)
			continue
		}
		if status < 200 || status > 299 {
			return apiError(cl.op, status, body)
		}
		if out != nil && len(body) > 0 {
			if err := json.Unmarshal(body, out); err != nil {
				return &crm.Error{Code: crm.Internal, Op: cl.op, Status: status, Message: "unreadable answer from Salesforce", Err: err}
			}
		}
		return nil
	}
}

// roundTrip sends one request, bounded by the configuration's timeout.
func (c *connector) roundTrip(ctx context.Context, cl call, inst, tok string, payload []byte) (int, []byte, error) {
	if c.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	target := inst + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return 0, nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "cannot build the request"}
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, crmhttp.TransportError(cl.op, err)
	}
	b, err := crmhttp.ReadBody(resp)
	if err != nil {
		return 0, nil, crmhttp.TransportError(cl.op, err)
	}
	return resp.StatusCode, b, nil
}
