package hubspot

import (
	"net/http"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func TestConformance(t *testing.T) {
	crmtest.Run(t, crmtest.Harness{
		Type: crm.HubSpot,
		Make: func(t *testing.T, hc *http.Client) (crm.Connector, crmtest.Sandbox) {
			// A small page size makes every multi-record answer paginate.
			return startSandbox(t, hc, hssandbox.Options{PageSize: 2})
		},
		Person:           "contacts",
		PersonEmailField: "email",
		PersonWithPhone: func(first, last, phone string) map[string]any {
			return map[string]any{"firstname": first, "lastname": last, "phone": phone}
		},
		CustomQuery: crm.Query{Entity: "contacts", Fields: []string{"firstname", "lastname", "email"}, Limit: 10,
			Filter: crm.Filter{All: []crm.Filter{
				{Field: "lastname", Op: crm.OpEq, Value: "Doe"},
				{Any: []crm.Filter{
					{Field: "firstname", Op: crm.OpIn, Value: []any{"jane", "janet"}},
					{Field: "email", Op: crm.OpContains, Value: "jane.doe@example.com"},
				}},
			}}},
		CreateEntity: "tickets",
		CreateFields: map[string]any{"subject": "Replacement toner", "content": "Caller needs two cartridges.",
			"hs_pipeline": "0", "hs_pipeline_stage": "1", "hs_ticket_priority": "MEDIUM"},
		UpdateField: "subject",
		UpdateValue: "Replacement toner (urgent)",
		Memorialize: crm.Memorialization{Entity: "calls", Mode: crm.ModeCreate,
			Fields: map[string]any{"hs_call_title": "Call summary", "hs_call_body": "Caller asked about the printer."}},
		MissingID:     "99999999999",
		TokenAuth:     false,
		RateLimit:     hssandbox.RateLimitFault(hssandbox.PolicyTenSecondly),
		RateLimitWait: burstWait,
		ServerError:   hssandbox.ErrorFault(http.StatusInternalServerError, "", "internal error"),

		Driver:    Driver(),
		Spellings: spellingTable,
		BadEntities: []string{"contactz", "Contacts Us", "1-1", "0-0", "2-", "objects", "contacts/12", "p-cars", "crm.contacts",
			"Contact.Phone"},
		BadID:        "12abc",
		GoodMappings: goodMappings,
		BadMappings:  badMappings,
		CRMRefusal:   crmtest.Create{Entity: "contacts", Fields: map[string]any{"firstname": "Janie", "nickname": "JD"}},
		NoAppURL: func(t *testing.T, hc *http.Client) crm.Connector {
			// A token that may not read the account details: no hub id, so
			// no record URL.
			c, sb := startSandbox(t, hc, hssandbox.Options{})
			sb.Inject(accountDetailsRefused())
			return c
		},
		DescribeFields: []string{"firstname", "lastname", "phone", "mobilephone", "hs_object_id"},
	})
}
