package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/docs/contract"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/routes"
	sbtable "github.com/crmflow/crmflow/shared/sandbox/sandboxes"
)

// devPlatformKey is the bootstrap platform key startDev gives the server.
const devPlatformKey = "cfk_localrunlocalrunlocalrun"

// TestOpenAPIContract walks every route of ./scripts/dev's gateway — the
// successes and the errors a caller can reach (400, 401, 403, 404, 409, 413,
// 422, and a slow or down CRM's 502, 503, 504) — through a client whose transport checks each request and answer
// against docs/openapi.yaml with kin-openapi's validator (docs/contract). It
// then asserts that every documented operation answered at least once with
// a success, so a route added without a walk here fails.
func TestOpenAPIContract(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip(`moto_server not found: pip install "moto[server]"`)
	}
	// The walk sends bursts of timeline and memorialization requests; the
	// tenant rate limit (10/s, burst 20) has its own test below, so here
	// it must not turn an exchange into a 429 when the walk runs fast.
	t.Setenv(routes.EnvTenantBurst, "1000")
	srv := startDev(t)
	checker := contract.New(t)
	w := &walker{t: t, base: srv.base, hc: &http.Client{Transport: checker.Transport(nil), Timeout: 30 * time.Second}}

	// Web: no key.
	w.do("", "GET", "/v1/openapi.yaml", nil, 200)
	w.do("", "GET", "/agent", nil, 200)
	w.do("", "GET", "/agent/?contactId=demo-salesforce", nil, 200)
	w.do("", "GET", "/agent/app.js", nil, 200)
	w.do("", "GET", "/agent/app.css", nil, 200)
	w.do("", "GET", "/agent/secrets.txt", nil, 404)
	w.do("", "GET", "/v1/no-such-route", nil, 404) // the gateway's own 404

	// Tenants and keys.
	platform := devPlatformKey
	w.do("", "POST", "/v1/tenants", map[string]any{"name": "Contract Co"}, 401)                            // no header: the gateway
	w.do("cfk_notakeynotakeynotakey00", "POST", "/v1/tenants", map[string]any{"name": "Contract Co"}, 401) // unknown key: crmflow
	w.do(srv.admin, "POST", "/v1/tenants", map[string]any{"name": "Contract Co"}, 403)
	w.do(platform, "POST", "/v1/tenants", map[string]any{}, 400)
	w.do(platform, "POST", "/v1/tenants", "{not json", 400)
	tenantID := fieldOf(w.do(platform, "POST", "/v1/tenants", map[string]any{"name": "Contract Co"}, 201), "tenantId")
	keysPath := "/v1/tenants/" + tenantID + "/keys"
	keys := map[string]string{}
	for _, role := range []string{"admin", "studio", "agent"} {
		keys[role] = fieldOf(w.do(platform, "POST", keysPath, map[string]any{"role": role}, 201), "key")
	}
	admin, studio, agent := keys["admin"], keys["studio"], keys["agent"]
	w.do(platform, "POST", keysPath, map[string]any{"role": "boss"}, 400)
	w.do(platform, "POST", keysPath, map[string]any{"role": "platform"}, 403)
	w.do(studio, "POST", keysPath, map[string]any{"role": "agent"}, 403)
	w.do(srv.admin, "POST", keysPath, map[string]any{"role": "agent"}, 404) // another tenant's id
	w.do(platform, "GET", keysPath, nil, 200)
	w.do(admin, "GET", keysPath, nil, 200)
	w.do(srv.admin, "GET", keysPath, nil, 404)
	spare := fieldOf(w.do(admin, "POST", keysPath, map[string]any{"role": "agent"}, 201), "keyId")
	w.do(agent, "DELETE", keysPath+"/"+spare, nil, 403)
	w.do(admin, "DELETE", keysPath+"/"+spare, nil, 204)
	w.do(admin, "DELETE", keysPath+"/"+spare, nil, 404)

	// Configurations: the Salesforce sandbox the demo configured, in the new tenant.
	demo := w.do(srv.admin, "GET", "/v1/configurations/salesforce-demo", nil, 200)
	sfURL := fieldOf(demo, "baseUrl")
	config := func(name string, creds bool) map[string]any {
		c := map[string]any{"name": name, "crm": "salesforce", "baseUrl": sfURL, "apiVersion": "v62.0", "timeoutMs": 8000,
			"auth": map[string]any{"type": "oauth2_client_credentials", "clientId": sbtable.DemoClientID, "tokenUrl": sfURL + "/services/oauth2/token"}}
		if creds {
			c["credentials"] = map[string]any{"clientSecret": sbtable.DemoClientSecret}
		}
		return c
	}
	const conf = "/v1/configurations/sf-contract"
	w.do(admin, "PUT", conf, config("Salesforce", false), 400) // credentials are required on create
	bad := config("Salesforce", true)
	bad["crm"] = "sugarcrm"
	w.do(admin, "PUT", conf, bad, 400)
	w.do(studio, "PUT", conf, config("Salesforce", true), 403)
	w.do(admin, "PUT", conf, config("Salesforce", true), 201)
	w.do(admin, "PUT", conf, config("Salesforce (renamed)", false), 200) // stored credentials kept
	w.do(admin, "GET", conf, nil, 200)
	w.do(srv.admin, "GET", conf, nil, 404) // another tenant's configuration
	w.do(admin, "GET", "/v1/configurations", nil, 200)
	w.do(agent, "GET", "/v1/configurations", nil, 403)
	w.do(admin, "POST", conf+"/test", nil, 200)
	w.do(admin, "POST", "/v1/configurations/nope/test", nil, 404)

	// Workflows.
	w.do(admin, "GET", conf+"/workflows", nil, 200)
	w.do(admin, "GET", "/v1/configurations/nope/workflows", nil, 404)
	w.do(admin, "PUT", conf+"/workflows/create-task", map[string]any{"action": "create", "name": "Create task", "kind": "custom_create", "entity": "Task"}, 200)
	w.do(admin, "PUT", conf+"/workflows/create-task", map[string]any{"action": "dance", "name": "Dance"}, 400)
	w.do(admin, "PUT", conf+"/workflows/search_phone", map[string]any{"action": "search", "name": "Mine", "kind": "phone"}, 409)
	w.do(admin, "GET", conf+"/workflows/create-task", nil, 200)
	w.do(admin, "GET", conf+"/workflows/nope", nil, 404)

	// Data memorialization mappings.
	summary := map[string]any{"entity": "Task", "mode": "create", "fields": []map[string]any{
		{"target": "Subject", "template": "Call with {{customerName}} ({{dispositionName}})"},
		{"target": "Description", "source": "cxoneContact.dispositionNotes"},
	}}
	w.do(admin, "GET", conf+"/data-mappings", nil, 200) // none yet
	w.do(admin, "PUT", conf+"/data-mappings/call-summary", summary, 200)
	w.do(admin, "PUT", conf+"/data-mappings/call-summary", map[string]any{"entity": "Task",
		"fields": []map[string]any{{"target": "Subject", "source": "shoeSize"}}}, 400)
	w.do(admin, "PUT", "/v1/configurations/nope/data-mappings/call-summary", summary, 404)
	w.do(admin, "GET", conf+"/data-mappings", nil, 200)
	w.do(admin, "GET", conf+"/data-mappings/call-summary", nil, 200)
	w.do(admin, "GET", conf+"/data-mappings/nope", nil, 404)

	// Dynamic data mappings.
	people := map[string]any{"entities": []map[string]any{{"entity": "Contact", "searchFields": []string{"Phone", "MobilePhone"},
		"displayFields": []map[string]any{{"name": "Name", "label": "Name"}, {"name": "Title", "label": "Job title"}}}}}
	w.do(admin, "GET", conf+"/dynamic-data-mappings", nil, 200) // none yet
	w.do(admin, "PUT", conf+"/dynamic-data-mappings/people", people, 200)
	w.do(admin, "PUT", conf+"/dynamic-data-mappings/people", map[string]any{"entities": []any{}}, 400)
	w.do(admin, "GET", conf+"/dynamic-data-mappings", nil, 200)
	w.do(admin, "GET", conf+"/dynamic-data-mappings/people", nil, 200)
	w.do(admin, "GET", conf+"/dynamic-data-mappings/nope", nil, 404)

	// Every CRM's answers: a search on each demo configuration and the card it fills.
	for _, typ := range drivers.Registry().Types() {
		contact := "contract-" + string(typ)
		w.do(srv.studio, "POST", "/v1/workflows/search", map[string]any{"configurationId": string(typ) + "-demo", "workflowId": "search_phone",
			"contactId": contact, "workflowInput": map[string]any{"phoneNumber": crmtest.JaneANI}}, 200)
		w.do(srv.agent, "GET", "/v1/contacts/"+contact+"/card", nil, 200)
	}

	// Studio: search, create, update.
	const contactID = "contract-1"
	exec := func(workflowID string, input map[string]any) map[string]any {
		return map[string]any{"configurationId": "sf-contract", "workflowId": workflowID, "contactId": contactID, "workflowInput": input}
	}
	found := w.do(studio, "POST", "/v1/workflows/search", exec("search_phone", map[string]any{"phoneNumber": crmtest.JaneANI}), 200)
	jane := firstOf(found, "records")
	withMapping := exec("search_phone", map[string]any{"phoneNumber": crmtest.JaneANI})
	withMapping["dynamicDataMappingId"] = "people"
	w.do(studio, "POST", "/v1/workflows/search", withMapping, 200)
	w.do(studio, "POST", "/v1/workflows/search", exec("search_phone", map[string]any{"phoneNumber": "+44 20 7946 0999"}), 200) // no match
	w.do(studio, "POST", "/v1/workflows/search", exec("search_email", map[string]any{"email": crmtest.JaneEmail}), 200)
	w.do(studio, "POST", "/v1/workflows/search", exec("search_custom", map[string]any{"customSearch": map[string]any{
		"entity": "Contact", "filter": map[string]any{"all": []map[string]any{{"field": "LastName", "op": "eq", "value": crmtest.JaneLast}}},
		"fields": []string{"Name", "Phone"}, "limit": 5}}), 200)
	w.do(studio, "POST", "/v1/workflows/search", exec("search_phone", map[string]any{"phoneNumber": "12"}), 400)
	w.do(studio, "POST", "/v1/workflows/search", exec("create_case", map[string]any{"phoneNumber": crmtest.JaneANI}), 422) // wrong action
	unknownConf := exec("search_phone", map[string]any{"phoneNumber": crmtest.JaneANI})
	unknownConf["configurationId"] = "nope"
	w.do(studio, "POST", "/v1/workflows/search", unknownConf, 404)
	w.do(agent, "POST", "/v1/workflows/search", exec("search_phone", map[string]any{"phoneNumber": crmtest.JaneANI}), 403)
	w.do(studio, "POST", "/v1/workflows/search", strings.Repeat(" ", 300<<10)+"{}", 413)

	w.do(studio, "POST", "/v1/workflows/create", exec("create_case", map[string]any{"entity": "Case",
		"fields": map[string]any{"Subject": "Toner empty"}, "pin": true, "screenPop": true}), 201)
	w.do(studio, "POST", "/v1/workflows/create", exec("create_case", map[string]any{"entity": "Case",
		"fields": map[string]any{"NoSuchField__x": "?"}}), 400)
	w.do(studio, "POST", "/v1/workflows/create", exec("create_custom", map[string]any{"entity": "Contact",
		"fields": map[string]any{"FirstName": "Nameless"}}), 422) // the CRM refuses: LastName is required
	w.do(agent, "POST", "/v1/workflows/create", exec("create_case", map[string]any{"entity": "Case"}), 403)

	w.do(studio, "POST", "/v1/workflows/update", exec("update_record", map[string]any{"entity": fieldOf(jane, "entity"), "id": fieldOf(jane, "id"),
		"fields": map[string]any{"Title": "Office manager"}}), 200)
	w.do(studio, "POST", "/v1/workflows/update", exec("update_record", map[string]any{"entity": "Contact", "id": "003000000000000AAA",
		"fields": map[string]any{"Title": "Nobody"}}), 422) // the CRM has no such record
	w.do(studio, "POST", "/v1/workflows/update", exec("update_record", map[string]any{"entity": "Contact", "fields": map[string]any{}}), 400)
	w.do(studio, "POST", "/v1/workflows/update", exec("search_phone", map[string]any{"entity": "Contact", "id": "x"}), 422)

	// The card, pins.
	card := "/v1/contacts/" + contactID
	w.do(agent, "GET", card+"/card", nil, 200)
	w.do(studio, "GET", card+"/card", nil, 200)
	w.do(admin, "GET", card+"/card", nil, 403)
	w.do(agent, "GET", "/v1/contacts/nobody/card", nil, 404)
	pin := card + "/pins/" + fieldOf(jane, "entity") + "/" + fieldOf(jane, "id")
	w.do(agent, "PUT", pin, nil, 200)
	w.do(agent, "DELETE", pin, nil, 200)
	w.do(agent, "PUT", pin, nil, 200)
	w.do(studio, "PUT", pin, nil, 403)
	w.do(agent, "PUT", card+"/pins/Contact/003000000000000AAA", nil, 404)
	w.do(agent, "DELETE", "/v1/contacts/nobody/pins/Contact/003000000000000AAA", nil, 404)

	// Post-call jobs.
	contact := map[string]any{"contactId": contactID, "mediaType": "voice", "direction": "inbound", "ani": crmtest.JaneANI,
		"agentName": "Ann Agent", "customerName": "Jane Doe", "startTime": "2026-11-23T10:00:00Z", "endTime": "2026-11-23T10:04:05Z",
		"callDurationInSeconds": 245, "dispositionName": "Resolved", "dispositionNotes": "Replaced the toner.",
		"tags": []string{"toner"}, "scriptVariables": map[string]string{"queue": "support"}}
	timeline := map[string]any{"configurationId": "sf-contract", "workflowId": "timeline_activity", "contactId": contactID, "cxoneContact": contact}
	tl := fieldOf(firstOf(w.do(studio, "POST", "/v1/workflows/timeline", timeline, 202), "jobs"), "jobId")
	w.do(studio, "POST", "/v1/workflows/timeline", timeline, 202) // the same job
	changed := map[string]any{"configurationId": "sf-contract", "workflowId": "timeline_activity", "contactId": contactID,
		"cxoneContact": map[string]any{"contactId": contactID, "dispositionName": "Escalated"}}
	w.do(studio, "POST", "/v1/workflows/timeline", changed, 409)
	w.do(studio, "POST", "/v1/workflows/timeline", map[string]any{"configurationId": "sf-contract", "workflowId": "search_phone", "contactId": contactID}, 422)
	w.do(studio, "POST", "/v1/workflows/timeline", map[string]any{"configurationId": "sf-contract", "workflowId": "timeline_activity",
		"contactId": contactID, "cxoneContact": map[string]any{"mediaType": "pigeon"}}, 400)
	w.do(agent, "POST", "/v1/workflows/timeline", timeline, 403)
	memo := map[string]any{"configurationId": "sf-contract", "dataMappingId": "call-summary", "contactId": contactID, "cxoneContact": contact}
	dm := fieldOf(firstOf(w.do(studio, "POST", "/v1/workflows/datamemorialization", memo, 202), "jobs"), "jobId")
	w.do(studio, "POST", "/v1/workflows/datamemorialization", map[string]any{"configurationId": "sf-contract", "dataMappingId": "nope",
		"contactId": contactID}, 404)
	w.do(studio, "POST", "/v1/workflows/datamemorialization", map[string]any{"configurationId": "sf-contract", "contactId": contactID}, 400)
	// A memorialization fanned out to two configurations: one job each.
	w.do(admin, "PUT", "/v1/configurations/sf-contract-2", config("Salesforce (second org)", true), 201)
	w.do(admin, "PUT", "/v1/configurations/sf-contract-2/data-mappings/call-summary", summary, 200)
	fan := map[string]any{"configurationIds": []string{"sf-contract", "sf-contract-2"}, "dataMappingId": "call-summary",
		"contactId": contactID, "cxoneContact": contact}
	if jobs, _ := w.do(studio, "POST", "/v1/workflows/datamemorialization", fan, 202)["jobs"].([]any); len(jobs) != 2 {
		t.Errorf("fan-out to two configurations queued %d jobs", len(jobs))
	}
	fan["configurationIds"] = []string{"sf-contract", "nope"}
	w.do(studio, "POST", "/v1/workflows/datamemorialization", fan, 404)
	w.do(studio, "POST", "/v1/workflows/timeline", map[string]any{"configurationIds": []string{"sf-contract"},
		"workflowId": "timeline_activity", "contactId": contactID}, 400)
	// A job the CRM refuses for good: a timeline activity on a record it does not have.
	refused := map[string]any{"configurationId": "sf-contract", "workflowId": "timeline_activity", "contactId": "contract-2",
		"cxoneContact": contact, "records": []map[string]any{{"entity": "Contact", "id": "003000000000000AAA"}}}
	failed := fieldOf(firstOf(w.do(studio, "POST", "/v1/workflows/timeline", refused, 202), "jobs"), "jobId")

	for _, id := range []string{tl, dm} {
		w.waitJob(studio, id, "succeeded")
	}
	finalFailed := w.waitJob(studio, failed, "failed", "deadlettered", "succeeded")
	w.do(studio, "GET", "/v1/jobs/nope", nil, 404)
	w.do(admin, "GET", "/v1/jobs/"+tl, nil, 200)
	w.do(agent, "GET", "/v1/jobs/"+tl, nil, 403)
	w.do(studio, "GET", "/v1/jobs?status=succeeded", nil, 200)
	w.do(studio, "GET", "/v1/jobs?status=running", nil, 200) // most likely none
	w.do(admin, "GET", "/v1/jobs?status=succeeded&limit=1", nil, 200)
	w.do(admin, "GET", "/v1/jobs?status=lost", nil, 400)
	w.do(admin, "GET", "/v1/jobs?status=queued&limit=0", nil, 400)
	w.do(admin, "GET", "/v1/jobs?status=queued&cursor=bogus", nil, 400)
	w.do(agent, "GET", "/v1/jobs?status=queued", nil, 403)
	w.do(studio, "POST", "/v1/jobs/"+tl+"/retry", nil, 409) // succeeded: never written twice
	w.do(admin, "POST", "/v1/jobs/nope/retry", nil, 404)
	w.do(agent, "POST", "/v1/jobs/"+tl+"/retry", nil, 403)
	if finalFailed == "failed" || finalFailed == "deadlettered" {
		w.do(admin, "POST", "/v1/jobs/"+failed+"/retry", nil, 202)
	} else {
		t.Errorf("a timeline job on a record the CRM does not have %s; want failed", finalFailed)
	}
	w.do(agent, "GET", card+"/card", nil, 200) // now with its jobs

	// A CRM that does not answer in time (504), one that is down (502), and
	// the circuit breaker that opens after its failures in a row (503).
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	}))
	defer slow.Close()
	defer close(hang) // first: a token request may outlive the caller's deadline
	down := closedURL(t)
	for id, url := range map[string]string{"sf-slow": slow.URL, "sf-down": down} {
		c := config("Salesforce "+id, true)
		c["baseUrl"], c["timeoutMs"] = url, 500
		c["auth"].(map[string]any)["tokenUrl"] = url + "/services/oauth2/token"
		w.do(admin, "PUT", "/v1/configurations/"+id, c, 201)
	}
	search := func(configurationID string) map[string]any {
		return map[string]any{"configurationId": configurationID, "workflowId": "search_phone", "contactId": contactID,
			"workflowInput": map[string]any{"phoneNumber": crmtest.JaneANI}}
	}
	w.do(studio, "POST", "/v1/workflows/search", search("sf-slow"), 504)
	for range 5 {
		w.do(studio, "POST", "/v1/workflows/search", search("sf-down"), 502)
	}
	w.do(studio, "POST", "/v1/workflows/search", search("sf-down"), 503)

	// Deletes, last.
	w.do(admin, "DELETE", conf+"/dynamic-data-mappings/people", nil, 204)
	w.do(admin, "DELETE", conf+"/dynamic-data-mappings/people", nil, 404)
	w.do(admin, "DELETE", conf+"/data-mappings/call-summary", nil, 204)
	w.do(admin, "DELETE", conf+"/data-mappings/call-summary", nil, 404)
	w.do(admin, "DELETE", conf+"/workflows/create-task", nil, 204)
	w.do(admin, "DELETE", conf+"/workflows/create-task", nil, 404)
	w.do(studio, "DELETE", conf, nil, 403)
	w.do(admin, "DELETE", conf, nil, 204)
	w.do(admin, "DELETE", conf, nil, 404)

	assertCoverage(t, checker.Seen())
	t.Logf("%d exchanges checked against docs/openapi.yaml", w.sent)
}

