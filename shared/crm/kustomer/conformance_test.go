package kustomer

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

func TestConformance(t *testing.T) {
	crmtest.Run(t, crmtest.Harness{
		Type: crm.Kustomer,
		Make: func(t *testing.T, hc *http.Client) (crm.Connector, crmtest.Sandbox) {
			// A small page size makes every multi-record answer paginate.
			return startSandbox(t, hc, kussandbox.Options{PageSize: 2})
		},
		Person:            "customer",
		PersonEmailField:  "email",
		UniquePersonPhone: true, // "matches later contact on the same email address, phone number" (Create customer)
		PersonWithPhone: func(first, last, phone string) map[string]any {
			return map[string]any{"name": first + " " + last, "phones": []any{map[string]any{"phone": phone, "type": "mobile"}}}
		},
		CustomQuery: crm.Query{Entity: "customer", Fields: []string{"name", "email", "custom.tierStr"}, Limit: 10,
			Filter: crm.Filter{All: []crm.Filter{
				{Field: "name", Op: crm.OpContains, Value: "Doe"},
				{Any: []crm.Filter{
					{Field: "custom.tierStr", Op: crm.OpIn, Value: []any{"gold", "platinum"}},
					{Field: "email", Op: crm.OpEq, Value: crmtest.JaneEmail},
				}},
			}}},
		CreateEntity: "customer",
		CreateFields: map[string]any{"name": "Alex Rivera", "email": "alex.rivera@example.com", "phone": "+14155550142",
			"locale": "en_US"},
		UpdateField: "name",
		UpdateValue: "Alex J. Rivera",
		Memorialize: crm.Memorialization{Entity: "conversation", Mode: crm.ModeCreate,
			Fields: map[string]any{"name": "Call summary: printer", "status": "done", "priority": 3,
				"custom": map[string]any{"dispositionStr": "Resolved"}}},
		MissingID:     "5f3a1c2b0000000000000000",
		TokenAuth:     false,
		RateLimit:     kussandbox.RateLimitFault(testNow.Add(42 * time.Second)),
		RateLimitWait: 42 * time.Second,
		ServerError:   kussandbox.ErrorFault(http.StatusInternalServerError, "internal_server_error", "Internal Server Error"),

		Driver:       Driver(),
		Spellings:    spellingTable,
		BadEntities:  badEntities[:len(badEntities)-1],
		BadID:        "5f3a1c2b",
		GoodMappings: goodMappings,
		BadMappings:  badMappings,
		// Customers have one name attribute (Kustomer's POST /v1/customers
		// schema, additionalProperties false): firstName is Kustomer's to refuse.
		CRMRefusal: crmtest.Create{Entity: "customer", Fields: map[string]any{"name": "Janie Doe", "firstName": "Janie"}},
		NoAppURL: func(t *testing.T, hc *http.Client) crm.Connector {
			c, _ := startAs(t, hc, "https://api.kustomerapp.com", kussandbox.Options{})
			return c
		},
		DescribeFields: []string{"name", "phone", "emails", "phones", "externalId", "custom.tierStr"},
	})
}
