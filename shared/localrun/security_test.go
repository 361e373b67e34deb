package localrun_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/localrun"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/routes"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/workflow"
)

// routeRoles is who may call each route, read from the route table
// (routes.Route.Roles) that the functions enforce: the matrix below calls
// every route with every role and checks that exactly these get past the
// 403, and the README check compares the documented roles with them. A
// keyed route with no roles fails the test, so a new route cannot go
// unchecked.
var routeRoles = func() map[string][]store.Role {
	m := map[string][]store.Role{}
	for _, r := range routes.All {
		var roles []store.Role
		for _, role := range r.Roles {
			roles = append(roles, store.Role(role))
		}
		m[r.Key()] = roles // nil for a public route: no key
	}
	return m
}()

var allRoles = []store.Role{store.RolePlatform, store.RoleAdmin, store.RoleStudio, store.RoleAgent}

// queued is what enqueue sent, by queue URL.
type queued struct{ url, body string }

type recQueue struct {
	mu   sync.Mutex
	seq  int
	msgs []queued
}

func (q *recQueue) Send(_ context.Context, url, body string, _ time.Duration) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seq++
	q.msgs = append(q.msgs, queued{url, body})
	return fmt.Sprint("m-", q.seq), nil
}

func (q *recQueue) ChangeVisibility(context.Context, string, string, time.Duration) error { return nil }

func (q *recQueue) take() []queued {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.msgs
	q.msgs = nil
	return out
}

// secEnv is env with the post-call routes served and the Salesforce
// sandbox's issued access tokens recorded, for the log check.
type secEnv struct {
	*env
	jobs   *jobs.Service
	queue  *recQueue
	tokens *tokenTap
}

// tokenTap records every access_token the sandbox hands out.
type tokenTap struct {
	mu     sync.Mutex
	tokens []string
}

var accessTokenRe = regexp.MustCompile(`"access_token"\s*:\s*"([^"]+)"`)

func (tt *tokenTap) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for _, m := range accessTokenRe.FindAllStringSubmatch(rec.Body.String(), -1) {
			tt.mu.Lock()
			tt.tokens = append(tt.tokens, m[1])
			tt.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func (tt *tokenTap) all() []string {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return slices.Clone(tt.tokens)
}

func newSecEnv(t *testing.T) *secEnv {
	t.Helper()
	logs := &syncBuffer{}
	prev := slog.Default()
	slog.SetDefault(logx.New(logs, "local"))
	t.Cleanup(func() { slog.SetDefault(prev) })

	st, sec := memory.New(), memsecrets.New()
	reg := drivers.Registry()
	adm := &admin.Service{Store: st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/test/", Local: true}
	wf := workflow.New(workflow.Options{Store: st, Secrets: sec, Registry: reg, HTTP: &http.Client{}, CacheTTL: 60e9})
	q := &recQueue{}
	js := jobs.New(jobs.Options{Store: st, Queue: q, Connections: wf,
		QueueURLs: map[store.Action]string{store.ActionTimeline: "tl", store.ActionDataMemorialization: "dm"}})
	key, _ := ids.NewKey()
	if _, err := adm.BootstrapPlatformKey(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(localrun.Gateway(localrun.Services{Admin: adm, Workflow: wf, Jobs: js, Keys: st}, nil))
	t.Cleanup(gw.Close)
	tap := &tokenTap{}
	sf := sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfClientSecret})
	sfs := httptest.NewServer(tap.wrap(sf.Handler()))
	t.Cleanup(sfs.Close)
	e := &env{t: t, url: gw.URL, platform: key, store: st, secrets: sec, sf: sf, sfURL: sfs.URL, logs: &logs.Buffer}
	return &secEnv{env: e, jobs: js, queue: q, tokens: tap}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of slog.
type syncBuffer struct {
	mu sync.Mutex
	bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.Write(p)
}

// consume runs every queued job through its consumer.
func (e *secEnv) consume() {
	e.t.Helper()
	for _, m := range e.queue.take() {
		action := store.ActionTimeline
		if m.url == "dm" {
			action = store.ActionDataMemorialization
		}
		if retry := e.jobs.Consume(e.t.Context(), action, []jobs.Delivery{{MessageID: "m", Body: m.body, QueueURL: m.url, ReceiveCount: 1}}); len(retry) != 0 {
			e.t.Fatalf("%s job left on the queue: %s", action, m.body)
		}
	}
}

// doAuth sends a request with a raw Authorization header ("" for none).
func (e *env) doAuth(method, path, authz string, body []byte) reply {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := reply{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &out.Body)
	}
	return out
}

// wantSpecError checks the SPEC §3 error shape and code.
func wantSpecError(t *testing.T, what string, r reply, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d: %.300s", what, r.Status, status, r.Raw)
		return
	}
	e, _ := r.Body["error"].(map[string]any)
	msg, _ := e["message"].(string)
	if e == nil || r.errorCode() != code || msg == "" {
		t.Errorf("%s: error %.300s, want the SPEC shape with code %s", what, r.Raw, code)
	}
	if id, _ := r.Body["requestId"].(string); id == "" {
		t.Errorf("%s: error without requestId: %.300s", what, r.Raw)
	}
}

