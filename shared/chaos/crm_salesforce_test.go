package chaos

import (
	"net/http"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/store"
)

func init() { register(salesforceUnderTest) }

func salesforceUnderTest() *crmUnderTest {
	sb := sfsandbox.New(sfsandbox.Options{ClientID: clientID, ClientSecret: clientSecret})
	c := &crmUnderTest{name: "salesforce", handler: sb.Handler(), expire: sb.ExpireTokens, tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "Salesforce", CRM: crm.Salesforce, BaseURL: url, APIVersion: "v62.0",
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: clientID, TokenURL: url + "/services/oauth2/token"},
			Credentials: &crm.Credentials{ClientSecret: clientSecret}, TimeoutMs: crmTimeoutMs}
	}
	c.person = crm.Ref{Entity: "Contact", ID: sb.Records("Contact")[0]["Id"].(string)}
	// Well-formed, unknown: the sandbox answers INVALID_CROSS_REFERENCE_KEY.
	c.missing = crm.Ref{Entity: "Contact", ID: "003Dn0000000zzz"}
	// The store itself, never SOSL: Tasks keep the key in CallObject,
	// other objects in the crmflow_key__c External ID field.
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, t := range sb.Records("Task") {
			if k, _ := t["CallObject"].(string); k != "" {
				out[k] = append(out[k], t["Id"].(string))
			}
		}
		for _, r := range sb.Records("Case") {
			if k, _ := r[sfsandbox.WriteKeyField].(string); k != "" {
				out[k] = append(out[k], r["Id"].(string))
			}
		}
		return out
	}
	// SOSL lags (Salesforce indexes asynchronously); FindWrite reads SOQL
	// and sObject Rows by External ID, which do not.
	c.indexLag = sb.SetIndexLag
	c.rateLimit = func() sandbox.Fault {
		return sandbox.Fault{Status: http.StatusForbidden,
			Body: `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`}
	}
	c.serverError = func() sandbox.Fault {
		return sandbox.Fault{Status: http.StatusServiceUnavailable,
			Body: `[{"message":"Service temporarily unavailable for maintenance.","errorCode":"SERVER_UNAVAILABLE"}]`}
	}
	// A Case, keyed by crmflow_key__c and found by sObject Rows by External ID.
	c.memorialize = &admin.DataMappingInput{Entity: "Case", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Target: "Subject", Template: "Call about {{dispositionName}}"},
		{Target: "Description", Source: "dispositionNotes"},
	}}
	return c
}
