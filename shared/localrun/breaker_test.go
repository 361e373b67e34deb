package localrun_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/localrun"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/sandbox"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/throttle"
	"github.com/crmflow/crmflow/shared/workflow"
)

// fakeClock drives the breaker's cool-down and the throttle's refill, so
// these tests wait for nothing.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newGuardedEnv is newEnv with the breaker and the per-tenant throttle
// shaped by the test.
func newGuardedEnv(t *testing.T, b breaker.Options, limit *throttle.Limiter) *env {
	t.Helper()
	logs := &bytes.Buffer{}
	prev := slog.Default()
	slog.SetDefault(logx.New(logs, "local"))
	t.Cleanup(func() { slog.SetDefault(prev) })

	st, sec := memory.New(), memsecrets.New()
	reg := drivers.Registry()
	adm := &admin.Service{Store: st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/test/", Local: true}
	wf := workflow.New(workflow.Options{Store: st, Secrets: sec, Registry: reg, HTTP: &http.Client{}, CacheTTL: time.Minute, Breaker: b})
	key, _ := ids.NewKey()
	if _, err := adm.BootstrapPlatformKey(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(localrun.Gateway(localrun.Services{Admin: adm, Workflow: wf, Keys: st, Throttle: limit}, nil))
	t.Cleanup(gw.Close)
	sf := sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfClientSecret})
	sfs := httptest.NewServer(sf.Handler())
	t.Cleanup(sfs.Close)
	return &env{t: t, url: gw.URL, platform: key, store: st, secrets: sec, sf: sf, sfURL: sfs.URL, logs: logs}
}

// TestCircuitBreaker: after repeated CRM failures Studio gets 503
// CRM_CIRCUIT_OPEN with Retry-After at once, without the CRM being called;
// after the cool-down one probe goes through and its success closes the
// breaker. The breaker is per configuration: another tenant's configuration
// of the same CRM still calls it.
func TestCircuitBreaker(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	e := newGuardedEnv(t, breaker.Options{Failures: 3, CoolDown: 20 * time.Second, Now: clk.Now}, nil)
	acme, beta := e.newTenant("Acme"), e.newTenant("Beta")
	search := exec("search_phone", map[string]any{"phoneNumber": "+14155550100"})
	e.must(200, e.do("POST", "/v1/workflows/search", acme.studio, search))
	e.must(200, e.do("POST", "/v1/workflows/search", beta.studio, search))

	e.sf.Inject(sandbox.Fault{Match: "/services/data/", Status: 503, Body: `upstream down`})
	for range 3 {
		r := e.must(502, e.do("POST", "/v1/workflows/search", acme.studio, search))
		if r.errorCode() != "CRM_UNAVAILABLE" {
			t.Fatalf("code %q, want CRM_UNAVAILABLE: %s", r.errorCode(), r.Raw)
		}
	}

	calls := e.sf.TotalCalls()
	r := e.must(503, e.do("POST", "/v1/workflows/search", acme.studio, search))
	if r.errorCode() != "CRM_CIRCUIT_OPEN" || r.Header.Get("Retry-After") != "20" || r.Body["requestId"] == "" {
		t.Fatalf("open breaker: code %q, Retry-After %q: %s", r.errorCode(), r.Header.Get("Retry-After"), r.Raw)
	}
	e.must(503, e.do("POST", "/v1/workflows/create", acme.studio,
		exec("create_case", map[string]any{"entity": "Case", "fields": map[string]any{"Subject": "Printer"}})))
	if n := e.sf.TotalCalls(); n != calls {
		t.Errorf("%d CRM calls while the breaker is open, want none", n-calls)
	}
	clk.Advance(15 * time.Second)
	if r := e.must(503, e.do("POST", "/v1/workflows/search", acme.studio, search)); r.Header.Get("Retry-After") != "5" {
		t.Errorf("Retry-After %q, want the rest of the cool-down (5)", r.Header.Get("Retry-After"))
	}
	// Another tenant's configuration has a breaker of its own.
	if r := e.do("POST", "/v1/workflows/search", beta.studio, search); r.errorCode() != "CRM_UNAVAILABLE" {
		t.Errorf("other configuration: %d %s, want the CRM's own failure", r.Status, r.Raw)
	}

	// Cool-down over, CRM still down: the probe fails and the breaker opens again.
	clk.Advance(5 * time.Second)
	e.must(502, e.do("POST", "/v1/workflows/search", acme.studio, search))
	if r := e.must(503, e.do("POST", "/v1/workflows/search", acme.studio, search)); r.Header.Get("Retry-After") != "20" {
		t.Errorf("after a failed probe Retry-After %q, want 20", r.Header.Get("Retry-After"))
	}

	// CRM back, cool-down over: the probe succeeds and closes it.
	e.sf.ClearFaults()
	clk.Advance(20 * time.Second)
	e.must(200, e.do("POST", "/v1/workflows/search", acme.studio, search))
	e.must(200, e.do("POST", "/v1/workflows/search", acme.studio, search))

	for _, want := range []string{`"to":"open"`, `"to":"half-open"`, `"to":"closed"`} {
		if !strings.Contains(e.logs.String(), want) {
			t.Errorf("logs lack the breaker change %s", want)
		}
	}
}