// fixture holds a tenant's ids, used to fill every path parameter.
type fixture struct {
	tenant   tenant
	params   map[string]string
	body     map[string]any // by route key: a request body of this tenant
	revoked  map[store.Role]string
	extraKey string
}

// setUpTenant gives a tenant one of everything a route can name: a key id,
// a configuration with workflows, a data mapping, a dynamic data mapping, a
// card with a record on it, and a post-call job. prefix keeps its ids apart
// from the other tenant's, so "another tenant's id" is never also one's own.
func (e *secEnv) setUpTenant(name, prefix string) fixture {
	e.t.Helper()
	tn := e.newTenant(name)
	conf := prefix + "-conf"
	e.must(201, e.do("PUT", "/v1/configurations/"+conf, tn.admin, e.sfConfig()))
	e.must(200, e.do("PUT", "/v1/configurations/"+conf+"/dynamic-data-mappings/"+prefix+"-ddm", tn.admin, map[string]any{"entities": []any{
		map[string]any{"entity": "Contact", "searchFields": []string{"Phone", "MobilePhone"}, "displayFields": []any{map[string]any{"name": "Name", "label": "Name"}}}}}))
	e.must(200, e.do("PUT", "/v1/configurations/"+conf+"/data-mappings/"+prefix+"-dm", tn.admin, map[string]any{"entity": "Task", "fields": []any{
		map[string]any{"source": "cxoneContact.agentName", "target": "Subject", "template": "Call with {{agentName}}"}}}))
	wfs := e.must(200, e.do("GET", "/v1/configurations/"+conf+"/workflows", tn.admin, nil))
	dmWorkflow := ""
	for _, w := range wfs.Body["workflows"].([]any) {
		if m := w.(map[string]any); m["dataMappingId"] == prefix+"-dm" {
			dmWorkflow = m["workflowId"].(string)
		}
	}
	if dmWorkflow == "" {
		e.t.Fatalf("no datamemorialization workflow for %s-dm: %s", prefix, wfs.Raw)
	}
	contact := prefix + "-contact"
	s := e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, map[string]any{"configurationId": conf, "workflowId": "search_phone",
		"contactId": contact, "workflowInput": map[string]any{"phoneNumber": "+14155550100"}}))
	jane := records(s)[0]["id"].(string)
	e.must(200, e.do("PUT", "/v1/contacts/"+contact+"/pins/Contact/"+jane, tn.agent, nil))
	j := e.must(202, e.do("POST", "/v1/workflows/timeline", tn.studio, map[string]any{"configurationId": conf, "workflowId": "timeline_activity",
		"contactId": contact, "cxoneContact": map[string]any{"contactId": contact, "agentName": "Agent " + name}}))
	jobID := j.Body["jobs"].([]any)[0].(map[string]any)["jobId"].(string)
	k := e.must(201, e.do("POST", "/v1/tenants/"+tn.id+"/keys", tn.admin, map[string]any{"role": "studio"}))
	revoked := map[store.Role]string{}
	for _, role := range []store.Role{store.RoleAdmin, store.RoleStudio, store.RoleAgent} {
		rk := e.must(201, e.do("POST", "/v1/tenants/"+tn.id+"/keys", tn.admin, map[string]any{"role": string(role)}))
		e.must(204, e.do("DELETE", "/v1/tenants/"+tn.id+"/keys/"+rk.Body["keyId"].(string), tn.admin, nil))
		revoked[role] = rk.Body["key"].(string)
	}
	exec := func(wf string, input map[string]any) map[string]any {
		return map[string]any{"configurationId": conf, "workflowId": wf, "contactId": contact, "workflowInput": input,
			"cxoneContact": map[string]any{"contactId": contact, "agentName": "Agent " + name}}
	}
	return fixture{
		tenant: tn,
		params: map[string]string{"tenantId": tn.id, "keyId": k.Body["keyId"].(string), "configurationId": conf,
			"workflowId": "search_phone", "dataMappingId": prefix + "-dm", "dynamicDataMappingId": prefix + "-ddm",
			"contactId": contact, "entity": "Contact", "recordId": jane, "jobId": jobID, "file": "app.js"},
		body: map[string]any{
			"POST /v1/tenants":                                                map[string]any{"name": "New " + name},
			"POST /v1/tenants/{tenantId}/keys":                                map[string]any{"role": "agent"},
			"PUT /v1/configurations/{configurationId}":                        e.sfConfig(),
			"PUT /v1/configurations/{configurationId}/workflows/{workflowId}": map[string]any{"action": "search", "name": "Search for ANI"},
			"PUT /v1/configurations/{configurationId}/data-mappings/{dataMappingId}": map[string]any{"entity": "Task", "fields": []any{
				map[string]any{"source": "cxoneContact.agentName", "target": "Subject", "template": "Call with {{agentName}}"}}},
			"PUT /v1/configurations/{configurationId}/dynamic-data-mappings/{dynamicDataMappingId}": map[string]any{"entities": []any{
				map[string]any{"entity": "Contact", "searchFields": []string{"Phone"}, "displayFields": []any{map[string]any{"name": "Name", "label": "Name"}}}}},
			"POST /v1/workflows/search":              exec("search_phone", map[string]any{"phoneNumber": "+14155550100"}),
			"POST /v1/workflows/create":              exec("create_case", map[string]any{"entity": "Case", "fields": map[string]any{"Subject": "x"}}),
			"POST /v1/workflows/update":              exec("update_record", map[string]any{"entity": "Contact", "id": jane, "fields": map[string]any{"Title": "x"}}),
			"POST /v1/workflows/timeline":            exec("timeline_activity", nil),
			"POST /v1/workflows/datamemorialization": exec(dmWorkflow, nil),
		},
		revoked:  revoked,
		extraKey: k.Body["key"].(string),
	}
}

