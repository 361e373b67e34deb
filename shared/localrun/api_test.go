package localrun_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/localrun"
	"github.com/crmflow/crmflow/shared/logx"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/workflow"
)

// env is the whole API in one process: the local gateway with every
// function, in-memory adapters, and a Salesforce sandbox.
type env struct {
	t        *testing.T
	url      string
	platform string
	store    *memory.Store
	secrets  *memsecrets.Store
	sf       *sfsandbox.Server
	sfURL    string
	logs     *bytes.Buffer
}

const (
	sfClientID     = "test-client"
	sfClientSecret = "test-secret-do-not-log"
)

func newEnv(t *testing.T) *env {
	t.Helper()
	logs := &bytes.Buffer{}
	prev := slog.Default()
	slog.SetDefault(logx.New(logs, "local"))
	t.Cleanup(func() { slog.SetDefault(prev) })

	st, sec := memory.New(), memsecrets.New()
	reg := drivers.Registry()
	hc := &http.Client{}
	adm := &admin.Service{Store: st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/test/", Local: true}
	wf := workflow.New(workflow.Options{Store: st, Secrets: sec, Registry: reg, HTTP: hc, CacheTTL: 60e9})
	key, _ := ids.NewKey()
	if _, err := adm.BootstrapPlatformKey(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(localrun.Gateway(localrun.Services{Admin: adm, Workflow: wf, Keys: st}, nil))
	t.Cleanup(gw.Close)
	sf := sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfClientSecret})
	sfs := httptest.NewServer(sf.Handler())
	t.Cleanup(sfs.Close)
	return &env{t: t, url: gw.URL, platform: key, store: st, secrets: sec, sf: sf, sfURL: sfs.URL, logs: logs}
}

type reply struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func (r reply) errorField() string {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["field"].(string)
	return f
}