// TestOpenAPIContractThrottled: a tenant over its Studio request rate gets
// the documented 429 with Retry-After (the walk above runs unthrottled
// enough never to meet it).
func TestOpenAPIContractThrottled(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip(`moto_server not found: pip install "moto[server]"`)
	}
	t.Setenv(routes.EnvTenantRate, "0.01")
	t.Setenv(routes.EnvTenantBurst, "2")
	srv := startDev(t)
	checker := contract.New(t)
	w := &walker{t: t, base: srv.base, hc: &http.Client{Transport: checker.Transport(nil), Timeout: 30 * time.Second}}
	search := map[string]any{"configurationId": "salesforce-demo", "workflowId": "search_phone", "contactId": "contract-throttle",
		"workflowInput": map[string]any{"phoneNumber": crmtest.JaneANI}}
	w.do(srv.studio, "POST", "/v1/workflows/search", search, 200)
	w.do(srv.studio, "POST", "/v1/workflows/search", search, 200)
	w.do(srv.studio, "POST", "/v1/workflows/search", search, 429)
	w.do(srv.studio, "POST", "/v1/workflows/timeline", map[string]any{"configurationId": "salesforce-demo",
		"workflowId": "timeline_activity", "contactId": "contract-throttle"}, 429)
	if got := fmt.Sprint(checker.Seen()["POST /v1/workflows/search"]); got != "[200 429]" {
		t.Errorf("search answered %s", got)
	}
}