func fill(path string, params map[string]string) string {
	return regexp.MustCompile(`\{([A-Za-z]+)\}`).ReplaceAllStringFunc(path, func(m string) string {
		return params[m[1:len(m)-1]]
	})
}

func (f fixture) key(role store.Role, platform string) string {
	switch role {
	case store.RolePlatform:
		return platform
	case store.RoleAdmin:
		return f.tenant.admin
	case store.RoleStudio:
		return f.tenant.studio
	}
	return f.tenant.agent
}

func (f fixture) bodyOf(route routes.Route) []byte {
	b, ok := f.body[route.Key()]
	if !ok {
		return nil
	}
	j, _ := json.Marshal(b)
	return j
}

// takesBody reports whether a route reads a request body.
func takesBody(r routes.Route) bool {
	return (r.Method == "POST" || r.Method == "PUT") && !strings.Contains(r.Path, "/pins/") &&
		!strings.HasSuffix(r.Path, "/test") && !strings.HasSuffix(r.Path, "/retry")
}

// TestSecurityMatrix: every route × {no key, malformed keys, unknown key,
// revoked key, every role outside its rights, another tenant's ids, a body
// over 256 KiB} answers as SPEC §3 and §4.6 say.
func TestSecurityMatrix(t *testing.T) {
	e := newSecEnv(t)
	a := e.setUpTenant("Acme", "a")
	b := e.setUpTenant("Globex", "b")
	unknown, _ := ids.NewKey()

	cases := 0
	for _, route := range routes.All {
		allowed, ok := routeRoles[route.Key()]
		if !ok {
			t.Errorf("route %s has no entry in routeRoles: say which roles may call it", route.Key())
			continue
		}
		if !route.Public && len(allowed) == 0 {
			t.Errorf("route %s takes a key and names no role in the route table: say which roles may call it", route.Key())
			continue
		}
		path := fill(route.Path, a.params)
		body := a.bodyOf(route)
		if route.Public {
			if allowed != nil {
				t.Errorf("route %s takes no key: its routeRoles entry is nil", route.Key())
			}
			// No authorizer runs: with or without a key (any key) the
			// files answer alike, and they hold no tenant's data.
			t.Run(route.Key(), func(t *testing.T) {
				for _, authz := range []string{"", "Bearer not-a-key", "Bearer " + a.tenant.admin} {
					if r := e.doAuth(route.Method, path, authz, nil); r.Status != 200 {
						t.Errorf("public route with Authorization %.20q: status %d", authz, r.Status)
					}
					cases++
				}
			})
			continue
		}
		t.Run(route.Key(), func(t *testing.T) {
			// No Authorization header: API Gateway answers 401 itself (its own body).
			if r := e.doAuth(route.Method, path, "", body); r.Status != 401 {
				t.Errorf("no key: status %d, want 401: %s", r.Status, r.Raw)
			}
			cases++
			for _, bad := range []string{"Bearer not-a-key", "Bearer ", "Basic " + a.tenant.admin, a.tenant.admin,
				"Bearer " + a.tenant.admin + "x", "Bearer " + strings.ToUpper(a.tenant.admin), "Bearer " + strings.Repeat("k", 5000)} {
				wantSpecError(t, fmt.Sprintf("malformed key %.30q", bad), e.doAuth(route.Method, path, bad, body), 401, "UNAUTHENTICATED")
				cases++
			}
			wantSpecError(t, "unknown key", e.doAuth(route.Method, path, "Bearer "+unknown, body), 401, "UNAUTHENTICATED")
			cases++
			rk := a.revoked[store.RoleAdmin]
			if r := allowed[0]; r != store.RolePlatform {
				rk = a.revoked[r]
			}
			wantSpecError(t, "revoked key", e.doAuth(route.Method, path, "Bearer "+rk, body), 401, "UNAUTHENTICATED")
			cases++
			for _, role := range allRoles {
				if slices.Contains(allowed, role) {
					continue
				}
				wantSpecError(t, "role "+string(role), e.doAuth(route.Method, path, "Bearer "+a.key(role, e.platform), body), 403, "PERMISSION_DENIED")
				cases++
			}
			if route.Method != "GET" {
				// Every route refuses an oversized body, read or not.
				big := []byte(`{"name":"` + strings.Repeat("x", 256<<10) + `"}`)
				wantSpecError(t, "body over 256 KiB", e.doAuth(route.Method, path, "Bearer "+a.key(allowed[0], e.platform), big), 413, "PAYLOAD_TOO_LARGE")
				cases++
			}
			// Another tenant's ids: every allowed tenant role gets 404 for b's ids.
			for _, role := range allowed {
				if role == store.RolePlatform || route.Key() == "POST /v1/tenants" {
					continue // the platform key spans tenants; creating a tenant names no id
				}
				cases++
				key := "Bearer " + a.key(role, e.platform)
				if !strings.Contains(route.Path, "{") {
					// The ids travel in the body (workflow execution).
					if !takesBody(route) || route.Key() == "POST /v1/tenants" {
						continue
					}
					bb := b.bodyOf(route)
					if bb == nil {
						t.Fatalf("no body for %s", route.Key())
					}
					r := e.doAuth(route.Method, path, key, bb)
					wantSpecError(t, "other tenant's configurationId in the body", r, 404, "NOT_FOUND")
					continue
				}
				if route.Key() == "PUT /v1/configurations/{configurationId}" {
					// Ids are per tenant: a's PUT of b's id makes a's own configuration, leaving b's alone.
					r := e.doAuth(route.Method, fill(route.Path, b.params), key, a.bodyOf(route))
					if r.Status != 201 {
						t.Errorf("PUT of another tenant's configuration id: %d %s", r.Status, r.Raw)
					}
					e.must(204, e.do("DELETE", fill(route.Path, b.params), a.tenant.admin, nil))
					continue
				}
				// Every id of b at once, then each id of b among a's own.
				wantSpecError(t, "other tenant's ids", e.doAuth(route.Method, fill(route.Path, b.params), key, a.bodyOf(route)), 404, "NOT_FOUND")
				for name := range b.params {
					if !strings.Contains(route.Path, "{"+name+"}") || name == "entity" || (name == "workflowId" && a.params[name] == b.params[name]) {
						continue
					}
					mixed := map[string]string{}
					for k, v := range a.params {
						mixed[k] = v
					}
					mixed[name] = b.params[name]
					if name == "recordId" {
						continue // a CRM record id is not a tenant's id; the card is
					}
					cases++
					mp := fill(route.Path, mixed)
					if route.Method == "PUT" && strings.HasSuffix(route.Path, "{"+name+"}") {
						// The item's own id under a's parent: a PUT makes a's own item, b's stays as it was.
						r := e.doAuth(route.Method, mp, key, a.bodyOf(route))
						if r.Status != 200 && r.Status != 201 {
							t.Errorf("PUT of another tenant's %s under one's own parent: %d %s", name, r.Status, r.Raw)
						}
						e.must(204, e.do("DELETE", mp, a.tenant.admin, nil))
						continue
					}
					wantSpecError(t, "other tenant's "+name, e.doAuth(route.Method, mp, key, a.bodyOf(route)), 404, "NOT_FOUND")
				}
			}
		})
	}
	for key := range routeRoles {
		found := slices.ContainsFunc(routes.All, func(r routes.Route) bool { return r.Key() == key })
		if !found {
			t.Errorf("routeRoles names %s, which routes.All does not have", key)
		}
	}

	// Nothing of b's was touched by a's attempts.
	for _, p := range []string{"/v1/configurations/b-conf", "/v1/configurations/b-conf/workflows/search_phone",
		"/v1/configurations/b-conf/data-mappings/b-dm", "/v1/configurations/b-conf/dynamic-data-mappings/b-ddm"} {
		e.must(200, e.do("GET", p, b.tenant.admin, nil))
	}
	card := e.must(200, e.do("GET", "/v1/contacts/b-contact/card", b.tenant.agent, nil))
	if len(card.Body["current"].([]any)) != 1 {
		t.Errorf("b's pin changed: %s", card.Raw)
	}
	e.must(200, e.do("GET", "/v1/jobs/"+b.params["jobId"], b.tenant.studio, nil))
	// Each tenant's job list holds its own jobs only.
	for _, tn := range []fixture{a, b} {
		l := e.must(200, e.do("GET", "/v1/jobs?status=queued", tn.tenant.admin, nil))
		jobs, _ := l.Body["jobs"].([]any)
		if len(jobs) != 1 || jobs[0].(map[string]any)["jobId"] != tn.params["jobId"] {
			t.Errorf("queued jobs of %s: %s", tn.params["tenantId"], l.Raw)
		}
	}
	wantSpecError(t, "list without a status", e.do("GET", "/v1/jobs", a.tenant.admin, nil), 400, "INVALID_ARGUMENT")
	e.must(200, e.do("POST", "/v1/workflows/search", b.extraKey, b.body["POST /v1/workflows/search"]))
	t.Logf("security matrix: %d routes, %d cases", len(routes.All), cases)
}

