package servicenow

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

// call is one Table API request.
type call struct {
	op     string
	method string
	path   string     // below the API root, escaped already: incident/{sys_id}
	query  url.Values // query parameters
	next   string     // a Link rel="next" URL, sent verbatim instead of path and query
	body   any
}

// reply is a 2xx answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a call. With client credentials a 401 drops the refused token and
// retries once with a fresh one; basic credentials are not retried. Any other
// non-2xx answer is an error.
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
		r, err := c.roundTrip(ctx, cl, header, payload)
		if err != nil {
			return nil, err
		}
		if r.status == http.StatusUnauthorized && tok != "" && attempt == 0 {
			c.tokens.Invalidate(tok)
			continue
		}
		if r.status < 200 || r.status > 299 {
			return nil, apiError(cl.op, r.status, r.header, r.body, c.now())
		}
		return r, nil
	}
}

// result decodes {"result": …} into out.
func result(op string, r *reply, out any) error {
	env := struct {
		Result any `json:"result"`
	}{Result: out}
	if err := json.Unmarshal(r.body, &env); err != nil {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.status, Message: "unreadable answer from ServiceNow", Err: err}
	}
	return nil
}

// roundTrip sends one request, bounded by the configuration's timeout.
func (c *connector) roundTrip(ctx context.Context, cl call, auth string, payload []byte) (*reply, error) {
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
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: cl.op, Message: "cannot build the request"}
	}
	req.Header.Set("Authorization", auth)
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
	return &reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// nextLink returns the rel="next" target of a Link header, or "".
// ServiceNow sends first, prev, next and last, each as <url>;rel="…",
// separated by commas; a URL may hold commas too (sysparm_fields), so links
// are told apart by their angle brackets.
func nextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for v != "" {
			start := strings.IndexByte(v, '<')
			end := strings.IndexByte(v, '>')
			if start < 0 || end < start {
				break
			}
			target := v[start+1 : end]
			params := v[end+1:]
			if i := strings.IndexByte(params, '<'); i >= 0 {
				params, v = params[:i], params[i:]
			} else {
				v = ""
			}
			for p := range strings.SplitSeq(params, ";") {
				name, val, _ := strings.Cut(strings.TrimSpace(strings.Trim(strings.TrimSpace(p), ",")), "=")
				if strings.EqualFold(strings.TrimSpace(name), "rel") && strings.EqualFold(strings.Trim(strings.TrimSpace(val), `"`), "next") {
					return target
				}
			}
		}
	}
	return ""
}

// onInstance checks that a link the instance handed out stays on the
// configured instance and its Table API before the driver follows it with
// credentials.
func (c *connector) onInstance(link string) bool {
	u, err := url.Parse(link)
	if err != nil || u.User != nil || u.Fragment != "" {
		return false
	}
	return u.Scheme+"://"+strings.ToLower(u.Host) == c.origin && strings.HasPrefix(u.Path, "/api/now/")
}
