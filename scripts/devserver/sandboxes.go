package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
	ocsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

// sandbox is a CRM sandbox served on loopback, with the configuration the
// demo creates for it.
type sandbox struct {
	crm     crm.Type
	handler http.Handler
	url     string
	srv     *http.Server
	// config returns the demo configuration for a sandbox at url.
	config func(url string) admin.ConfigurationInput
}

// Demo credentials: the sandboxes accept exactly these. They are not secrets;
// they exist so the local run exercises the real auth flows.
const (
	demoClientID     = "crmflow-demo-client"
	demoClientSecret = "crmflow-demo-secret"
	demoUser         = "crmflow.integration"
	demoPassword     = "crmflow-demo-password"
)

func sandboxes() []*sandbox {
	sf := sfsandbox.New(sfsandbox.Options{ClientID: demoClientID, ClientSecret: demoClientSecret})
	dv := dvsandbox.New(dvsandbox.Options{ClientID: demoClientID, ClientSecret: demoClientSecret})
	sn := snsandbox.New(snsandbox.Options{ClientID: demoClientID, ClientSecret: demoClientSecret, Username: demoUser, Password: demoPassword})
	zd := zdsandbox.New(zdsandbox.Options{})
	hs := hssandbox.New(hssandbox.Options{})
	ku := kussandbox.New(kussandbox.Options{})
	oc := ocsandbox.New(ocsandbox.Options{})
	return []*sandbox{
		{crm: crm.Salesforce, handler: sf.Handler(), config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Salesforce sandbox", CRM: crm.Salesforce, BaseURL: url, APIVersion: "v62.0",
				Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: demoClientID, TokenURL: url + "/services/oauth2/token"},
				Credentials: &crm.Credentials{ClientSecret: demoClientSecret}}
		}},
		{crm: crm.Dynamics, handler: dv.Handler(), config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Dynamics 365 sandbox", CRM: crm.Dynamics, BaseURL: url, APIVersion: "v9.2",
				Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: demoClientID,
					TokenURL: url + "/" + dvsandbox.DefaultTenantID + "/oauth2/v2.0/token"},
				Credentials: &crm.Credentials{ClientSecret: demoClientSecret}}
		}},
		{crm: crm.ServiceNow, handler: sn.Handler(), config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "ServiceNow sandbox", CRM: crm.ServiceNow, BaseURL: url,
				Auth:        crm.Auth{Type: crm.AuthBasic, Username: demoUser},
				Credentials: &crm.Credentials{Password: demoPassword}}
		}},
		{crm: crm.Zendesk, handler: zd.Handler(), config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Zendesk sandbox", CRM: crm.Zendesk, BaseURL: url,
				Auth:        crm.Auth{Type: crm.AuthAPIToken, Email: zdsandbox.DefaultEmail},
				Credentials: &crm.Credentials{APIToken: zdsandbox.DefaultAPIToken}}
		}},
		{crm: crm.HubSpot, handler: hs.Handler(), config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "HubSpot sandbox", CRM: crm.HubSpot, BaseURL: url,
				Auth:        crm.Auth{Type: crm.AuthBearerToken},
				Credentials: &crm.Credentials{Token: hssandbox.DefaultToken}}
		}},
		{crm: crm.Kustomer, handler: ku.Handler(), config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Kustomer sandbox", CRM: crm.Kustomer, BaseURL: url, APIVersion: "v1",
				Auth:        crm.Auth{Type: crm.AuthBearerToken},
				Credentials: &crm.Credentials{Token: kussandbox.DefaultToken}}
		}},
		{crm: crm.Oracle, handler: oc.Handler(), config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Oracle B2C Service sandbox", CRM: crm.Oracle, BaseURL: url,
				Auth:        crm.Auth{Type: crm.AuthBasic, Username: ocsandbox.DefaultUsername, ApplicationContext: "crmflow"},
				Credentials: &crm.Credentials{Password: ocsandbox.DefaultPassword}}
		}},
	}
}

func (s *sandbox) start(port int) error {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil && port != 0 {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return err
	}
	s.url = "http://" + l.Addr().String()
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the gateway's health check reports a dead sandbox through failed calls
		}
	}()
	return nil
}

func (s *sandbox) stop(ctx context.Context) {
	if s.srv != nil {
		_ = s.srv.Shutdown(ctx)
	}
}
