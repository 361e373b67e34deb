package chaos

import (
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
	"github.com/crmflow/crmflow/shared/store"
)

func init() { register(zendeskUnderTest) }

func zendeskUnderTest() *crmUnderTest {
	sb := zdsandbox.New(zdsandbox.Options{ClientID: clientID, ClientSecret: clientSecret})
	c := &crmUnderTest{name: "zendesk", handler: sb.Handler(), expire: sb.ExpireTokens, tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "Zendesk", CRM: crm.Zendesk, BaseURL: url,
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: clientID, TokenURL: url + "/oauth/tokens"},
			Credentials: &crm.Credentials{ClientSecret: clientSecret}, TimeoutMs: crmTimeoutMs}
	}
	// Jobs link a user: a timeline job makes a call ticket she requested,
	// a memorialization job a ticket; both keep the key in external_id.
	jane, _ := sb.FindID("user", "email", "jane.doe@example.com")
	c.person = crm.Ref{Entity: "user", ID: strconv.FormatInt(jane, 10)}
	// Well-formed, unknown: Zendesk refuses the requester (422 RecordInvalid).
	c.missing = crm.Ref{Entity: "user", ID: "999999999"}
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, t := range sb.Records("ticket") {
			// external_id is crmflow:<kind>:<key>
			ext, _ := t["external_id"].(string)
			if k, ok := strings.CutPrefix(ext, "crmflow:"); ok {
				k = k[strings.IndexByte(k, ':')+1:]
				out[k] = append(out[k], strconv.FormatInt(t["id"].(int64), 10))
			}
		}
		return out
	}
	c.indexLag = sb.SetIndexLag
	c.rateLimit = func() sandbox.Fault { return zdsandbox.RateLimitFault(1) }
	c.serverError = func() sandbox.Fault { return zdsandbox.UnavailableFault(1) }
	c.memorialize = &admin.DataMappingInput{Entity: "ticket", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Target: "subject", Template: "Call about {{dispositionName}}"},
		{Target: "comment.body", Source: "dispositionNotes"},
	}}
	return c
}
