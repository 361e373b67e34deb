package zdsandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/crmflow/crmflow/shared/sandbox/sbtest"
)

// account is a sandbox on an httptest server.
type account struct {
	t   *testing.T
	sb  *Server
	url string
}

func start(t *testing.T, opts Options) *account {
	t.Helper()
	if opts.Now == nil {
		opts.Now = sbtest.Ticking()
	}
	sb := New(opts)
	return &account{t: t, sb: sb, url: sbtest.Serve(t, sb.Handler())}
}

var tokenAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(DefaultEmail+"/token:"+DefaultAPIToken))

// do sends a request with the API token unless auth is given, and decodes a JSON answer.
func (a *account) do(method, path, body string, auth ...string) (int, map[string]any, http.Header) {
	a.t.Helper()
	resp, b := sbtest.Send(a.t, method, a.url+path, body, func(h http.Header) {
		h.Set("Authorization", tokenAuth)
		if len(auth) > 0 {
			h.Set("Authorization", auth[0])
		}
	})
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out, resp.Header
}
