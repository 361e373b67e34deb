package servicenow

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

func TestBasicAuth(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{}, useBasic)
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "JANE.DOE@example.com"})
	if err != nil || len(recs) != 1 {
		t.Fatalf("got %d records, %v", len(recs), err)
	}
	if sb.TokenRequests() != 0 {
		t.Fatalf("basic auth asked for %d tokens", sb.TokenRequests())
	}
}

func TestBasicAuthRefusedIsNotRetried(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{}, useBasic, func(cfg *crm.Config) { cfg.Credentials.Password = "wrong" })
	_, err := c.Get(ctx(t), crm.Ref{Entity: "sys_user", ID: janeID(t, sb)}, nil)
	e := wantCode(t, err, crm.Unauthenticated)
	if e.Status != 401 || !strings.Contains(e.Message, "User Not Authenticated") {
		t.Fatalf("got %+v", e)
	}
	if n := sb.CallsPrefix("GET /api/now/"); n != 1 {
		t.Fatalf("%d API calls, want 1 (no retry with the same credentials)", n)
	}
}

func TestClientCredentialsRefused(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{}, func(cfg *crm.Config) { cfg.Credentials.ClientSecret = "wrong" })
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	e := wantCode(t, err, crm.Unauthenticated)
	if e.Status != 401 || e.CRMCode != "server_error" || e.Message != "access_denied" {
		t.Fatalf("got %+v", e)
	}
	if sb.CallsPrefix("GET /api/now/") != 0 {
		t.Fatal("the API was called without a token")
	}
}

// TestRefreshOnceThenGiveUp: a token the instance keeps refusing is
// refreshed once; the second 401 is the answer.
func TestRefreshOnceThenGiveUp(t *testing.T) {
	tokens := 0
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth_token.do", func(w http.ResponseWriter, r *http.Request) {
		tokens++
		if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.FormValue("grant_type") != "client_credentials" {
			t.Errorf("token request: %s %v", r.Header.Get("Content-Type"), r.Form)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"tok","scope":"useraccount","token_type":"Bearer","expires_in":1799}`))
	})
	api := 0
	mux.HandleFunc("/api/now/", func(w http.ResponseWriter, r *http.Request) {
		api++
		if r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"}`))
	})
	c := crmtest.Connect(t, newConnector, crm.Config{BaseURL: crmtest.Serve(t, mux),
		Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id"}, Credentials: crm.Credentials{ClientSecret: "s"}}, nil)
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com"})
	wantCode(t, err, crm.Unauthenticated)
	if tokens != 2 || api != 2 {
		t.Fatalf("token requests %d, API calls %d; want 2 and 2", tokens, api)
	}
}

func TestTokenLifetimeFromExpiresIn(t *testing.T) {
	c, _ := startSandbox(t, nil, snsandbox.Options{TokenTTL: 600 * time.Second})
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return at }
	tok, err := c.fetchToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !tok.Expires.Equal(at.Add(600 * time.Second)) {
		t.Fatalf("expires %v, want %v", tok.Expires, at.Add(600*time.Second))
	}
}

func TestTokenWithoutBearerIsInternal(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth_token.do", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"access_token":"x","token_type":"MAC"}`))
	})
	c := fakeInstance(t, mux)
	c.tokenURL = c.origin + "/oauth_token.do"
	_, err := c.fetchToken(context.Background())
	wantCode(t, err, crm.Internal)
}
