package kustomer

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/sandbox/sbtest"
)

var fixedNow = sbtest.Start

type client struct {
	t     *testing.T
	url   string
	token string
}

func start(t *testing.T, opts Options) (*Server, *client) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = sbtest.Fixed
	}
	s := New(opts)
	return s, &client{t: t, url: sbtest.Serve(t, s.Handler()), token: DefaultToken}
}

// do sends a request and decodes a JSON answer.
func (c *client) do(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	return sbtest.SendBearer(c.t, method, c.url+path, body, c.token)
}

// wantError checks Kustomer's JSON:API error body.
func wantError(t *testing.T, status int, body map[string]any, wantStatus int, code, text string) {
	t.Helper()
	list, _ := body["errors"].([]any)
	if status != wantStatus || len(list) != 1 {
		t.Fatalf("got %d %v, want %d %s", status, body, wantStatus, code)
	}
	e := list[0].(map[string]any)
	detail, _ := e["detail"].(string)
	if e["code"] != code || e["status"] != float64(wantStatus) || e["title"] == "" || !strings.Contains(detail, text) {
		t.Fatalf("got %d %v, want %d %s containing %q", status, body, wantStatus, code, text)
	}
}

func data(body map[string]any) map[string]any {
	d, _ := body["data"].(map[string]any)
	return d
}

func attr(res map[string]any, name string) any {
	return res["attributes"].(map[string]any)[name]
}

func list(body map[string]any) []map[string]any {
	return sbtest.Objects(body["data"])
}