// crmConfig is the driver's Example configuration of a CRM type, moved to
// base, with token URL tokenURL ("" for the auth types that have none).
func crmConfig(typ, base, tokenURL string) map[string]any {
	d, _ := drivers.Registry().Driver(crm.Type(typ))
	auth := d.Example.Auth
	auth.TokenURL = tokenURL
	if auth.Scope != "" {
		auth.Scope = base + "/.default" // Dataverse's scope names the environment
	}
	return map[string]any{"name": typ, "crm": typ, "baseUrl": base, "auth": auth, "credentials": d.Example.Credentials, "timeoutMs": 2000}
}

// TestConfigurationHostsAndTokenURLs: per CRM type, a fitting https host is
// taken and everything else is refused naming baseUrl or auth.tokenUrl:
// plain http off loopback, other CRMs' hosts, look-alike hosts, userinfo,
// ports, paths, metadata and private addresses; token URLs off the CRM's
// token hosts.
func TestConfigurationHostsAndTokenURLs(t *testing.T) {
	e := newSecEnv(t)
	tn := e.newTenant("Acme")
	good := map[string]struct{ base, token string }{}
	for _, typ := range drivers.Registry().Types() {
		d, _ := drivers.Registry().Driver(typ)
		good[string(typ)] = struct{ base, token string }{d.Example.BaseURL, d.Example.Auth.TokenURL}
	}
	cases := 0
	for typ, g := range good {
		host := strings.TrimPrefix(g.base, "https://")
		t.Run(typ, func(t *testing.T) {
			r := e.do("PUT", "/v1/configurations/ok-"+typ, tn.admin, crmConfig(typ, g.base, g.token))
			if r.Status != 201 {
				t.Fatalf("fitting configuration refused: %d %s", r.Status, r.Raw)
			}
			badBases := []string{
				"http://" + host, "https://evil.example.com", "https://" + host + ".evil.example.com", "https://" + strings.Replace(host, ".", "-", 1),
				"https://user:pw@" + host, "https://" + host + "@evil.example.com", "https://" + host + ":8443",
				"https://" + host + "/path", "https://" + host + "?x=1", "https://" + host + "#frag", "https://169.254.169.254",
				"http://169.254.169.254", "https://10.0.0.1", "http://[fd00::1]", "ftp://" + host, "//" + host, host, "https://",
			}
			for other, og := range good {
				if other != typ && og.base != g.base {
					badBases = append(badBases, og.base)
				}
			}
			for _, b := range badBases {
				cases++
				r := e.do("PUT", "/v1/configurations/bad", tn.admin, crmConfig(typ, b, g.token))
				if r.Status != 400 || r.errorField() != "baseUrl" {
					t.Errorf("baseUrl %q: %d %s, want 400 naming baseUrl", b, r.Status, r.Raw)
				}
			}
			if g.token == "" {
				return
			}
			for _, tok := range []string{"https://evil.example.com/token", "http://" + host + "/token", "https://" + host + ".evil.example.com/token",
				"https://user:pw@" + host + "/token", "https://" + host + ":8443/token", "https://169.254.169.254/latest/meta-data",
				"https://login.salesforce.com.evil.example.com/services/oauth2/token", "https://" + host + "/token?redirect=https://evil.example.com"} {
				cases++
				r := e.do("PUT", "/v1/configurations/bad", tn.admin, crmConfig(typ, g.base, tok))
				if r.Status != 400 || r.errorField() != "auth.tokenUrl" {
					t.Errorf("tokenUrl %q: %d %s, want 400 naming auth.tokenUrl", tok, r.Status, r.Raw)
				}
			}
		})
	}
	t.Logf("host and token URL cases: %d", cases)
}

