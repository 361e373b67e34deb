package servicenow

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	user     = "admin"
	password = "secret"
)

// instance is a sandbox on an httptest server.
type instance struct {
	t   *testing.T
	sb  *Server
	url string
}

func start(t *testing.T, opts Options) *instance {
	t.Helper()
	if opts.Username == "" {
		opts.Username, opts.Password = user, password
	}
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = "client", "client-secret"
	}
	if opts.Now == nil {
		at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		opts.Now = func() time.Time { at = at.Add(time.Second); return at }
	}
	sb := New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return &instance{t: t, sb: sb, url: srv.URL}
}

// answer is a decoded response.
type answer struct {
	status int
	header http.Header
	body   map[string]any
}

// call sends a request with basic auth (unless auth is given as "").
func (in *instance) call(method, path string, body string, auth ...string) answer {
	in.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, in.url+path, rd)
	if err != nil {
		in.t.Fatal(err)
	}
	if len(auth) == 0 {
		req.SetBasicAuth(user, password)
	} else if auth[0] != "" {
		req.Header.Set("Authorization", auth[0])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			in.t.Fatalf("%s %s: body %q is not a JSON object", method, path, raw)
		}
	}
	return a
}

// list runs a Table API query.
func (in *instance) list(table string, params url.Values) answer {
	in.t.Helper()
	return in.call("GET", "/api/now/table/"+table+"?"+params.Encode(), "")
}

func (a answer) rows() []map[string]any {
	var out []map[string]any
	list, _ := a.body["result"].([]any)
	for _, r := range list {
		out = append(out, r.(map[string]any))
	}
	return out
}

func (a answer) row() map[string]any {
	r, _ := a.body["result"].(map[string]any)
	return r
}

// failure returns the error message and detail of a failure answer.
func (a answer) failure() (string, any) {
	e, _ := a.body["error"].(map[string]any)
	if a.body["status"] != "failure" || e == nil {
		return "", nil
	}
	msg, _ := e["message"].(string)
	return msg, e["detail"]
}
