package chaos

import (
	"net/http"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
	"github.com/crmflow/crmflow/shared/store"
)

func init() { register(hubSpotUnderTest) }

func hubSpotUnderTest() *crmUnderTest {
	sb := hssandbox.New(hssandbox.Options{})
	c := &crmUnderTest{name: "hubspot", handler: sb.Handler(), tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "HubSpot", CRM: crm.HubSpot, BaseURL: url,
			Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: &crm.Credentials{Token: hssandbox.DefaultToken}, TimeoutMs: crmTimeoutMs}
	}
	c.person = crm.Ref{Entity: "contacts", ID: sb.IDs("contacts")[0]}
	// Timeline jobs make calls, memorialization jobs tickets; both carry
	// the key in crmflow_key, the unique property of the demo account
	// (as the configuration test leaves it), read from the store.
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, typ := range []string{"calls", "tickets"} {
			for _, id := range sb.IDs(typ) {
				p, _ := sb.Object(typ, id)
				if k := p[hssandbox.DemoKeyProperty]; k != "" {
					out[k] = append(out[k], id)
				}
			}
		}
		return out
	}
	c.indexLag = sb.SetIndexLag
	c.memorialize = &admin.DataMappingInput{Entity: "tickets", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Target: "subject", Template: "Call about {{dispositionName}}"},
		{Target: "content", Source: "dispositionNotes"},
		{Target: "hs_pipeline_stage", Template: "1"},
	}}
	// HubSpot sends no Retry-After for burst limits; the driver waits 1 s.
	c.rateLimit = func() sandbox.Fault { return hssandbox.RateLimitFault(hssandbox.PolicyTenSecondly) }
	c.serverError = func() sandbox.Fault { return hssandbox.ErrorFault(http.StatusBadGateway, "", "Bad Gateway") }
	return c
}
