package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testKey = "cfk_testtesttesttesttesttest"

// fakeAPI is an httptest server with a mux, as go-github's tests have: each
// test registers the routes it calls and checks what the command sent.
type fakeAPI struct {
	*httptest.Server
	mux *http.ServeMux
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message":"Unauthorized"}`)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &fakeAPI{Server: srv, mux: mux}
}

// answer registers pattern to answer status and body, after check (may be nil) saw the request.
func (f *fakeAPI) answer(pattern string, status int, body string, check func(r *http.Request, body []byte)) {
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if check != nil {
			check(r, raw)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the command line with CRMFLOW_URL pointing at base.
func run(t *testing.T, base string, env map[string]string, args ...string) result {
	t.Helper()
	vars := map[string]string{EnvURL: base, EnvKey: testKey}
	for k, v := range env {
		vars[k] = v
	}
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Env{Args: args, Getenv: func(k string) string { return vars[k] },
		Stdin: strings.NewReader(env["stdin"]), Stdout: &out, Stderr: &errOut})
	return result{code, out.String(), errOut.String()}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageErrors(t *testing.T) {
	bad := writeFile(t, "bad.json", `{"name": `)
	list := writeFile(t, "list.json", `[1, 2]`)
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		stderr string
	}{
		{"no command", nil, nil, "no command given"},
		{"unknown command", nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"group without verb", nil, []string{"configs"}, "configs needs one of: list, get, put, delete, test"},
		{"unknown verb", nil, []string{"configs", "patch"}, `unknown command "configs patch"`},
		{"unknown flag", nil, []string{"configs", "list", "--nope"}, "flag provided but not defined: -nope"},
		{"missing id", nil, []string{"configs", "get"}, "configs get needs a <configurationId>"},
		{"extra argument", nil, []string{"configs", "get", "a", "b"}, `unexpected argument "b"`},
		{"put without -f", nil, []string{"configs", "put", "sf-main"}, "needs -f <file.json>"},
		{"put missing file", nil, []string{"configs", "put", "sf-main", "-f", "/nonexistent/x.json"}, "no such file"},
		{"put invalid json", nil, []string{"configs", "put", "sf-main", "-f", bad}, "not a JSON object"},
		{"put json array", nil, []string{"configs", "put", "sf-main", "-f", list}, "not a JSON object"},
		{"no url", map[string]string{EnvURL: ""}, []string{"configs", "list"}, "no API URL: set CRMFLOW_URL"},
		{"no key", map[string]string{EnvKey: ""}, []string{"configs", "list"}, "no API key: set CRMFLOW_KEY"},
		{"plain http elsewhere", map[string]string{EnvURL: "http://api.example.com"}, []string{"configs", "list"}, "plain http only on a loopback address"},
		{"not a url", map[string]string{EnvURL: "127.0.0.1:8080"}, []string{"configs", "list"}, "want https://host"},
		{"keys without tenant", nil, []string{"keys", "list"}, "keys list needs --tenant"},
		{"keys create without role", nil, []string{"keys", "create", "--tenant", "tn_1"}, "needs --role"},
		{"tenants without name", nil, []string{"tenants", "create"}, "needs --name"},
		{"jobs list without status", nil, []string{"jobs", "list"}, "needs --status queued|running|succeeded|failed|deadlettered"},
		{"jobs list bad status", nil, []string{"jobs", "list", "--status", "done"}, `--status "done": must be one of`},
		{"jobs list bad page size", nil, []string{"jobs", "list", "--status", "failed", "--page-size", "500"}, "--page-size must be from 1 to 200"},
		{"search without config", nil, []string{"search", "--phone", "+14155550100"}, "search needs --config"},
		{"search without input", nil, []string{"search", "--config", "sf"}, "one of --phone, --email or --input"},
		{"search with two inputs", nil, []string{"search", "--config", "sf", "--phone", "1", "--email", "a@b.c"}, "one of --phone, --email or --input"},
		{"search bad input", nil, []string{"search", "--config", "sf", "--input", "{"}, "--input: not a JSON object"},
		{"mappings without config", nil, []string{"mappings", "list"}, "mappings list needs --config"},
		{"workflows twice", nil, []string{"workflows", "list", "--config", "a", "b"}, "give the configuration once"},
		{"redrive without queue", nil, []string{"redrive"}, "say which queue"},
		{"redrive both", nil, []string{"redrive", "--queue", "timeline", "--to", "u"}, "not both"},
		{"help of nothing", nil, []string{"help", "nope"}, `no command "nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// No server: a usage error never reaches the network.
			env := map[string]string{EnvURL: "http://127.0.0.1:1"}
			for k, v := range tc.env {
				env[k] = v
			}
			res := run(t, env[EnvURL], env, tc.args...)
			if res.code != ExitUsage || !strings.Contains(res.stderr, tc.stderr) {
				t.Errorf("crmflow %q: exit %d, stderr %q; want exit %d and %q", tc.args, res.code, res.stderr, ExitUsage, tc.stderr)
			}
			if !strings.Contains(res.stderr, "run 'crmflow") {
				t.Errorf("stderr %q says nothing of help", res.stderr)
			}
			if res.stdout != "" {
				t.Errorf("stdout %q, want nothing", res.stdout)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		res := run(t, "", nil, args...)
		if res.code != ExitOK || !strings.Contains(res.stdout, "Exit codes:") || !strings.Contains(res.stdout, "configs put") {
			t.Errorf("crmflow %q: exit %d, stdout %q", args, res.code, res.stdout)
		}
	}
	// -h on every command, and help <command>: usage on stdout, exit 0, no API call.
	for _, c := range commands {
		for _, args := range [][]string{append(strings.Fields(c.name), "-h"), append([]string{"help"}, strings.Fields(c.name)...)} {
			res := run(t, "", nil, args...)
			if res.code != ExitOK || !strings.Contains(res.stdout, "usage: crmflow "+c.name) || !strings.Contains(res.stdout, "-json") {
				t.Errorf("crmflow %q: exit %d, stdout %q, stderr %q", args, res.code, res.stdout, res.stderr)
			}
		}
	}
	res := run(t, "", nil, "configs", "-h")
	if res.code != ExitOK || !strings.Contains(res.stdout, "crmflow configs test <configurationId>") {
		t.Errorf("configs -h: exit %d, stdout %q", res.code, res.stdout)
	}
}

func TestCommands(t *testing.T) {
	api := newFakeAPI(t)
	api.answer("POST /v1/tenants", 201, `{"tenantId":"tn_1","name":"Acme","created":"2026-11-23T10:00:00Z"}`, func(r *http.Request, b []byte) {
		if string(b) != `{"name":"Acme"}` || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("POST /v1/tenants body %s, content type %q", b, r.Header.Get("Content-Type"))
		}
	})
	api.answer("POST /v1/tenants/tn_1/keys", 201, `{"keyId":"key_1","key":"cfk_newnewnewnewnewnewnewnew","tenantId":"tn_1","role":"studio"}`, func(_ *http.Request, b []byte) {
		if string(b) != `{"role":"studio"}` {
			t.Errorf("keys create body %s", b)
		}
	})
	api.answer("GET /v1/tenants/tn_1/keys", 200, `{"keys":[{"keyId":"key_1","role":"studio","created":"2026-11-23T10:00:00Z"}]}`, nil)
	api.answer("DELETE /v1/tenants/tn_1/keys/key_1", 204, ``, nil)
	api.answer("GET /v1/configurations", 200, `{"configurations":[{"configurationId":"sf-main","name":"Salesforce","crm":"salesforce","baseUrl":"https://acme.my.salesforce.com","auth":{"type":"oauth2_client_credentials"},"credentials":{"clientSecret":"set"},"updated":"2026-11-23T10:00:00Z"}]}`, nil)
	api.answer("GET /v1/configurations/sf-main", 200, `{"configurationId":"sf-main","crm":"salesforce","auth":{"type":"oauth2_client_credentials","clientId":"abc"},"credentials":{"clientSecret":"set"},"timeoutMs":4000}`, nil)
	putBody := `{"name": "Salesforce", "crm": "salesforce", "credentials": {"clientSecret": "s3cret-value"}}`
	api.answer("PUT /v1/configurations/sf-main", 201, `{"configurationId":"sf-main","crm":"salesforce","credentials":{"clientSecret":"set"}}`, func(_ *http.Request, b []byte) {
		if string(b) != putBody {
			t.Errorf("configs put sent %s, want the file as it is", b)
		}
	})
	api.answer("DELETE /v1/configurations/sf-main", 204, ``, nil)
	api.answer("POST /v1/configurations/sf-main/test", 200, `{"configurationId":"sf-main","ok":true,"checks":[{"name":"authenticate","ok":true},{"name":"read Contact","ok":true,"message":"1 record"}]}`, nil)
	api.answer("POST /v1/configurations/sf-bad/test", 200, `{"configurationId":"sf-bad","ok":false,"checks":[{"name":"authenticate","ok":false,"message":"invalid_client\nbad secret"}]}`, nil)
	api.answer("GET /v1/configurations/sf-main/workflows", 200, `{"workflows":[{"workflowId":"search_phone","action":"search","name":"Search for ANI"},{"workflowId":"create_case","action":"create","name":"Create Case","entity":"Case"}]}`, nil)
	api.answer("GET /v1/configurations/sf-main/data-mappings", 200, `{"dataMappings":[{"dataMappingId":"call-summary","entity":"Task","mode":"create","fields":[{"target":"Subject"},{"target":"Description"}],"updated":"2026-11-23T10:00:00Z"}]}`, nil)
	api.answer("GET /v1/configurations/sf-main/dynamic-data-mappings", 200, `{"dynamicDataMappings":[{"dynamicDataMappingId":"card","entities":[{"entity":"Contact"},{"entity":"Lead"}]}]}`, nil)
	api.answer("PUT /v1/configurations/sf-main/data-mappings/call-summary", 200, `{"dataMappingId":"call-summary","entity":"Task"}`, nil)
	api.answer("POST /v1/workflows/search", 200, `{"contactId":"5001234","matchCount":1,"records":[{"entity":"Contact","id":"003A","display":"Jane Doe","url":"https://x/003A","related":[{"entity":"Case","id":"500B","display":"Printer on fire"}]}],"screenPopUrl":"https://x/003A"}`, func(_ *http.Request, b []byte) {
		want := `{"configurationId":"sf-main","contactId":"5001234","workflowId":"search_phone","workflowInput":{"phoneNumber":"+1 (415) 555-0100"}}`
		if string(b) != want {
			t.Errorf("search sent %s, want %s", b, want)
		}
	})
	api.answer("POST /v1/jobs/job_1/retry", 202, `{"jobId":"job_1","status":"queued","attempts":5}`, nil)
	api.answer("GET /v1/jobs/job_1", 200, `{"jobId":"job_1","status":"failed","attempts":5,"lastError":"salesforce: 400","crmRecordIds":[]}`, nil)
	mapping := writeFile(t, "m.json", `{"entity": "Task", "fields": [{"target": "Subject", "template": "Call"}]}`)
	config := writeFile(t, "c.json", putBody)

	tests := []struct {
		args   []string
		stdout []string // each must appear
		code   int
	}{
		{[]string{"tenants", "create", "--name", "Acme"}, []string{"TENANT ID", "tn_1", "Acme"}, 0},
		{[]string{"keys", "create", "--tenant", "tn_1", "--role", "studio"}, []string{"key_1", "cfk_newnewnewnewnewnewnewnew"}, 0},
		{[]string{"keys", "list", "--tenant", "tn_1"}, []string{"KEY ID", "key_1", "studio"}, 0},
		{[]string{"keys", "delete", "key_1", "--tenant", "tn_1"}, []string{"deleted key key_1 of tenant tn_1"}, 0},
		{[]string{"configs", "list"}, []string{"CONFIGURATION ID", "sf-main", "salesforce", "https://acme.my.salesforce.com", "oauth2_client_credentials"}, 0},
		{[]string{"configs", "get", "sf-main"}, []string{"auth.clientId", "abc", "credentials.clientSecret", "set", "timeoutMs"}, 0},
		{[]string{"configs", "put", "sf-main", "-f", config}, []string{"created configuration sf-main", "credentials.clientSecret"}, 0},
		{[]string{"configs", "delete", "sf-main"}, []string{"deleted configuration sf-main"}, 0},
		{[]string{"configs", "test", "sf-main"}, []string{"authenticate", "ok", "read Contact", "all 2 checks passed"}, 0},
		{[]string{"configs", "test", "sf-bad"}, []string{"FAILED", "invalid_client bad secret"}, ExitError},
		{[]string{"workflows", "list", "--config", "sf-main"}, []string{"search_phone", "Search for ANI", "create_case", "Case"}, 0},
		{[]string{"workflows", "list", "sf-main"}, []string{"search_phone"}, 0},
		{[]string{"mappings", "list", "--config", "sf-main"}, []string{"call-summary", "Task", "Subject, Description"}, 0},
		{[]string{"mappings", "list", "--config", "sf-main", "--dynamic"}, []string{"DYNAMIC DATA MAPPING ID", "card", "Contact, Lead"}, 0},
		{[]string{"mappings", "put", "--config", "sf-main", "call-summary", "-f", mapping}, []string{"saved dataMappingId call-summary"}, 0},
		{[]string{"search", "--config", "sf-main", "--contact", "5001234", "--phone", "+1 (415) 555-0100"},
			[]string{"1 match(es) for contact 5001234", "Jane Doe", "└ Case", "Printer on fire", "screen pop: https://x/003A"}, 0},
		{[]string{"retry", "job_1"}, []string{"job job_1 is queued again (attempts so far: 5)"}, 0},
		{[]string{"jobs", "retry", "job_1"}, []string{"job job_1 is queued again"}, 0},
		{[]string{"jobs", "get", "job_1"}, []string{"status", "failed", "lastError", "salesforce: 400"}, 0},
		// Flags before the command, and after the arguments.
		{[]string{"--json", "jobs", "get", "job_1"}, []string{`"status": "failed"`}, 0},
		{[]string{"jobs", "get", "job_1", "--json"}, []string{`"lastError": "salesforce: 400"`}, 0},
	}
	for _, tc := range tests {
		res := run(t, api.URL, nil, tc.args...)
		if res.code != tc.code {
			t.Errorf("crmflow %q: exit %d, want %d; stderr %q", tc.args, res.code, tc.code, res.stderr)
		}
		for _, want := range tc.stdout {
			if !strings.Contains(res.stdout, want) {
				t.Errorf("crmflow %q: stdout lacks %q:\n%s", tc.args, want, res.stdout)
			}
		}
		if strings.Contains(res.stdout+res.stderr, testKey) || strings.Contains(res.stdout+res.stderr, "s3cret-value") {
			t.Errorf("crmflow %q printed a secret:\n%s%s", tc.args, res.stdout, res.stderr)
		}
	}
}

func TestJSONOutputIsTheAPIs(t *testing.T) {
	api := newFakeAPI(t)
	body := `{"configurations":[{"configurationId":"sf-main","zeta":1,"alpha":{"n":1.50}}]}`
	api.answer("GET /v1/configurations", 200, body, nil)
	res := run(t, api.URL, nil, "configs", "list", "--json")
	var want bytes.Buffer
	json.Indent(&want, []byte(body), "", "  ")
	if res.code != 0 || res.stdout != want.String()+"\n" {
		t.Errorf("--json: exit %d, stdout\n%s\nwant the API's body indented, order and numbers kept:\n%s", res.code, res.stdout, want.String())
	}
	res = run(t, api.URL+"/", nil, "configs", "delete", "x", "--json")
	if res.code != ExitNotFound {
		t.Errorf("trailing slash URL: exit %d: %s", res.code, res.stderr)
	}
}

func TestAPIErrors(t *testing.T) {
	api := newFakeAPI(t)
	invalid := `{"error":{"code":"INVALID_ARGUMENT","message":"workflowInput.phoneNumber: needs at least 7 digits","field":"workflowInput.phoneNumber"},"requestId":"req-1"}`
	api.answer("POST /v1/workflows/search", 400, invalid, nil)
	api.answer("GET /v1/configurations/nope", 404, `{"error":{"code":"NOT_FOUND","message":"no such configuration","field":"configurationId"},"requestId":"req-2"}`, nil)
	api.answer("GET /v1/configurations", 403, `{"error":{"code":"PERMISSION_DENIED","message":"this key's role may not do this"},"requestId":"req-3"}`, nil)
	api.answer("POST /v1/configurations/sf-main/test", 422, `{"error":{"code":"CRM_INVALID_ARGUMENT","message":"the CRM refused the request","crmError":{"status":400,"code":"REQUIRED_FIELD_MISSING","message":"Subject missing"}},"requestId":"req-4"}`, nil)
	api.mux.HandleFunc("GET /v1/jobs/job_1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(429)
		io.WriteString(w, `{"error":{"code":"TENANT_RATE_LIMITED","message":"this tenant's request rate limit was reached"},"requestId":"req-5"}`)
	})
	api.mux.HandleFunc("GET /v1/jobs/job_2", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		io.WriteString(w, "<html>Bad Gateway</html>")
	})
	api.answer("DELETE /v1/configurations/busy", 409, `{"error":{"code":"ALREADY_EXISTS","message":"the job succeeded; it is never written twice","field":"jobId"},"requestId":"req-6"}`, nil)

	tests := []struct {
		env    map[string]string
		args   []string
		code   int
		stderr []string
	}{
		{nil, []string{"search", "--config", "sf", "--phone", "12"}, ExitError,
			[]string{"crmflow: INVALID_ARGUMENT: workflowInput.phoneNumber: needs at least 7 digits", "field:       workflowInput.phoneNumber", "status:      400 (POST /v1/workflows/search)", "request id:  req-1"}},
		{nil, []string{"configs", "get", "nope"}, ExitNotFound, []string{"NOT_FOUND: no such configuration", "field:       configurationId"}},
		{nil, []string{"configs", "list"}, ExitDenied, []string{"PERMISSION_DENIED"}},
		{map[string]string{EnvKey: "cfk_wrongwrongwrongwrongwrong"}, []string{"configs", "list"}, ExitDenied, []string{"UNAUTHENTICATED: Unauthorized", "status:      401"}},
		{nil, []string{"configs", "test", "sf-main"}, ExitError, []string{"CRM_INVALID_ARGUMENT", "crm error:   400 REQUIRED_FIELD_MISSING Subject missing"}},
		{nil, []string{"jobs", "get", "job_1"}, ExitError, []string{"TENANT_RATE_LIMITED", "retry after: 3 s"}},
		{nil, []string{"jobs", "get", "job_2"}, ExitError, []string{"HTTP_502: <html>Bad Gateway</html>"}},
		{nil, []string{"configs", "delete", "busy"}, ExitError, []string{"ALREADY_EXISTS", "never written twice"}},
		{nil, []string{"configs", "get", "nothing-routed-here"}, ExitNotFound, []string{"NOT_FOUND"}},
	}
	for _, tc := range tests {
		res := run(t, api.URL, tc.env, tc.args...)
		if res.code != tc.code {
			t.Errorf("crmflow %q: exit %d, want %d; stderr %q", tc.args, res.code, tc.code, res.stderr)
		}
		for _, want := range tc.stderr {
			if !strings.Contains(res.stderr, want) {
				t.Errorf("crmflow %q: stderr lacks %q:\n%s", tc.args, want, res.stderr)
			}
		}
		if res.stdout != "" {
			t.Errorf("crmflow %q: stdout %q on an error without --json", tc.args, res.stdout)
		}
		if strings.Contains(res.stderr, testKey) {
			t.Errorf("crmflow %q: stderr shows the key", tc.args)
		}
	}

	// --json: the API's error body on stdout as well, for scripts.
	res := run(t, api.URL, nil, "--json", "search", "--config", "sf", "--phone", "12")
	var body struct {
		Error struct{ Code, Field string }
	}
	if res.code != ExitError || json.Unmarshal([]byte(res.stdout), &body) != nil || body.Error.Code != "INVALID_ARGUMENT" || body.Error.Field != "workflowInput.phoneNumber" {
		t.Errorf("--json error: exit %d, stdout %q", res.code, res.stdout)
	}

	// The network failing: exit 1, the URL named, the key not.
	api.Close()
	res = run(t, api.URL, nil, "configs", "list")
	if res.code != ExitError || !strings.Contains(res.stderr, "GET /v1/configurations") || strings.Contains(res.stderr, testKey) {
		t.Errorf("server gone: exit %d, stderr %q", res.code, res.stderr)
	}
}

func TestPathsAreEscaped(t *testing.T) {
	api := newFakeAPI(t)
	api.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != "/v1/configurations/a%2Fb%3Fc/workflows" {
			t.Errorf("path %q", r.URL.EscapedPath())
		}
		io.WriteString(w, `{"workflows":[]}`)
	})
	if res := run(t, api.URL, nil, "workflows", "list", "--config", "a/b?c"); res.code != 0 {
		t.Errorf("exit %d: %s", res.code, res.stderr)
	}
}

func TestReadsStdin(t *testing.T) {
	api := newFakeAPI(t)
	api.answer("PUT /v1/configurations/sf-main", 200, `{"configurationId":"sf-main"}`, func(_ *http.Request, b []byte) {
		if string(b) != `{"name":"x"}` {
			t.Errorf("sent %s", b)
		}
	})
	res := run(t, api.URL, map[string]string{"stdin": `{"name":"x"}` + "\n"}, "configs", "put", "sf-main", "-f", "-")
	if res.code != 0 || !strings.Contains(res.stdout, "replaced configuration sf-main") {
		t.Errorf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	api := newFakeAPI(t)
	api.answer("GET /v1/tenants/tn_env/keys", 200, `{"keys":[]}`, nil)
	// --url and --key override the environment; CRMFLOW_TENANT stands in for --tenant.
	res := run(t, "https://unused.example.com", map[string]string{EnvKey: "cfk_otherotherotherotherother", EnvTenant: "tn_env"},
		"--url", api.URL, "keys", "list", "--key", testKey)
	if res.code != 0 || !strings.Contains(res.stdout, "KEY ID") {
		t.Errorf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
}
