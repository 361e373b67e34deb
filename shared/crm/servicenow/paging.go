package servicenow

import (
	"net/http"
	"net/url"
	"strings"
)

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
