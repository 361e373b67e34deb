// Package sbtest holds the plumbing the sandboxes' own tests share: a clock,
// an httptest server, and a request sender. What a sandbox's answers look
// like stays in each sandbox's tests.
package sbtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Start is the time the sandboxes' tests start at: 2026-11-23 10:00 UTC.
var Start = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// Fixed is a clock that always reads Start.
func Fixed() time.Time { return Start }

// Ticking returns a clock that reads one second after Start the first time
// and one second later at each reading after that.
func Ticking() func() time.Time {
	at := Start
	return func() time.Time { at = at.Add(time.Second); return at }
}

// Serve serves h on an httptest server closed when the test ends, and
// returns the server's URL.
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Send sends method to target with body ("" for none, otherwise as JSON)
// and the headers set sets (it may be nil), and returns the answer with its
// body read and closed. A request that cannot be sent fails the test.
func Send(t testing.TB, method, target, body string, set func(http.Header)) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if set != nil {
		set(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, raw
}

// SendBearer sends method to target with body as Send does, with token (if
// any) as a bearer token, and returns the status and the answer decoded as
// a JSON object (nil for an empty answer). An answer that is not a JSON
// object fails the test.
func SendBearer(t testing.TB, method, target, body, token string) (int, map[string]any) {
	t.Helper()
	resp, raw := Send(t, method, target, body, func(h http.Header) {
		if token != "" {
			h.Set("Authorization", "Bearer "+token)
		}
	})
	var out map[string]any
	if len(raw) > 0 && json.Unmarshal(raw, &out) != nil {
		t.Fatalf("%s %s: answer is not a JSON object: %s", method, target, raw)
	}
	return resp.StatusCode, out
}

// Objects returns the JSON objects of list (a decoded JSON array), or none.
func Objects(list any) []map[string]any {
	l, _ := list.([]any)
	out := make([]map[string]any, 0, len(l))
	for _, r := range l {
		out = append(out, r.(map[string]any))
	}
	return out
}
