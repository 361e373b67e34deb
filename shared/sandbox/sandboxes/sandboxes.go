// Package sandboxes is the one table of CRM sandboxes: for each CRM, how to
// start its sandbox with the demo credentials, the configuration that
// reaches a sandbox served at a URL, its token endpoint, and a create-mode
// memorialization mapping it takes. The local run (scripts/devserver), the
// benchmarks (shared/perf, scripts/benchcmd), the chaos test and the API
// tests loop over it, so adding a CRM adds one row here (docs/adding-a-crm.md).
//
// It is not test equipment: the local run links it, and it links no
// testing package.
package sandboxes

import (
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
	ocsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
	"github.com/crmflow/crmflow/shared/store"
)

// Demo credentials: the sandboxes started from this table accept exactly
// these. They are not secrets; they exist so that the local run and the
// tests exercise the real auth flows.
const (
	DemoClientID     = "crmflow-demo-client"
	DemoClientSecret = "crmflow-demo-secret"
	DemoUser         = "crmflow.integration"
	DemoPassword     = "crmflow-demo-password"
)

// Sandbox is one started sandbox.
type Sandbox struct {
	Handler http.Handler
	// Controls are the sandbox's fault injection, latency and call counts
	// (every sandbox embeds sandbox.Controls).
	Controls *sandbox.Controls
	// TokenRequests counts the token requests the sandbox answered (0 for
	// CRMs with static credentials).
	TokenRequests func() int
	// SetIndexLag delays search visibility of new records, nil for a CRM
	// whose reads are all by id or database query (sandbox.Index).
	SetIndexLag func(time.Duration)
	// Server is the CRM's own *Server, for the checks that read its store.
	Server any
}

// Entry is one CRM's row.
type Entry struct {
	CRM  crm.Type
	Name string // "Salesforce sandbox"
	// Start starts a fresh sandbox holding the demo data.
	Start func() Sandbox
	// Config is the demo configuration of a sandbox served at url.
	Config func(url string) admin.ConfigurationInput
	// TokenAt is the route key of the sandbox's token endpoint ("POST
	// /services/oauth2/token"), "" when the demo configuration sends a
	// static credential.
	TokenAt string
	// Mapping is a create-mode memorialization mapping the CRM accepts.
	Mapping admin.DataMappingInput
}

func tmpl(pairs ...string) []store.FieldMapping {
	var fs []store.FieldMapping
	for i := 0; i+1 < len(pairs); i += 2 {
		fs = append(fs, store.FieldMapping{Target: pairs[i], Template: pairs[i+1]})
	}
	return fs
}

