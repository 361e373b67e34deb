package salesforce

import (
	"net/http"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

func TestConformance(t *testing.T) {
	crmtest.Run(t, crmtest.Harness{
		Type: crm.Salesforce,
		Make: func(t *testing.T, hc *http.Client) (crm.Connector, crmtest.Sandbox) {
			// A small batch size makes every multi-record answer paginate.
			return startSandbox(t, hc, sfsandbox.Options{BatchSize: 2})
		},
		Person:           "Contact",
		PersonEmailField: "Email",
		PersonWithPhone: func(first, last, phone string) map[string]any {
			return map[string]any{"FirstName": first, "LastName": last, "Phone": phone}
		},
		CustomQuery: crm.Query{Entity: "Contact", Fields: []string{"Name", "Email"}, Limit: 10, Filter: crm.Filter{All: []crm.Filter{
			{Field: "LastName", Op: crm.OpEq, Value: "Doe"},
			{Field: "Email", Op: crm.OpStartsWith, Value: "jane"},
		}}},
		CreateEntity: "Case",
		CreateFields: map[string]any{"Subject": "Paper jam on the third floor", "Origin": "Phone", "Priority": "Medium"},
		UpdateField:  "Status",
		UpdateValue:  "Working",
		Memorialize: crm.Memorialization{Entity: "Task", Mode: crm.ModeCreate,
			Fields: map[string]any{"Subject": "Call summary", "Description": "Caller asked about the printer."}},
		MissingID: "003Dn0000099999",
		TokenAuth: true,
		// The token endpoint answers OAuth errors, so the API faults match the data API only.
		RateLimit: sandbox.Fault{Match: "/services/data/", Status: http.StatusForbidden,
			Body: `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`},
		RateLimitWait: 0,
		ServerError: sandbox.Fault{Match: "/services/data/", Status: http.StatusInternalServerError,
			Body: `[{"message":"An unexpected error occurred. Please include this ErrorId if you contact support: 1985357146-35742 (-1189454867)","errorCode":"UNKNOWN_EXCEPTION"}]`},

		Driver:       Driver(),
		Spellings:    spellingTable,
		BadEntities:  badEntities,
		BadID:        "003-not-an-id",
		GoodMappings: goodMappings,
		BadMappings:  badMappings,
		// Contact has no Nickname field: the org answers 400 INVALID_FIELD
		// "No such column 'Nickname' on sobject of type Contact".
		CRMRefusal: crmtest.Create{Entity: "Contact", Fields: map[string]any{"LastName": "Doe", "Nickname": "JD"}},
		NoAppURL: func(t *testing.T, hc *http.Client) crm.Connector {
			c, _ := startBehindProxy(t, hc, sfsandbox.Options{})
			return c
		},
		DescribeFields: []string{"Phone", "MobilePhone", "FirstName", "LastName", "AccountId"},
	})
}
