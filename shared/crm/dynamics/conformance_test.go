package dynamics

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

func TestConformance(t *testing.T) {
	crmtest.Run(t, crmtest.Harness{
		Type: crm.Dynamics,
		Make: func(t *testing.T, hc *http.Client) (crm.Connector, crmtest.Sandbox) {
			// A small page size makes every multi-row answer paginate. The scope
			// names the environment by a fixed URL so that golden files do not
			// depend on the sandbox's port.
			return startSandbox(t, hc, dvsandbox.Options{PageSize: 2, Resource: testResource}, func(c *crm.Config) {
				c.Auth.Scope = testResource + "/.default"
			})
		},
		Person:           "contact",
		PersonEmailField: "emailaddress1",
		PersonWithPhone: func(first, last, phone string) map[string]any {
			return map[string]any{"firstname": first, "lastname": last, "telephone1": phone}
		},
		CustomQuery: crm.Query{Entity: "contact", Fields: []string{"fullname", "emailaddress1"}, Limit: 10, Filter: crm.Filter{All: []crm.Filter{
			{Field: "lastname", Op: crm.OpEq, Value: "Doe"},
			{Field: "emailaddress1", Op: crm.OpStartsWith, Value: "jane"},
		}}},
		CreateEntity: "lead",
		CreateFields: map[string]any{"firstname": "Ada", "lastname": "Lovelace", "companyname": "Analytical Engines", "subject": "Printer fleet"},
		UpdateField:  "jobtitle",
		UpdateValue:  "Head of Operations",
		Memorialize: crm.Memorialization{Entity: "task", Mode: crm.ModeCreate,
			Fields: map[string]any{"subject": "Call summary", "description": "Caller asked about the printer."}},
		MissingID: "6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42",
		TokenAuth: true,
		// The token endpoint answers Entra errors, so the API faults match the Web API only.
		RateLimit: sandbox.Fault{Match: "/api/data/", Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"7"}},
			Body: `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`},
		RateLimitWait: 7 * time.Second,
		ServerError: sandbox.Fault{Match: "/api/data/", Status: http.StatusInternalServerError,
			Body: `{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}`},

		Driver:    Driver(),
		Spellings: spellingTable,
		BadEntities: []string{"EntityDefinitions", "WhoAmI", "new_", "mscrm_thing", "contact.fullname", "con tact", "1contact",
			"contacts(6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42)", "RelationshipDefinitions"},
		BadID:        "42",
		GoodMappings: goodMappings,
		BadMappings:  badMappings,
		// An unknown column: Dataverse answers 400 0x80048d19 "Invalid
		// property 'nickname' was found in entity 'Microsoft.Dynamics.CRM.contact'".
		CRMRefusal: crmtest.Create{Entity: "contact", Fields: map[string]any{"firstname": "Janie", "nickname": "JD"}},
		NoAppURL: func(t *testing.T, hc *http.Client) crm.Connector {
			c, _ := startBehindProxy(t, hc, dvsandbox.Options{Resource: testResource})
			return c
		},
		DescribeFields: []string{"firstname", "lastname", "fullname", "telephone1", "mobilephone", "parentcustomerid",
			"_parentcustomerid_value"},
	})
}
