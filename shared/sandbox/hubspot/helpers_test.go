package hubspot

import (
	"encoding/json"
	"net/http"
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
	resp, raw := sbtest.Send(c.t, method, c.url+path, body, func(h http.Header) {
		if c.token != "" {
			h.Set("Authorization", "Bearer "+c.token)
		}
	})
	var out map[string]any
	if len(raw) > 0 && json.Unmarshal(raw, &out) != nil {
		c.t.Fatalf("%s %s: answer is not a JSON object: %s", method, path, raw)
	}
	return resp.StatusCode, out
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
	list, _ := body["results"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, r := range list {
		out = append(out, r.(map[string]any))
	}
	return out
}

func prop(rec map[string]any, name string) any {
	return rec["properties"].(map[string]any)[name]
}