// TestCRMRefusalsDoNotOpenTheBreaker: a CRM that refuses requests is up;
// only failures to answer count.
func TestCRMRefusalsDoNotOpenTheBreaker(t *testing.T) {
	e := newGuardedEnv(t, breaker.Options{Failures: 2, CoolDown: time.Minute}, nil)
	tn := e.newTenant("Acme")
	search := exec("search_phone", map[string]any{"phoneNumber": "+14155550100"})
	e.sf.Inject(sandbox.Fault{Match: "/services/data/", Status: 403,
		Body: `[{"message":"Insufficient access","errorCode":"INSUFFICIENT_ACCESS"}]`})
	for range 4 {
		e.must(422, e.do("POST", "/v1/workflows/search", tn.studio, search))
	}
	e.sf.ClearFaults()
	e.must(200, e.do("POST", "/v1/workflows/search", tn.studio, search))
}

// TestTenantThrottle: a tenant over its Studio rate gets 429
// TENANT_RATE_LIMITED with Retry-After while another tenant is served; the
// tenant's bucket refills at its rate.
func TestTenantThrottle(t *testing.T) {
	clk := &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	e := newGuardedEnv(t, breaker.Options{}, throttle.New(throttle.Options{Rate: 0.5, Burst: 3, Now: clk.Now}))
	noisy, quiet := e.newTenant("Noisy"), e.newTenant("Quiet")
	search := exec("search_phone", map[string]any{"phoneNumber": "+14155550100"})

	// The burst spans the Studio routes of the tenant.
	e.must(200, e.do("POST", "/v1/workflows/search", noisy.studio, search))
	e.must(200, e.do("POST", "/v1/workflows/search", noisy.studio, search))
	e.must(201, e.do("POST", "/v1/workflows/create", noisy.studio,
		exec("create_case", map[string]any{"entity": "Case", "fields": map[string]any{"Subject": "Printer"}})))
	calls := e.sf.TotalCalls()
	for range 5 {
		r := e.must(429, e.do("POST", "/v1/workflows/search", noisy.studio, search))
		if r.errorCode() != "TENANT_RATE_LIMITED" || r.Header.Get("Retry-After") != "2" || r.Body["requestId"] == "" {
			t.Fatalf("over the limit: code %q, Retry-After %q: %s", r.errorCode(), r.Header.Get("Retry-After"), r.Raw)
		}
	}
	if n := e.sf.TotalCalls(); n != calls {
		t.Errorf("%d CRM calls for throttled requests, want none", n-calls)
	}
	// The other tenant, and the noisy tenant's other roles, are served.
	for range 3 {
		e.must(200, e.do("POST", "/v1/workflows/search", quiet.studio, search))
	}
	e.must(200, e.do("GET", "/v1/configurations/sf-main", noisy.admin, nil))
	e.must(200, e.do("GET", "/v1/contacts/5001234/card", noisy.agent, nil))
	// A bad key is refused as such, not throttled.
	if r := e.do("POST", "/v1/workflows/search", "not-a-key", search); r.Status != 401 && r.Status != 403 {
		t.Errorf("bad key: %d %s", r.Status, r.Raw)
	}

	clk.Advance(2 * time.Second)
	e.must(200, e.do("POST", "/v1/workflows/search", noisy.studio, search))
	e.must(429, e.do("POST", "/v1/workflows/search", noisy.studio, search))
}
