package crmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

// recorder keeps the requests a driver sends, in a form fit for golden files:
// host dropped (sandbox ports vary), query sorted, JSON bodies indented, secrets
// (Authorization, passwords, client secrets, assertions) left out.
type recorder struct {
	mu        sync.Mutex
	recording bool
	lines     []string
}

type recordingTransport struct {
	rec  *recorder
	next http.RoundTripper
}

func (r *recorder) wrap(next http.RoundTripper) http.RoundTripper {
	return recordingTransport{rec: r, next: next}
}

func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.rec.mu.Lock()
	on := t.rec.recording
	t.rec.mu.Unlock()
	if on {
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
			req.Body.Close()
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		line := describe(req, body)
		t.rec.mu.Lock()
		t.rec.lines = append(t.rec.lines, line)
		t.rec.mu.Unlock()
	}
	return t.next.RoundTrip(req)
}

var secretForm = map[string]bool{"client_secret": true, "assertion": true, "password": true, "client_assertion": true, "refresh_token": true}

func describe(req *http.Request, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", req.Method, req.URL.Path)
	q := req.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range q[k] {
			fmt.Fprintf(&b, "  ?%s=%s\n", k, v)
		}
	}
	for _, h := range []string{"Content-Type", "Accept", "OData-Version", "Prefer", "If-Match", "OSvC-CREST-Application-Context", "X-HTTP-Method-Override"} {
		if v := req.Header.Get(h); v != "" {
			fmt.Fprintf(&b, "  %s: %s\n", h, v)
		}
	}
	if len(body) == 0 {
		return b.String()
	}
	ct := req.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		form, _ := url.ParseQuery(string(body))
		fk := make([]string, 0, len(form))
		for k := range form {
			fk = append(fk, k)
		}
		sort.Strings(fk)
		for _, k := range fk {
			v := form.Get(k)
			if secretForm[k] {
				v = "[redacted]"
			}
			fmt.Fprintf(&b, "  form %s=%s\n", k, v)
		}
	case json.Valid(body):
		body = redactJSON(body)
		var out bytes.Buffer
		_ = json.Indent(&out, body, "  ", "  ")
		b.WriteString("  " + out.String() + "\n")
	default:
		b.WriteString("  " + string(body) + "\n")
	}
	return b.String()
}

func (r *recorder) check(t *testing.T, typ crm.Type, name string, update bool) {
	t.Helper()
	r.mu.Lock()
	got := strings.Join(r.lines, "\n")
	r.mu.Unlock()
	path := filepath.Join("testdata", "golden", name+".txt")
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: no golden file %s (run go test -update): %v", typ, path, err)
	}
	if string(want) != got {
		t.Fatalf("%s requests differ from %s (run go test -update to accept):\n--- want\n%s\n--- got\n%s", typ, path, want, got)
	}
}

// redactJSON replaces the values of secret keys anywhere in a JSON body (a
// token request with a JSON body, as Zendesk's). A body without such keys is
// returned as it was, keeping its key order.
func redactJSON(body []byte) []byte {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return body
	}
	var walk func(any) bool
	walk = func(x any) bool {
		found := false
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				if secretForm[k] {
					x[k] = "[redacted]"
					found = true
				} else if walk(e) {
					found = true
				}
			}
		case []any:
			for _, e := range x {
				if walk(e) {
					found = true
				}
			}
		}
		return found
	}
	if !walk(v) {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}
