package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/scripts/crmflow/cli"
	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/redrive"
	sbtable "github.com/crmflow/crmflow/shared/sandbox/sandboxes"
)

// cliPlatformKey is the platform key startDev bootstraps.
const cliPlatformKey = "cfk_localrunlocalrunlocalrun"

type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command line against the local run with key, as an
// operator does with CRMFLOW_URL and CRMFLOW_KEY set.
func runCLI(t *testing.T, base, key string, args ...string) cliResult {
	t.Helper()
	vars := map[string]string{cli.EnvURL: base, cli.EnvKey: key}
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), cli.Env{Args: args, Getenv: func(k string) string { return vars[k] },
		Stdout: &out, Stderr: &errOut})
	return cliResult{code, out.String(), errOut.String()}
}

// cliOK runs a command that must succeed and returns its stdout.
func cliOK(t *testing.T, base, key string, args ...string) string {
	t.Helper()
	res := runCLI(t, base, key, args...)
	if res.code != cli.ExitOK {
		t.Fatalf("crmflow %q: exit %d\nstdout: %s\nstderr: %s", args, res.code, res.stdout, res.stderr)
	}
	return res.stdout
}

func cliJSON(t *testing.T, base, key string, out any, args ...string) {
	t.Helper()
	raw := cliOK(t, base, key, append([]string{"--json"}, args...)...)
	if err := json.Unmarshal([]byte(raw), out); err != nil {
		t.Fatalf("crmflow %q --json: %v: %s", args, err, raw)
	}
}

