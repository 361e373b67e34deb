package zendesk

import (
	"net/http"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

func harness(tokenAuth bool) crmtest.Harness {
	return crmtest.Harness{
		Type: crm.Zendesk,
		Make: func(t *testing.T, hc *http.Client) (crm.Connector, crmtest.Sandbox) {
			// A small page size makes every multi-result search paginate.
			if !tokenAuth {
				return startSandbox(t, hc, zdsandbox.Options{PageSize: 2})
			}
			c, sb := startSandbox(t, hc, zdsandbox.Options{PageSize: 2}, useClientCredentials)
			// The first token is fetched before the suite records requests:
			// the token request's JSON body holds the client secret, which
			// the golden recorder only redacts in forms. Single flight of
			// the first fetch is covered by TestClientCredentialsSingleFlight.
			if _, err := c.api.Auth(ctx(t)); err != nil {
				t.Fatal(err)
			}
			return c, sb
		},
		Person:           "user",
		PersonEmailField: "email",
		PersonWithPhone: func(first, last, phone string) map[string]any {
			return map[string]any{"name": first + " " + last, "phone": phone}
		},
		CustomQuery: crm.Query{Entity: "user", Fields: []string{"name", "email"}, Limit: 10, Filter: crm.Filter{All: []crm.Filter{
			{Field: "name", Op: crm.OpContains, Value: "Doe"},
			{Field: "email", Op: crm.OpStartsWith, Value: "jane"},
		}}},
		CreateEntity: "ticket",
		CreateFields: map[string]any{"subject": "Paper jam on the third floor", "comment.body": "The printer on the third floor jams.",
			"priority": "normal", "type": "incident"},
		UpdateField: "priority",
		UpdateValue: "high",
		Memorialize: crm.Memorialization{Entity: "ticket", Mode: crm.ModeCreate,
			Fields: map[string]any{"subject": "Call summary", "comment.body": "Caller asked about the printer.", "comment.public": false}},
		MissingID:     "999999999",
		TokenAuth:     tokenAuth,
		RateLimit:     zdsandbox.RateLimitFault(7),
		RateLimitWait: 7e9,
		ServerError:   zdsandbox.ServerErrorFault(),

		Driver:    Driver(),
		Spellings: spellingTable,
		BadEntities: []string{"groups", "ticket_fields", "Users Us", "zen:group", "zen:custom_object:", "custom_object:9x",
			"tickets/12", "custom_objects"},
		BadID:        "12abc",
		GoodMappings: goodMappings,
		BadMappings:  badMappings,
		// Zendesk validates an address's format: 422 RecordInvalid with the
		// field's description ("Email: … is not properly formatted").
		CRMRefusal: crmtest.Create{Entity: "user", Fields: map[string]any{"name": "Janie Doe", "email": "janie.doe@"}},
		NoAppURL: func(t *testing.T, hc *http.Client) crm.Connector {
			c, _ := startBehindProxy(t, hc, zdsandbox.Options{PageSize: 2})
			return c
		},
		DescribeFields: []string{"name", "phone", "organization_id", "user_fields.job_title"},
	}
}

// TestConformance runs the suite with an API token, the usual Zendesk
// integration credential; it writes the golden request files.
func TestConformance(t *testing.T) {
	crmtest.Run(t, harness(false))
}

// TestConformanceClientCredentials runs the suite again with the OAuth
// client credentials grant, so token refresh on 401 is exercised; its
// requests equal the API-token run's, so it shares the golden files.
func TestConformanceClientCredentials(t *testing.T) {
	crmtest.Run(t, harness(true))
}
