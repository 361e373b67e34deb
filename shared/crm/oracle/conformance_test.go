package oracle

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

func TestConformance(t *testing.T) {
	crmtest.Run(t, crmtest.Harness{
		Type: crm.Oracle,
		Make: func(t *testing.T, hc *http.Client) (crm.Connector, crmtest.Sandbox) {
			return startSandbox(t, hc, osvcsandbox.Options{})
		},
		Person:           "contacts",
		PersonEmailField: "emails.address",
		PersonWithPhone: func(first, last, phone string) map[string]any {
			return map[string]any{"name.first": first, "name.last": last, "phones": []any{map[string]any{"number": phone, "phoneType": map[string]any{"id": 0}}}}
		},
		CustomQuery: crm.Query{Entity: "contacts", Fields: []string{"name.first", "name.last", "emails.address"}, Limit: 10,
			Filter: crm.Filter{All: []crm.Filter{
				{Field: "name.last", Op: crm.OpEq, Value: "Doe"},
				{Field: "emails.address", Op: crm.OpStartsWith, Value: "jane"},
			}}},
		CreateEntity: "incidents",
		CreateFields: map[string]any{"subject": "Paper jam on the third floor", "channel.lookupName": "Phone",
			"severity.lookupName": "Medium"},
		UpdateField: "subject",
		UpdateValue: "Paper jam cleared, toner low",
		Memorialize: crm.Memorialization{Entity: "incidents", Mode: crm.ModeCreate,
			Fields: map[string]any{"subject": "Call summary", "channel.lookupName": "Phone"}},
		MissingID:     "999999",
		TokenAuth:     false,
		RateLimit:     osvcsandbox.ThrottleFault(2000),
		RateLimitWait: 2 * time.Second,
		ServerError:   osvcsandbox.ServerErrorFault(),

		Driver:    Driver(),
		Spellings: spellingTable,
		BadEntities: []string{"contactz", "Contacts Us", "queryResults", "CO.", "incidents/12", "select", "metadata-catalog",
			"namedIDs"},
		BadID:        "12abc",
		GoodMappings: goodMappings,
		BadMappings:  badMappings,
		CRMRefusal:   crmtest.Create{Entity: "contacts", Fields: map[string]any{"name.first": "Janie", "nickname": "JD"}},
		NoAppURL: func(t *testing.T, hc *http.Client) crm.Connector {
			c, _ := startBehindProxy(t, hc, osvcsandbox.Options{})
			return c
		},
		DescribeFields: []string{"name.first", "name.last", "phones.number", "phones.rawNumber", "organization"},
	})
}