// TestNoDriverFollowsARedirectElsewhere: for every CRM type, a CRM (and its
// token endpoint) answering 302 to another host makes the search fail; the
// other host never sees a request, so no credential or token can leak there.
func TestNoDriverFollowsARedirectElsewhere(t *testing.T) {
	e := newSecEnv(t)
	tn := e.newTenant("Acme")
	var followed atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		t.Errorf("redirect followed: %s %s with Authorization %q", r.Method, r.URL, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"x","token_type":"Bearer","expires_in":3600}`)
	}))
	t.Cleanup(elsewhere.Close)
	// 127.0.0.1 and localhost are different hosts to a redirect check.
	target := strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1)
	var hits atomic.Int64
	var tokenAnswers atomic.Bool // false: the token endpoint redirects too; true: only the API does
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if tokenAnswers.Load() && strings.Contains(r.URL.Path, "token") {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"tok-redirect-test","token_type":"Bearer","expires_in":3600,"instance_url":"http://`+r.Host+`"}`)
			return
		}
		http.Redirect(w, r, target+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(redirector.Close)
	for _, typ := range drivers.Registry().Types() {
		for _, apiOnly := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/token_answers=%v", typ, apiOnly), func(t *testing.T) {
				tokenAnswers.Store(apiOnly)
				id := fmt.Sprintf("redir-%s-%v", typ, apiOnly)
				before := hits.Load()
				token := ""
				if d, _ := drivers.Registry().Driver(typ); d.Example.Auth.TokenURL != "" {
					u, _ := url.Parse(d.Example.Auth.TokenURL)
					token = redirector.URL + u.Path
				}
				e.must(201, e.do("PUT", "/v1/configurations/"+id, tn.admin, crmConfig(string(typ), redirector.URL, token)))
				r := e.do("POST", "/v1/workflows/search", tn.studio, map[string]any{"configurationId": id,
					"workflowId": "search_phone", "contactId": "c-" + string(typ), "workflowInput": map[string]any{"phoneNumber": "+14155550100"}})
				// A refused redirect is the CRM answering what crmflow will not follow: 502, not retried.
				if r.Status != 502 || r.errorCode() == "" {
					t.Errorf("search through a redirect: %d %s, want a refusal in the SPEC shape", r.Status, r.Raw)
				}
				if hits.Load() == before {
					t.Errorf("the CRM was never called")
				}
			})
		}
	}
	if followed.Load() != 0 {
		t.Errorf("%d redirects to another host followed", followed.Load())
	}
}