// TestCommandLine drives the operator's command line against ./scripts/dev's
// server, as the README's "Command line" walk-through does: a tenant and its
// keys, a Salesforce configuration from a file, its test, a mapping, a
// Studio search, a post-call job listed and refused a second write, a
// redrive, and the errors an operator meets.
func TestCommandLine(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip(`moto_server not found: pip install "moto[server]"`)
	}
	srv := startDev(t)
	base := srv.base
	c := client{t: t, base: base}

	// 1. A tenant and its keys.
	var tenant struct{ TenantID string }
	cliJSON(t, base, cliPlatformKey, &tenant, "tenants", "create", "--name", "Acme (cli)")
	keys := map[string]string{}
	for _, role := range []string{"admin", "studio", "agent"} {
		issuer := cliPlatformKey
		if role != "admin" {
			issuer = keys["admin"]
		}
		var k struct{ KeyID, Key string }
		cliJSON(t, base, issuer, &k, "keys", "create", "--tenant", tenant.TenantID, "--role", role)
		keys[role], keys[role+"-id"] = k.Key, k.KeyID
	}
	admin, studio, agent := keys["admin"], keys["studio"], keys["agent"]
	if out := cliOK(t, base, admin, "keys", "list", "--tenant", tenant.TenantID); !strings.Contains(out, keys["studio-id"]) || strings.Contains(out, studio) {
		t.Errorf("keys list: %s", out)
	}
	// The table form prints the new key once; nothing else ever shows one.
	res := runCLI(t, base, admin, "keys", "create", "--tenant", tenant.TenantID, "--role", "studio")
	if res.code != 0 || !strings.Contains(res.stdout, "cfk_") || !strings.Contains(res.stderr, "shown this once") {
		t.Errorf("keys create: %+v", res)
	}

	// 2. A Salesforce configuration from a file: the demo's sandbox, this tenant's own configuration.
	var demo struct {
		BaseURL    string          `json:"baseUrl"`
		APIVersion string          `json:"apiVersion"`
		Auth       json.RawMessage `json:"auth"`
	}
	cliJSON(t, base, srv.admin, &demo, "configs", "get", "salesforce-demo")
	file := filepath.Join(t.TempDir(), "sf-main.json")
	cfg, _ := json.Marshal(map[string]any{"name": "Salesforce sandbox", "crm": "salesforce", "baseUrl": demo.BaseURL,
		"apiVersion": demo.APIVersion, "auth": demo.Auth, "credentials": map[string]string{"clientSecret": sbtable.DemoClientSecret}})
	if err := os.WriteFile(file, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := cliOK(t, base, admin, "configs", "put", "sf-main", "-f", file); !strings.Contains(out, "created configuration sf-main") ||
		strings.Contains(out, sbtable.DemoClientSecret) {
		t.Errorf("configs put: %s", out)
	}
	if out := cliOK(t, base, admin, "configs", "put", "sf-main", "-f", file); !strings.Contains(out, "replaced configuration sf-main") {
		t.Errorf("configs put again: %s", out)
	}
	if out := cliOK(t, base, admin, "configs", "list"); !strings.Contains(out, "sf-main") || !strings.Contains(out, demo.BaseURL) {
		t.Errorf("configs list: %s", out)
	}
	if out := cliOK(t, base, admin, "configs", "get", "sf-main"); !strings.Contains(out, "credentials.clientSecret") || strings.Contains(out, sbtable.DemoClientSecret) {
		t.Errorf("configs get: %s", out)
	}
	if out := cliOK(t, base, admin, "workflows", "list", "--config", "sf-main"); !strings.Contains(out, "search_phone") || !strings.Contains(out, "timeline_activity") {
		t.Errorf("workflows list: %s", out)
	}

	// 3. A mapping, then the configuration's test (which checks the mapping against the CRM).
	mapping := filepath.Join(t.TempDir(), "call-summary.json")
	os.WriteFile(mapping, []byte(`{"entity": "Task", "mode": "create", "fields": [
		{"target": "Subject", "template": "Call about {{dispositionName}}"},
		{"target": "Description", "source": "dispositionNotes"}]}`), 0o600)
	cliOK(t, base, admin, "mappings", "put", "--config", "sf-main", "call-summary", "-f", mapping)
	if out := cliOK(t, base, admin, "mappings", "list", "--config", "sf-main"); !strings.Contains(out, "call-summary") || !strings.Contains(out, "Subject, Description") {
		t.Errorf("mappings list: %s", out)
	}
	if out := cliOK(t, base, admin, "configs", "test", "sf-main"); !strings.Contains(out, "checks passed") {
		t.Errorf("configs test: %s", out)
	}

	// 4. A Studio search from the terminal.
	out := cliOK(t, base, studio, "search", "--config", "sf-main", "--contact", "cli-5001234", "--phone", "+1 (415) 555-0100")
	if !strings.Contains(out, "1 match(es)") || !strings.Contains(out, "Jane Doe") || !strings.Contains(out, "Printer on fire") || !strings.Contains(out, "screen pop:") {
		t.Errorf("search: %s", out)
	}

	// 5. A post-call job (pinned by the agent, queued by Studio), followed and listed from the terminal.
	var card struct {
		Related []struct{ Entity, ID string } `json:"related"`
	}
	c.call(agent, "GET", "/v1/contacts/cli-5001234/card", nil, 200, &card)
	c.call(agent, "PUT", "/v1/contacts/cli-5001234/pins/Contact/"+card.Related[0].ID, nil, 200, nil)
	var q struct {
		Jobs []struct{ JobID string } `json:"jobs"`
	}
	c.call(studio, "POST", "/v1/workflows/timeline", map[string]any{"configurationId": "sf-main", "workflowId": "timeline_activity",
		"contactId": "cli-5001234", "cxoneContact": map[string]any{"mediaType": "voice", "direction": "inbound", "agentName": "Ann Agent",
			"startTime": "2026-11-23T10:00:00Z", "endTime": "2026-11-23T10:04:05Z", "dispositionName": "Resolved"}}, 202, &q)
	jobID := q.Jobs[0].JobID
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var job struct{ Status, LastError string }
		cliJSON(t, base, studio, &job, "jobs", "get", jobID)
		if job.Status == "succeeded" {
			break
		}
		if job.Status == "failed" || job.Status == "deadlettered" || time.Now().After(deadline) {
			t.Fatalf("job %s: %+v", jobID, job)
		}
	}
	if out := cliOK(t, base, admin, "jobs", "list", "--status", "succeeded"); !strings.Contains(out, jobID) || !strings.Contains(out, "Task/") {
		t.Errorf("jobs list: %s", out)
	}
	// A succeeded job is never written twice: 409, exit 1, the API's words.
	if res := runCLI(t, base, studio, "retry", jobID); res.code != cli.ExitError || !strings.Contains(res.stderr, "never written twice") {
		t.Errorf("retry of a succeeded job: %+v", res)
	}

	// 6. Redrive (SQS directly, the local run's moto): a stray copy of the job's
	// message in the dead-letter queue goes back, and the job stays succeeded.
	ctx := context.Background()
	awsCfg, err := awsclient.Load(ctx) // ./scripts/dev's run set CRMFLOW_AWS_ENDPOINT to its moto_server
	if err != nil {
		t.Fatal(err)
	}
	dlq, _, err := redrive.Resolve(ctx, awsclient.SQS(awsCfg), redrive.Target{Name: timelineQueue})
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := json.Marshal(map[string]string{"tenantId": tenant.TenantID, "jobId": jobID})
	if _, err := queue.NewSQS(awsclient.SQS(awsCfg)).Send(ctx, dlq, string(msg), 0); err != nil {
		t.Fatal(err)
	}
	res = runCLI(t, "", "", "redrive", "--queue", "timeline", "--table", localTable)
	if res.code != 0 || !strings.Contains(res.stdout, "moved 1 message(s)") || !strings.Contains(res.stdout, "0 job(s) reset") ||
		!strings.Contains(res.stderr, "is succeeded; status left as it is") {
		t.Errorf("redrive: %+v", res)
	}
	time.Sleep(500 * time.Millisecond) // the consumer takes the message and finds the job done
	var job struct{ Status string }
	cliJSON(t, base, studio, &job, "jobs", "get", jobID)
	if job.Status != "succeeded" {
		t.Errorf("after the redrive the job is %s", job.Status)
	}

	// 7. The errors an operator meets, and their exit codes.
	for _, tc := range []struct {
		key    string
		args   []string
		code   int
		stderr string
	}{
		{admin, []string{"configs", "get", "nope"}, cli.ExitNotFound, "NOT_FOUND"},
		{agent, []string{"jobs", "get", jobID}, cli.ExitDenied, "PERMISSION_DENIED"}, // admin's and studio's route
		{studio, []string{"configs", "list"}, cli.ExitDenied, "PERMISSION_DENIED"},
		{studio, []string{"search", "--config", "sf-main", "--phone", "12"}, cli.ExitError, "field:       workflowInput.phoneNumber"},
		{admin, []string{"configs", "get", "salesforce-demo"}, cli.ExitNotFound, "NOT_FOUND"}, // another tenant's
	} {
		res := runCLI(t, base, tc.key, tc.args...)
		if res.code != tc.code || !strings.Contains(res.stderr, tc.stderr) {
			t.Errorf("crmflow %q: exit %d, stderr %q; want %d and %q", tc.args, res.code, res.stderr, tc.code, tc.stderr)
		}
	}
	// A deleted key stops working at once in the local run.
	cliOK(t, base, admin, "keys", "delete", "--tenant", tenant.TenantID, keys["agent-id"])
	if res := runCLI(t, base, agent, "jobs", "get", jobID); res.code != cli.ExitDenied || !strings.Contains(res.stderr, "UNAUTHENTICATED") {
		t.Errorf("deleted key: %+v", res)
	}
	cliOK(t, base, admin, "configs", "delete", "sf-main")
	if res := runCLI(t, base, admin, "configs", "test", "sf-main"); res.code != cli.ExitNotFound {
		t.Errorf("test of a deleted configuration: %+v", res)
	}
}
