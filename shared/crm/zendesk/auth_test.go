package zendesk

import (
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

func TestClientCredentialsSingleFlight(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{}, useClientCredentials)
	sb.SetLatency(20 * time.Millisecond)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := sb.TokenRequests(); n != 1 {
		t.Fatalf("token requests = %d, want 1", n)
	}
}

func TestClientCredentialsRefreshOnceThenFail(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{TokenTTL: time.Hour}, useClientCredentials)
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"}); err != nil {
		t.Fatal(err)
	}
	sb.ExpireTokens()
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"}); err != nil {
		t.Fatal(err)
	}
	if n := sb.TokenRequests(); n != 2 {
		t.Fatalf("token requests = %d, want 2", n)
	}
}

func TestClientCredentialsRefused(t *testing.T) {
	c, _ := startSandbox(t, nil, zdsandbox.Options{}, useClientCredentials, func(cfg *crm.Config) {
		cfg.Credentials.ClientSecret = "wrong-secret"
	})
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"})
	e := wantCode(t, err, crm.Unauthenticated)
	if e.CRMCode != "invalid_client" || e.Retryable {
		t.Fatalf("%+v", e)
	}
}

func TestBearerToken(t *testing.T) {
	c, _ := startSandbox(t, nil, zdsandbox.Options{AccessTokens: []string{"oauth-token-1"}}, func(cfg *crm.Config) {
		cfg.Auth = crm.Auth{Type: crm.AuthBearerToken}
		cfg.Credentials = crm.Credentials{Token: "oauth-token-1"}
	})
	if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "jane.doe@example.com"}); err != nil {
		t.Fatal(err)
	}
}
