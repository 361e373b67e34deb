package dynamics

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const (
	testTenant = "contoso.onmicrosoft.com"
	testClient = "5f2b8c1e-0d4a-4e6b-9a3c-7e1f2d3c4b5a"
	testSecret = "s3cret"
)

// env is a sandbox on httptest with a valid token.
type env struct {
	t   *testing.T
	s   *Server
	srv *httptest.Server
	tok string
}

func start(t *testing.T, opts Options) *env {
	t.Helper()
	opts.TenantID, opts.ClientID, opts.ClientSecret = testTenant, testClient, testSecret
	s := New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	e := &env{t: t, s: s, srv: srv}
	res, body := e.token(url.Values{"grant_type": {"client_credentials"}, "client_id": {testClient}, "client_secret": {testSecret},
		"scope": {srv.URL + "/.default"}})
	if res.StatusCode != 200 {
		t.Fatalf("token: %d %v", res.StatusCode, body)
	}
	e.tok = body["access_token"].(string)
	return e
}

func (e *env) token(form url.Values) (*http.Response, map[string]any) {
	e.t.Helper()
	res, err := http.Post(e.srv.URL+"/"+testTenant+"/oauth2/v2.0/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	return res, decodeJSON(e.t, res)
}

// call sends a Web API request; header pairs follow the body.
func (e *env) call(method, path string, body any, header ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+"/api/data/v9.2/"+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.tok)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, decodeJSON(e.t, res)
}

// get runs a collection query with a raw (already encoded) query string.
func (e *env) get(set, rawQuery string, header ...string) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.call(http.MethodGet, set+"?"+rawQuery, nil, header...)
}

func filterQuery(filter string) string {
	return "$filter=" + strings.ReplaceAll(url.QueryEscape(filter), "+", "%20")
}

func decodeJSON(t *testing.T, res *http.Response) map[string]any {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	return m
}

// errorOf returns the code and message of a Dataverse error body.
func errorOf(body map[string]any) (string, string) {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	msg, _ := e["message"].(string)
	return code, msg
}

func values(body map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := body["value"].([]any)
	for _, v := range list {
		out = append(out, v.(map[string]any))
	}
	return out
}
