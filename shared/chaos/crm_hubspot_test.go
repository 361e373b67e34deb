package chaos

import (
	"net/http"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
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
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, id := range sb.IDs("calls") {
			p, _ := sb.Object("calls", id)
			if k := p["hs_call_external_id"]; k != "" {
				out[k] = append(out[k], id)
			}
		}
		return out
	}
	// HubSpot sends no Retry-After for burst limits; the driver waits 1 s.
	c.rateLimit = func() sandbox.Fault { return hssandbox.RateLimitFault(hssandbox.PolicyTenSecondly) }
	c.serverError = func() sandbox.Fault { return hssandbox.ErrorFault(http.StatusBadGateway, "", "Bad Gateway") }
	return c
}