// TestLogsHoldNoSecrets: a full run — walk-through, create, update, card
// and pins, post-call jobs consumed, and a spread of errors — with log
// capture; no credential, access token, API key or record field value
// (names, phones, emails, subjects, contact-center fields) reaches the logs.
func TestLogsHoldNoSecrets(t *testing.T) {
	e := newSecEnv(t)
	tn := e.newTenant("Acme")
	secrets := []string{sfClientSecret, e.platform, tn.admin, tn.studio, tn.agent}
	values := []string{"jane.doe@example.com", "555-0100", "5550100", "Jane", "Doe", "Printer on fire",
		"Zyxwv Subject", "Qwerty Lastname", "qwerty.lastname@example.org", "Mx Agent Vortigern", "notes-Ploughshare",
		"Customer Quixote", "transcript-Xylophone", "scriptvar-Kumquat", "Updated-Title-Marmalade"}

	// Walk-through: search three ways, create, update, card, pin.
	s := e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, exec("search_phone", map[string]any{"phoneNumber": "+1 (415) 555-0100"})))
	jane := records(s)[0]["id"].(string)
	e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, exec("search_email", map[string]any{"email": "jane.doe@example.com"})))
	e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, exec("search_custom", map[string]any{"customSearch": map[string]any{
		"entity": "Contact", "fields": []string{"LastName"}, "filter": map[string]any{"field": "LastName", "op": "eq", "value": "Doe"}}})))
	e.must(201, e.do("POST", "/v1/workflows/create", tn.studio, exec("create_contact", map[string]any{"entity": "Contact",
		"fields": map[string]any{"LastName": "Qwerty Lastname", "Email": "qwerty.lastname@example.org"}, "pin": true})))
	e.must(201, e.do("POST", "/v1/workflows/create", tn.studio, exec("create_case", map[string]any{"entity": "Case",
		"fields": map[string]any{"Subject": "Zyxwv Subject"}})))
	e.must(200, e.do("POST", "/v1/workflows/update", tn.studio, exec("update_record", map[string]any{"entity": "Contact", "id": jane,
		"fields": map[string]any{"Title": "Updated-Title-Marmalade"}})))
	e.must(200, e.do("GET", "/v1/contacts/5001234/card", tn.agent, nil))
	e.must(200, e.do("PUT", "/v1/contacts/5001234/pins/Contact/"+jane, tn.agent, nil))

	// Post-call: timeline and memorialization, consumed.
	e.must(200, e.do("PUT", "/v1/configurations/sf-main/data-mappings/dm1", tn.admin, map[string]any{"entity": "Task", "fields": []any{
		map[string]any{"source": "cxoneContact.agentName", "target": "Subject", "template": "Call with {{agentName}} for {{customerName}}"},
		map[string]any{"source": "cxoneContact.dispositionNotes", "target": "Description"}}}))
	wfs := e.must(200, e.do("GET", "/v1/configurations/sf-main/workflows", tn.admin, nil))
	dmWorkflow := ""
	for _, w := range wfs.Body["workflows"].([]any) {
		if m := w.(map[string]any); m["dataMappingId"] == "dm1" {
			dmWorkflow = m["workflowId"].(string)
		}
	}
	contact := map[string]any{"contactId": "5001234", "agentName": "Mx Agent Vortigern", "ani": "+14155550100", "customerName": "Customer Quixote",
		"dispositionNotes": "notes-Ploughshare", "transcript": "transcript-Xylophone", "mediaType": "voice", "direction": "inbound",
		"scriptVariables": map[string]string{"order": "scriptvar-Kumquat"}}
	var jobIDs []string
	for _, wf := range []struct{ route, id string }{{"timeline", "timeline_activity"}, {"datamemorialization", dmWorkflow}} {
		r := e.must(202, e.do("POST", "/v1/workflows/"+wf.route, tn.studio, map[string]any{"configurationId": "sf-main", "workflowId": wf.id,
			"contactId": "5001234", "cxoneContact": contact}))
		jobIDs = append(jobIDs, r.Body["jobs"].([]any)[0].(map[string]any)["jobId"].(string))
	}
	e.consume()
	for _, id := range jobIDs {
		if j := e.must(200, e.do("GET", "/v1/jobs/"+id, tn.studio, nil)); j.Body["status"] != "succeeded" {
			t.Errorf("job %s: %s", id, j.Raw)
		}
	}

	// Errors: bad keys, bad input carrying values, a CRM refusal, a bad configuration.
	e.do("POST", "/v1/workflows/search", tn.studio+"x", exec("search_phone", map[string]any{"phoneNumber": "+14155550100"}))
	e.doAuth("GET", "/v1/configurations", "Basic "+tn.admin, nil)
	e.do("POST", "/v1/workflows/search", tn.studio, exec("search_email", map[string]any{"email": "not-an-email Zyxwv Subject"}))
	e.do("POST", "/v1/workflows/create", tn.studio, exec("create_contact", map[string]any{"entity": "Contact", "fields": map[string]any{"Email": "qwerty.lastname@example.org"}}))
	e.do("POST", "/v1/workflows/update", tn.studio, exec("update_record", map[string]any{"entity": "Contact", "id": "003000000000000AAA", "fields": map[string]any{"Title": "Updated-Title-Marmalade"}}))
	e.do("POST", "/v1/workflows/search", tn.studio, `{"workflowInput": {"phoneNumber": "Jane Doe 555-0100"`)
	bad := e.sfConfig()
	bad["credentials"] = map[string]any{"clientSecret": "wrong-" + sfClientSecret}
	e.must(200, e.do("PUT", "/v1/configurations/sf-main", tn.admin, bad))
	e.do("POST", "/v1/workflows/search", tn.studio, exec("search_phone", map[string]any{"phoneNumber": "+14155550100"}))

	logs := e.logs.String()
	tokens := e.tokens.all()
	if len(tokens) == 0 {
		t.Fatal("no access token was issued: the run did not reach the CRM")
	}
	for _, leak := range append(append(append(secrets, tokens...), values...), "Bearer ", "wrong-"+sfClientSecret) {
		if strings.Contains(logs, leak) {
			i := strings.Index(logs, leak)
			t.Errorf("logs contain %q: …%s…", leak, logs[max(0, i-200):min(len(logs), i+100)])
		}
	}
	if !strings.Contains(logs, `"requestId"`) {
		t.Errorf("logs hold no request lines: %.500s", logs)
	}
}

// TestRouteReferenceInREADME: the README's route reference lists every
// route with exactly the roles this matrix checks and the function serving
// it, and nothing else.
func TestRouteReferenceInREADME(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `([A-Z]+ /[^`]*)` \\| ([a-z, ]+) \\| ([a-z]+) \\|")
	seen := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		m := row.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		key, fn := m[1], m[3]
		seen[key] = true
		want, ok := routeRoles[key]
		if !ok {
			t.Errorf("README lists %s, which is no route", key)
			continue
		}
		var got []store.Role
		for _, r := range strings.Split(m[2], ",") {
			if r = strings.TrimSpace(r); r != "none" { // "none": a public route, no key
				got = append(got, store.Role(r))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("README: %s roles %v, the API allows %v", key, got, want)
		}
		i := slices.IndexFunc(routes.All, func(r routes.Route) bool { return r.Key() == key })
		if i >= 0 && routes.All[i].Function != fn {
			t.Errorf("README: %s served by %s, routes says %s", key, fn, routes.All[i].Function)
		}
	}
	for _, r := range routes.All {
		if !seen[r.Key()] {
			t.Errorf("README's route reference lacks %s", r.Key())
		}
	}
}
