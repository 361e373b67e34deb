package hubspot

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

// wantError checks HubSpot's error body.
func wantError(t *testing.T, status int, body map[string]any, wantStatus int, category, text string) {
	t.Helper()
	msg, _ := body["message"].(string)
	if status != wantStatus || body["status"] != "error" || body["category"] != category || body["correlationId"] == "" ||
		!strings.Contains(msg, text) {
		t.Fatalf("got %d %v, want %d %s containing %q", status, body, wantStatus, category, text)
	}
}

func results(body map[string]any) []map[string]any {
	return sbtest.Objects(body["results"])
}

func prop(rec map[string]any, name string) any {
	return rec["properties"].(map[string]any)[name]
}
