package zdsandbox

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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
		at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		opts.Now = func() time.Time { at = at.Add(time.Second); return at }
	}
	sb := New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return &account{t: t, sb: sb, url: srv.URL}
}

var tokenAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(DefaultEmail+"/token:"+DefaultAPIToken))

// do sends a request with the API token unless auth is given, and decodes a JSON answer.
func (a *account) do(method, path, body string, auth ...string) (int, map[string]any, http.Header) {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", tokenAuth)
	if len(auth) > 0 {
		req.Header.Set("Authorization", auth[0])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out, resp.Header
}
