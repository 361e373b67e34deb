package servicenow

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, hostAllowed, map[string]bool{
		"acme.service-now.com":          true,
		"ACME-Dev.Service-Now.com":      true,
		"dev12345.service-now.com":      true,
		"service-now.com":               false,
		".service-now.com":              false,
		"a.b.service-now.com":           false,
		"acme.service-now.com.evil.com": false,
		"acmeservice-now.com":           false,
		"-acme.service-now.com":         false,
		"acme.servicenowservices.com":   false,
		"acme.service-now.co":           false,
		"acme_x.service-now.com":        false,
	})
}

func TestDriver(t *testing.T) {
	d := Driver()
	if d.Type != crm.ServiceNow || d.Label != "ServiceNow" || d.DefaultAPIVersion != "v2" || d.New == nil || d.TokenHostAllowed != nil {
		t.Fatalf("driver: %+v", d)
	}
	for _, want := range []string{"incident", "interaction", "customer_contact", "sys_user"} {
		e, ok := d.StandardEntity(want)
		if !ok || len(e.Fields) == 0 {
			t.Errorf("standard entity %s missing", want)
		}
		for _, f := range e.Fields {
			if !validWriteColumn(f) {
				t.Errorf("%s.%s is not a column name", want, f)
			}
		}
	}
	if len(d.AuthTypes) != 2 {
		t.Fatalf("auth types %v", d.AuthTypes)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	basic := crm.Auth{Type: crm.AuthBasic, Username: "u"}
	pw := crm.Credentials{Password: "p"}
	cc := crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id"}
	secret := crm.Credentials{ClientSecret: "s"}
	crmtest.WantConfigs(t, New, true, map[string]crm.Config{
		"basic":              {BaseURL: "https://acme.service-now.com", Auth: basic, Credentials: pw},
		"client credentials": {BaseURL: "https://acme.service-now.com/", Auth: cc, Credentials: secret},
		"token url on instance": {BaseURL: "https://acme.service-now.com",
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id", TokenURL: "https://ACME.service-now.com/oauth_token.do"},
			Credentials: secret},
		"v1": {BaseURL: "https://acme.service-now.com", APIVersion: "v1", Auth: basic, Credentials: pw},
	})
	crmtest.WantConfigs(t, New, false, map[string]crm.Config{
		"token url elsewhere": {BaseURL: "https://acme.service-now.com",
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: "id", TokenURL: "https://evil.example/oauth_token.do"},
			Credentials: secret},
		"bad version":   {BaseURL: "https://acme.service-now.com", APIVersion: "2", Auth: basic, Credentials: pw},
		"path":          {BaseURL: "https://acme.service-now.com/api", Auth: basic, Credentials: pw},
		"user info":     {BaseURL: "https://u:p@acme.service-now.com", Auth: basic, Credentials: pw},
		"ftp":           {BaseURL: "ftp://acme.service-now.com", Auth: basic, Credentials: pw},
		"no password":   {BaseURL: "https://acme.service-now.com", Auth: basic},
		"colon in user": {BaseURL: "https://acme.service-now.com", Auth: crm.Auth{Type: crm.AuthBasic, Username: "a:b"}, Credentials: pw},
		"no secret":     {BaseURL: "https://acme.service-now.com", Auth: cc},
		"jwt":           {BaseURL: "https://acme.service-now.com", Auth: crm.Auth{Type: crm.AuthJWTBearer}},
		"bearer":        {BaseURL: "https://acme.service-now.com", Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: "t"}},
	})
}

func TestRecordURL(t *testing.T) {
	c, err := newConnector(crm.Config{BaseURL: "https://Acme.service-now.com", Auth: crm.Auth{Type: crm.AuthBasic, Username: "u"},
		Credentials: crm.Credentials{Password: "p"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := c.RecordURL(crm.Ref{Entity: "incident", ID: "9d385017c611228701d22104cc95c371"})
	want := "https://acme.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3D9d385017c611228701d22104cc95c371"
	if got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	if c.Type() != crm.ServiceNow || !c.Capabilities().FindWriteByKey || !c.Capabilities().RelatedOpen {
		t.Fatal("type or capabilities")
	}
}

func TestCredentialsStayOutOfErrors(t *testing.T) {
	_, err := New(crm.Config{BaseURL: "https://acme.service-now.com", Auth: crm.Auth{Type: crm.AuthBasic},
		Credentials: crm.Credentials{Password: "hunter2-secret"}}, nil)
	if err == nil || strings.Contains(err.Error(), "hunter2-secret") {
		t.Fatalf("err = %v", err)
	}
}
