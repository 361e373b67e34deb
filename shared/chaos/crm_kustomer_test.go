package chaos

import (
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
	"github.com/crmflow/crmflow/shared/store"
)

func init() { register(kustomerUnderTest) }

func kustomerUnderTest() *crmUnderTest {
	sb := kussandbox.New(kussandbox.Options{})
	c := &crmUnderTest{name: "kustomer", handler: sb.Handler(), tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "Kustomer", CRM: crm.Kustomer, BaseURL: url, APIVersion: "v1",
			Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: &crm.Credentials{Token: kussandbox.DefaultToken}, TimeoutMs: crmTimeoutMs}
	}
	c.person = crm.Ref{Entity: "customer", ID: sb.IDs("customer")[0]}
	// Timeline jobs make a message for the customer, memorialization jobs a
	// company; both keep the key in externalId, read here from the store.
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, typ := range []string{"message", "company"} {
			for _, id := range sb.IDs(typ) {
				r, _ := sb.Record(id)
				if k, _ := r["externalId"].(string); k != "" {
					out[k] = append(out[k], id)
				}
			}
		}
		return out
	}
	c.indexLag = sb.SetIndexLag
	c.memorialize = &admin.DataMappingInput{Entity: "company", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Target: "name", Template: "Call about {{dispositionName}}"},
		{Target: "custom.dispositionNotesStr", Source: "dispositionNotes"},
	}}
	c.rateLimit = func() sandbox.Fault { return kussandbox.RateLimitFault(time.Now().Add(time.Second)) }
	c.serverError = func() sandbox.Fault {
		return kussandbox.ErrorFault(http.StatusServiceUnavailable, "service_unavailable", "Service Unavailable")
	}
	return c
}
