package hubspot

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

type client struct {
	t     *testing.T
	srv   *httptest.Server
	token string
}

func start(t *testing.T, opts Options) (*Server, *client) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	s := New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, &client{t: t, srv: srv, token: DefaultToken}
}

// do sends a request and decodes a JSON answer.
func (c *client) do(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
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
