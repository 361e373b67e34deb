package servicenow

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/crmflow/crmflow/shared/sandbox/sbtest"
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
		opts.Now = sbtest.Ticking()
	}
	sb := New(opts)
	return &instance{t: t, sb: sb, url: sbtest.Serve(t, sb.Handler())}
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
	resp, raw := sbtest.Send(in.t, method, in.url+path, body, func(h http.Header) {
		if len(auth) == 0 {
			h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+password)))
		} else if auth[0] != "" {
			h.Set("Authorization", auth[0])
		}
	})
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
