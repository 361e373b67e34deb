package dynamics

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

var janeByEmail = crm.EmailSearch{Email: crmtest.JaneEmail, Limit: 1}

func TestTokenRequestAndDefaultScope(t *testing.T) {
	// No auth.scope: the sandbox only accepts {its own address}/.default.
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	if _, err := c.SearchByEmail(ctx(t), janeByEmail); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SearchByEmail(ctx(t), janeByEmail); err != nil {
		t.Fatal(err)
	}
	if sb.TokenRequests() != 1 {
		t.Fatalf("token requests = %d, want 1 (cached)", sb.TokenRequests())
	}
}

func TestTokenLifetimeRespected(t *testing.T) {
	// expires_in shorter than the cache's renewal margin: every call needs a new token.
	c, sb := startSandbox(t, nil, dvsandbox.Options{TokenLifetime: 20 * time.Second})
	for range 3 {
		if _, err := c.SearchByEmail(ctx(t), janeByEmail); err != nil {
			t.Fatal(err)
		}
	}
	if sb.TokenRequests() != 3 {
		t.Fatalf("token requests = %d, want 3", sb.TokenRequests())
	}
}

func TestEntraRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(*crm.Config)
		status  int
		crmCode string
		aadsts  string
	}{
		{"wrong secret", func(c *crm.Config) { c.Credentials.ClientSecret = "nope" }, 401, "invalid_client", "AADSTS7000215:"},
		{"unknown client", func(c *crm.Config) { c.Auth.ClientID = "someone-else" }, 400, "unauthorized_client", "AADSTS700016:"},
		{"unknown tenant", func(c *crm.Config) {
			c.Auth.TokenURL = strings.Replace(c.Auth.TokenURL, testTenant, "fabrikam.onmicrosoft.com", 1)
		}, 400, "invalid_request", "AADSTS90002:"},
		{"scope without .default", func(c *crm.Config) { c.Auth.Scope = c.BaseURL + "/user_impersonation" }, 400, "invalid_scope", "AADSTS1002012:"},
		{"other resource", func(c *crm.Config) { c.Auth.Scope = "https://fabrikam.crm.dynamics.com/.default" }, 400, "invalid_resource", "AADSTS500011:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, sb := startSandbox(t, nil, dvsandbox.Options{}, tc.edit)
			_, err := c.SearchByEmail(ctx(t), janeByEmail)
			e := wantCode(t, err, crm.Unauthenticated)
			if e.Status != tc.status || e.CRMCode != tc.crmCode || !strings.HasPrefix(e.Message, tc.aadsts) || e.Retryable {
				t.Fatalf("%+v", e)
			}
			if strings.Contains(e.Message, "Trace ID") || strings.Contains(err.Error(), testClientSecret) {
				t.Fatalf("message carries trace ids or the secret: %q", err.Error())
			}
			if sb.TotalCalls() != 1 {
				t.Fatalf("calls = %d: the Web API must not be tried without a token", sb.TotalCalls())
			}
		})
	}
}

// refusingEnv issues tok-1, tok-2, … and accepts on the Web API only tokens
// for which accept says yes, answering 401 the way Dataverse does.
func refusingEnv(t *testing.T, accept func(token string) bool) (*connector, *atomic.Int32, *atomic.Int32) {
	t.Helper()
	var tokens, api atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tenant/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"tok-%d"}`, tokens.Add(1))
	})
	mux.HandleFunc("/api/data/", func(w http.ResponseWriter, r *http.Request) {
		api.Add(1)
		if !accept(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")) {
			w.Header().Set("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/tenant/oauth2/authorize")
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"value":[]}`))
	})
	return fakeEnv(t, mux), &tokens, &api
}

func TestRefreshOnceOn401(t *testing.T) {
	c, tokens, api := refusingEnv(t, func(tok string) bool { return tok == "tok-2" })
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Entities: []crm.EntitySpec{{Entity: "contact"}}}); err != nil {
		t.Fatal(err)
	}
	if tokens.Load() != 2 || api.Load() != 2 {
		t.Fatalf("tokens=%d api=%d, want 2 and 2", tokens.Load(), api.Load())
	}
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Entities: []crm.EntitySpec{{Entity: "contact"}}}); err != nil || tokens.Load() != 2 {
		t.Fatalf("err=%v tokens=%d: the fresh token must be kept", err, tokens.Load())
	}
}

func TestSecond401IsUnauthenticated(t *testing.T) {
	c, tokens, api := refusingEnv(t, func(string) bool { return false })
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Entities: []crm.EntitySpec{{Entity: "contact"}}})
	e := wantCode(t, err, crm.Unauthenticated)
	if e.Status != 401 || e.Retryable || tokens.Load() != 2 || api.Load() != 2 {
		t.Fatalf("%+v tokens=%d api=%d", e, tokens.Load(), api.Load())
	}
}

func TestExpiredTokensRefreshOnceForConcurrentCalls(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	if _, err := c.SearchByEmail(ctx(t), janeByEmail); err != nil {
		t.Fatal(err)
	}
	sb.ExpireTokens()
	errs := make(chan error, 10)
	for range 10 {
		go func() {
			_, err := c.SearchByEmail(ctx(t), janeByEmail)
			errs <- err
		}()
	}
	for range 10 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if sb.TokenRequests() != 2 {
		t.Fatalf("token requests = %d, want 2: concurrent 401s on the same token refresh once", sb.TokenRequests())
	}
}
