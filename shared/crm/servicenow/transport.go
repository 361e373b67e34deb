package servicenow

import (
	"context"
	"net/http"
	"net/url"
	"strings"

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
type reply = crmhttp.Reply

// do sends a call. With client credentials a 401 drops the refused token and
// retries once with a fresh one; basic credentials are not retried. Any other
// non-2xx answer is an error.
func (c *connector) do(ctx context.Context, cl call) (*reply, error) {
	payload, err := crmhttp.Payload(cl.op, cl.body)
	if err != nil {
		return nil, err
	}
	target, query := cl.next, ""
	if target == "" {
		target, query = c.apiRoot+cl.path, cl.query.Encode()
	}
	r, err := crmhttp.RetryUnauthorized(&c.tokens, func() (*reply, string, error) {
		header, tok, err := c.credential(ctx)
		if err != nil {
			return nil, "", err
		}
		r, err := crmhttp.Do(ctx, c.hc, c.cfg.Timeout, crmhttp.Request{Op: cl.op, Method: cl.method,
			URL: target, Query: query, Body: payload, Header: crmhttp.Authorization(header)})
		return r, tok, err
	})
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, apiError(cl.op, r.Status, r.Header, r.Body, c.now())
	}
	return r, nil
}

// result decodes {"result": …} into out.
func result(op string, r *reply, out any) error {
	env := struct {
		Result any `json:"result"`
	}{Result: out}
	return crmhttp.Decode(op, "ServiceNow", r, &env)
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
