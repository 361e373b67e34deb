package servicenow

import (
	"net/http"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

func TestConformance(t *testing.T) {
	crmtest.Run(t, crmtest.Harness{
		Type: crm.ServiceNow,
		Make: func(t *testing.T, hc *http.Client) (crm.Connector, crmtest.Sandbox) {
			// A small row cap makes every multi-record answer paginate.
			return startSandbox(t, hc, snsandbox.Options{MaxLimit: 2})
		},
		Person:           "sys_user",
		PersonEmailField: "email",
		PersonWithPhone: func(first, last, phone string) map[string]any {
			return map[string]any{"first_name": first, "last_name": last, "user_name": strings.ToLower(first + "." + last), "phone": phone}
		},
		CustomQuery: crm.Query{Entity: "sys_user", Fields: []string{"name", "email"}, Limit: 10, Filter: crm.Filter{All: []crm.Filter{
			{Field: "last_name", Op: crm.OpEq, Value: "Doe"},
			{Field: "email", Op: crm.OpStartsWith, Value: "jane"},
		}}},
		CreateEntity: "incident",
		CreateFields: map[string]any{"short_description": "Paper jam on the third floor", "contact_type": "phone", "urgency": "2"},
		UpdateField:  "state",
		UpdateValue:  "2",
		Memorialize: crm.Memorialization{Entity: "incident", Mode: crm.ModeCreate,
			Fields: map[string]any{"short_description": "Call summary", "description": "Caller asked about the printer."}},
		MissingID: "0123456789abcdef0123456789abcdef",
		TokenAuth: true,
		// The token endpoint answers OAuth errors, so the API faults match the Table API only.
		RateLimit: sandbox.Fault{Match: "/api/now/", Status: http.StatusTooManyRequests,
			Header: http.Header{"Retry-After": {"7"}, "X-RateLimit-Limit": {"10"}, "X-RateLimit-Rule": {"table-api-hourly"}},
			Body:   `{"error":{"message":"Rate limit exceeded","detail":"Rate limit of 10 requests per hour for Table API exceeded"},"status":"failure"}`},
		RateLimitWait: 7e9,
		ServerError: sandbox.Fault{Match: "/api/now/", Status: http.StatusInternalServerError,
			Body: `{"error":{"message":"Internal server error","detail":"The server encountered an unexpected condition"},"status":"failure"}`},

		Driver:       Driver(),
		Spellings:    spellingTable,
		BadEntities:  badEntities,
		BadID:        "INC0010001",
		GoodMappings: goodMappings,
		BadMappings:  badMappings,
		// A table the instance does not have: 400 "Invalid table u_no_such_table".
		CRMRefusal:     crmtest.Create{Entity: "u_no_such_table", Fields: map[string]any{"u_summary": "x"}},
		NoAppURL:       nil, // the agent UI is on the instance: record URLs follow from baseUrl
		DescribeFields: []string{"name", "first_name", "last_name", "phone", "mobile_phone", "company"},
	})
}