func (r reply) errorCode() string {
	e, _ := r.Body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (e *env) do(method, path, key string, body any) reply {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
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

func (e *env) must(status int, r reply) reply {
	e.t.Helper()
	if r.Status != status {
		e.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	return r
}

// tenant is a tenant with one key of each role and a Salesforce configuration.
type tenant struct {
	id, admin, studio, agent string
}

func (e *env) newTenant(name string) tenant {
	e.t.Helper()
	r := e.must(201, e.do("POST", "/v1/tenants", e.platform, map[string]any{"name": name}))
	tn := tenant{id: r.Body["tenantId"].(string)}
	for _, role := range []string{"admin", "studio", "agent"} {
		k := e.must(201, e.do("POST", "/v1/tenants/"+tn.id+"/keys", e.platform, map[string]any{"role": role}))
		key := k.Body["key"].(string)
		switch role {
		case "admin":
			tn.admin = key
		case "studio":
			tn.studio = key
		case "agent":
			tn.agent = key
		}
	}
	e.must(201, e.do("PUT", "/v1/configurations/sf-main", tn.admin, e.sfConfig()))
	return tn
}

func (e *env) sfConfig() map[string]any {
	return map[string]any{"name": "Salesforce", "crm": "salesforce", "baseUrl": e.sfURL, "apiVersion": "v62.0",
		"auth":        map[string]any{"type": "oauth2_client_credentials", "tokenUrl": e.sfURL + "/services/oauth2/token", "clientId": sfClientID},
		"credentials": map[string]any{"clientSecret": sfClientSecret}}
}

func exec(workflowID string, input map[string]any) map[string]any {
	return map[string]any{"configurationId": "sf-main", "workflowId": workflowID, "contactId": "5001234", "workflowInput": input}
}

func records(r reply) []map[string]any {
	var out []map[string]any
	list, _ := r.Body["records"].([]any)
	for _, x := range list {
		out = append(out, x.(map[string]any))
	}
	return out
}

func TestWalkthrough(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")

	// The configuration shows its credentials only as "set".
	c := e.must(200, e.do("GET", "/v1/configurations/sf-main", tn.admin, nil))
	if cr := c.Body["credentials"].(map[string]any); cr["clientSecret"] != "set" || strings.Contains(c.Raw, sfClientSecret) {
		t.Fatalf("credentials not write-only: %s", c.Raw)
	}
	wfs := e.must(200, e.do("GET", "/v1/configurations/sf-main/workflows", tn.admin, nil))
	for _, id := range []string{"search_phone", "search_email", "search_custom", "create_contact", "create_case", "update_record", "timeline_activity"} {
		if !strings.Contains(wfs.Raw, `"workflowId":"`+id+`"`) {
			t.Errorf("built-in workflow %s missing: %s", id, wfs.Raw)
		}
	}

	// Search for ANI: one match, with its open case, pops.
	s := e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, exec("search_phone", map[string]any{"phoneNumber": "+1 (415) 555-0100"})))
	recs := records(s)
	if s.Body["matchCount"] != 1.0 || len(recs) != 1 || recs[0]["display"] != "Jane Doe" || recs[0]["screenPop"] != true {
		t.Fatalf("search: %s", s.Raw)
	}
	if s.Body["screenPopUrl"] != recs[0]["url"] || !strings.HasSuffix(recs[0]["url"].(string), "/view") {
		t.Fatalf("screen pop: %s", s.Raw)
	}
	if rel, _ := recs[0]["related"].([]any); len(rel) == 0 || !strings.Contains(s.Raw, "Printer on fire") {
		t.Fatalf("open case missing: %s", s.Raw)
	}
	jane := recs[0]["id"].(string)

	// No match is not an error.
	none := e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, exec("search_phone", map[string]any{"phoneNumber": "+1 212 555 0199"})))
	if none.Body["matchCount"] != 0.0 || len(records(none)) != 0 {
		t.Fatalf("no match: %s", none.Raw)
	}

	// By email and by portable filter.
	em := e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, exec("search_email", map[string]any{"email": "jane.doe@example.com"})))
	if em.Body["matchCount"] != 1.0 || records(em)[0]["id"] != jane {
		t.Fatalf("email: %s", em.Raw)
	}
	cs := e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, exec("search_custom", map[string]any{"customSearch": map[string]any{
		"entity": "Contact", "fields": []string{"FirstName", "LastName", "Email"},
		"filter": map[string]any{"all": []any{map[string]any{"field": "LastName", "op": "eq", "value": "Doe"},
			map[string]any{"field": "Email", "op": "contains", "value": "jane"}}}}})))
	if cs.Body["matchCount"] != 1.0 || records(cs)[0]["id"] != jane {
		t.Fatalf("custom: %s", cs.Raw)
	}

	// The agent sees the results on the card, pins Jane, unpins her.
	card := e.must(200, e.do("GET", "/v1/contacts/5001234/card", tn.agent, nil))
	if !strings.Contains(card.Raw, jane) || len(card.Body["current"].([]any)) != 0 {
		t.Fatalf("card: %s", card.Raw)
	}
	pinned := e.must(200, e.do("PUT", "/v1/contacts/5001234/pins/Contact/"+jane, tn.agent, nil))
	cur := pinned.Body["current"].([]any)
	if len(cur) != 1 || cur[0].(map[string]any)["id"] != jane || cur[0].(map[string]any)["pinned"] != true {
		t.Fatalf("pin: %s", pinned.Raw)
	}
	// A later search never demotes the pinned record.
	e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, exec("search_phone", map[string]any{"phoneNumber": "4155550100"})))
	again := e.must(200, e.do("GET", "/v1/contacts/5001234/card", tn.studio, nil))
	if cur := again.Body["current"].([]any); len(cur) != 1 || strings.Count(again.Raw, `"id":"`+jane+`"`) != 1 {
		t.Fatalf("pinned record demoted or doubled: %s", again.Raw)
	}
	unpinned := e.must(200, e.do("DELETE", "/v1/contacts/5001234/pins/Contact/"+jane, tn.agent, nil))
	if len(unpinned.Body["current"].([]any)) != 0 || !strings.Contains(unpinned.Raw, jane) {
		t.Fatalf("unpin: %s", unpinned.Raw)
	}

	// Nothing secret or record-valued reached the logs.
	for _, leak := range []string{sfClientSecret, tn.studio, tn.admin, e.platform, "jane.doe@example.com", "555-0100", "Printer on fire", "Bearer "} {
		if strings.Contains(e.logs.String(), leak) {
			t.Errorf("logs contain %q", leak)
		}
	}
	if testing.Verbose() {
		t.Log(e.logs.String())
	}
	if !strings.Contains(e.logs.String(), `"contactId":"5001234"`) {
		t.Errorf("logs lack the contact id: %s", e.logs.String())
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