// All is every CRM's sandbox, in crmflow's usual order.
var All = []Entry{
	{CRM: crm.Salesforce, Name: "Salesforce sandbox",
		Start: func() Sandbox {
			s := sfsandbox.New(sfsandbox.Options{ClientID: DemoClientID, ClientSecret: DemoClientSecret})
			return Sandbox{Handler: s.Handler(), Controls: &s.Controls, TokenRequests: s.TokenRequests, SetIndexLag: s.SetIndexLag, Server: s}
		},
		Config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Salesforce sandbox", CRM: crm.Salesforce, BaseURL: url, APIVersion: "v62.0",
				Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: DemoClientID, TokenURL: url + "/services/oauth2/token"},
				Credentials: &crm.Credentials{ClientSecret: DemoClientSecret}}
		},
		TokenAt: "POST /services/oauth2/token",
		Mapping: admin.DataMappingInput{Entity: "Task", Mode: crm.ModeCreate, Fields: tmpl("Subject", "Call about {{dispositionName}}", "Description", "{{dispositionNotes}}")},
	},
	{CRM: crm.Dynamics, Name: "Dynamics 365 sandbox",
		Start: func() Sandbox {
			s := dvsandbox.New(dvsandbox.Options{ClientID: DemoClientID, ClientSecret: DemoClientSecret})
			return Sandbox{Handler: s.Handler(), Controls: &s.Controls, TokenRequests: s.TokenRequests, Server: s}
		},
		Config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Dynamics 365 sandbox", CRM: crm.Dynamics, BaseURL: url, APIVersion: "v9.2",
				Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: DemoClientID,
					TokenURL: url + "/" + dvsandbox.DefaultTenantID + "/oauth2/v2.0/token"},
				Credentials: &crm.Credentials{ClientSecret: DemoClientSecret}}
		},
		TokenAt: "POST /" + dvsandbox.DefaultTenantID + "/oauth2/v2.0/token",
		Mapping: admin.DataMappingInput{Entity: "task", Mode: crm.ModeCreate, Fields: tmpl("subject", "Call about {{dispositionName}}", "description", "{{dispositionNotes}}")},
	},
	{CRM: crm.ServiceNow, Name: "ServiceNow sandbox",
		Start: func() Sandbox {
			s := snsandbox.New(snsandbox.Options{ClientID: DemoClientID, ClientSecret: DemoClientSecret, Username: DemoUser, Password: DemoPassword})
			return Sandbox{Handler: s.Handler(), Controls: &s.Controls, TokenRequests: s.TokenRequests, Server: s}
		},
		Config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "ServiceNow sandbox", CRM: crm.ServiceNow, BaseURL: url,
				Auth:        crm.Auth{Type: crm.AuthBasic, Username: DemoUser},
				Credentials: &crm.Credentials{Password: DemoPassword}}
		},
		Mapping: admin.DataMappingInput{Entity: "incident", Mode: crm.ModeCreate, Fields: tmpl("short_description", "Call about {{dispositionName}}", "description", "{{dispositionNotes}}")},
	},
	{CRM: crm.Zendesk, Name: "Zendesk sandbox",
		Start: func() Sandbox {
			s := zdsandbox.New(zdsandbox.Options{})
			return Sandbox{Handler: s.Handler(), Controls: &s.Controls, TokenRequests: s.TokenRequests, SetIndexLag: s.SetIndexLag, Server: s}
		},
		Config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Zendesk sandbox", CRM: crm.Zendesk, BaseURL: url,
				Auth:        crm.Auth{Type: crm.AuthAPIToken, Email: zdsandbox.DefaultEmail},
				Credentials: &crm.Credentials{APIToken: zdsandbox.DefaultAPIToken}}
		},
		Mapping: admin.DataMappingInput{Entity: "ticket", Mode: crm.ModeCreate, Fields: tmpl("subject", "Call about {{dispositionName}}", "comment.body", "{{dispositionNotes}}")},
	},
	{CRM: crm.HubSpot, Name: "HubSpot sandbox",
		Start: func() Sandbox {
			s := hssandbox.New(hssandbox.Options{})
			return Sandbox{Handler: s.Handler(), Controls: &s.Controls, TokenRequests: s.TokenRequests, SetIndexLag: s.SetIndexLag, Server: s}
		},
		Config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "HubSpot sandbox", CRM: crm.HubSpot, BaseURL: url,
				Auth:        crm.Auth{Type: crm.AuthBearerToken},
				Credentials: &crm.Credentials{Token: hssandbox.DefaultToken}}
		},
		Mapping: admin.DataMappingInput{Entity: "calls", Mode: crm.ModeCreate, Fields: tmpl("hs_call_title", "Call about {{dispositionName}}", "hs_call_body", "{{dispositionNotes}}")},
	},
	{CRM: crm.Kustomer, Name: "Kustomer sandbox",
		Start: func() Sandbox {
			s := kussandbox.New(kussandbox.Options{})
			return Sandbox{Handler: s.Handler(), Controls: &s.Controls, TokenRequests: s.TokenRequests, SetIndexLag: s.SetIndexLag, Server: s}
		},
		Config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Kustomer sandbox", CRM: crm.Kustomer, BaseURL: url, APIVersion: "v1",
				Auth:        crm.Auth{Type: crm.AuthBearerToken},
				Credentials: &crm.Credentials{Token: kussandbox.DefaultToken}}
		},
		Mapping: admin.DataMappingInput{Entity: "conversation", Mode: crm.ModeCreate, Fields: tmpl("name", "Call about {{dispositionName}}", "status", "done")},
	},
	{CRM: crm.Oracle, Name: "Oracle B2C Service sandbox",
		Start: func() Sandbox {
			s := ocsandbox.New(ocsandbox.Options{})
			return Sandbox{Handler: s.Handler(), Controls: &s.Controls, TokenRequests: s.TokenRequests, Server: s}
		},
		Config: func(url string) admin.ConfigurationInput {
			return admin.ConfigurationInput{Name: "Oracle B2C Service sandbox", CRM: crm.Oracle, BaseURL: url,
				Auth:        crm.Auth{Type: crm.AuthBasic, Username: ocsandbox.DefaultUsername, ApplicationContext: "crmflow"},
				Credentials: &crm.Credentials{Password: ocsandbox.DefaultPassword}}
		},
		Mapping: admin.DataMappingInput{Entity: "incidents", Mode: crm.ModeCreate, Fields: tmpl("subject", "Call about {{dispositionName}}", "channel.lookupName", "Phone")},
	},
}

// Lookup returns the row of a CRM.
func Lookup(t crm.Type) (Entry, bool) {
	for _, e := range All {
		if e.CRM == t {
			return e, true
		}
	}
	return Entry{}, false
}