// assertCoverage: every route answered a success at least once, and the
// walk reached each error status a caller can cause.
func assertCoverage(t *testing.T, seen map[string][]int) {
	t.Helper()
	errorsSeen := map[int]bool{}
	responses := 0
	for _, r := range routes.All {
		statuses := seen[r.Key()]
		if !slices.ContainsFunc(statuses, func(s int) bool { return s < 300 }) {
			t.Errorf("%s: no success seen (statuses %v)", r.Key(), statuses)
		}
		for _, s := range statuses {
			if s >= 400 {
				errorsSeen[s] = true
			}
		}
	}
	for _, s := range []int{400, 401, 403, 404, 409, 413, 422, 502, 503, 504} {
		if !errorsSeen[s] {
			t.Errorf("no %d answer seen", s)
		}
	}
	keys := make([]string, 0, len(seen))
	for k, st := range seen {
		keys = append(keys, fmt.Sprintf("%s %v", k, st))
		responses += len(st)
	}
	sort.Strings(keys)
	t.Logf("%d operations, %d (operation, status) pairs validated:\n%s", len(seen), responses, strings.Join(keys, "\n"))
}

// walker calls the gateway through the contract checker.
type walker struct {
	t    *testing.T
	base string
	hc   *http.Client
	sent int
}

// do sends body (nil, a raw string, or a value sent as JSON) with key ("":
// no Authorization header) and reports an unexpected status. It returns
// the answer's JSON object, if any.
func (w *walker) do(key, method, path string, body any, want int) map[string]any {
	w.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			w.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, w.base+path, rd)
	if err != nil {
		w.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	w.sent++
	resp, err := w.hc.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		w.t.Errorf("%s %s: %d, want %d: %.500s", method, path, resp.StatusCode, want, raw)
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// waitJob polls a job until it is in one of the statuses and returns it.
func (w *walker) waitJob(key, id string, statuses ...string) string {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := fieldOf(w.do(key, "GET", "/v1/jobs/"+id, nil, 200), "status")
		if slices.Contains(statuses, st) {
			return st
		}
		if time.Now().After(deadline) {
			w.t.Errorf("job %s is %q after 30 s, want one of %v", id, st, statuses)
			return st
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// closedURL is a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	return url
}

func fieldOf(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func firstOf(m map[string]any, k string) map[string]any {
	list, _ := m[k].([]any)
	if len(list) == 0 {
		return nil
	}
	out, _ := list[0].(map[string]any)
	return out
}
