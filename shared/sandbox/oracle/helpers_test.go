package oracle

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/sandbox/sbtest"
)

// site is a sandbox on an httptest server.
type site struct {
	t   *testing.T
	sb  *Server
	url string
}

func start(t *testing.T, opts Options) *site {
	t.Helper()
	if opts.Now == nil {
		opts.Now = sbtest.Ticking()
	}
	sb := New(opts)
	return &site{t: t, sb: sb, url: sbtest.Serve(t, sb.Handler())}
}

var basicAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(DefaultUsername+":"+DefaultPassword))

// answer is a decoded response.
type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// call sends a request with the default credentials and application
// context; header entries override them ("" removes one).
func (s *site) call(method, path, body string, header map[string]string) answer {
	s.t.Helper()
	resp, raw := sbtest.Send(s.t, method, s.url+path, body, func(h http.Header) {
		h.Set("Authorization", basicAuth)
		h.Set("OSvC-CREST-Application-Context", "sandbox test")
		for k, v := range header {
			if v == "" {
				h.Del(k)
			} else {
				h.Set(k, v)
			}
		}
	})
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if len(raw) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			s.t.Fatalf("%s %s: body %q is not a JSON object", method, path, raw)
		}
	}
	return a
}

// roql runs a queryResults query and returns its first table.
func (s *site) roql(query string) (answer, table) {
	s.t.Helper()
	a := s.call("GET", "/services/rest/connect/v1.4/queryResults?query="+url.QueryEscape(query), "", nil)
	var out struct{ Items []table }
	if a.status == 200 {
		if err := json.Unmarshal([]byte(a.raw), &out); err != nil || len(out.Items) == 0 {
			s.t.Fatalf("queryResults answer %s", a.raw)
		}
		return a, out.Items[0]
	}
	return a, table{}
}

// column returns the values of one column.
func (tb table) column(i int) []string {
	var out []string
	for _, r := range tb.Rows {
		if r[i] == nil {
			out = append(out, "<null>")
		} else {
			out = append(out, *r[i])
		}
	}
	return out
}
