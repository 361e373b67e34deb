package zendesk

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
type reply struct {
	status int
	body   []byte
}

// do sends a call. With client credentials a 401 drops the refused token
// and retries once with a fresh one; static credentials are not retried.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "fields cannot be sent as JSON", Err: err}
		}
	}
	for attempt := 0; ; attempt++ {
		header, tok, err := c.credential(ctx)
		if err != nil {
			return nil, err
		}
		status, h, body, err := c.roundTrip(ctx, cl, header, payload)
		if err != nil {
			return nil, err
		}
		if status == http.StatusUnauthorized && tok != "" && attempt == 0 {
			c.tokens.Invalidate(tok)
			continue
		}
		if status < 200 || status > 299 {
			return nil, apiError(cl.op, status, h, body, c.now())
		}
		return &reply{status: status, body: body}, nil
	}
}

// decode reads a JSON answer with numbers kept exact (Zendesk ids pass 2^53
// in some accounts' custom field values and are best not rounded).
func decode(op string, r *reply, out any) error {
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.status, Message: "unreadable answer from Zendesk", Err: err}
	}
	return nil
}

// roundTrip sends one request, bounded by the configuration's timeout.
func (c *connector) roundTrip(ctx context.Context, cl call, auth string, payload []byte) (int, http.Header, []byte, error) {
	if c.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	target := cl.next
	if target == "" {
		target = c.apiRoot + cl.path
		if len(cl.query) > 0 {
			target += "?" + cl.query.Encode()
		}
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return 0, nil, nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "cannot build the request"}
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, crmhttp.TransportError(cl.op, err)
	}
	b, err := crmhttp.ReadBody(resp)
	if err != nil {
		return 0, nil, nil, crmhttp.TransportError(cl.op, err)
	}
	return resp.StatusCode, resp.Header, b, nil
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
