package chaos

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
	"github.com/crmflow/crmflow/shared/store"
)

func init() { register(serviceNowUnderTest) }

// serviceNowNoteKey is the marker the ServiceNow driver ends a work note with.
var serviceNowNoteKey = regexp.MustCompile(`\[crmflow:[a-z]+:([^\]]+)\]`)

// serviceNowUnderTest is a ServiceNow instance. Its driver searches, and
// finds its own writes, through Table API conditions only (correlation_id,
// sys_journal_field), filtered reads of the rows with no search index
// (shared/crm/servicenow doc.go, "Exactly once"): there is no index lag to
// set, so indexLag stays nil.
func serviceNowUnderTest() *crmUnderTest {
	sb := snsandbox.New(snsandbox.Options{ClientID: clientID, ClientSecret: clientSecret, Username: snUser, Password: snPassword})
	c := &crmUnderTest{name: "servicenow", handler: sb.Handler(), expire: sb.ExpireTokens, tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "ServiceNow", CRM: crm.ServiceNow, BaseURL: url,
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: clientID, TokenURL: url + "/oauth_token.do"},
			Credentials: &crm.Credentials{ClientSecret: clientSecret}, TimeoutMs: crmTimeoutMs}
	}
	c.person = crm.Ref{Entity: "sys_user", ID: sb.Records("sys_user")[0]["sys_id"]}
	// Jobs link a user: a timeline job makes a closed interaction, a
	// memorialization job an incident; both keep the key in correlation_id
	// (a work note on a linked task record would hold it as [marker]).
	c.keyed = func() map[string][]string {
		keys := map[string]map[string]bool{} // sys_id → keys
		add := func(id, k string) {
			if keys[id] == nil {
				keys[id] = map[string]bool{}
			}
			keys[id][k] = true
		}
		for _, r := range sb.Records("task") {
			// correlation_id is crmflow:<kind>:<key>
			if k, ok := strings.CutPrefix(r["correlation_id"], "crmflow:"); ok {
				add(r["sys_id"], k[strings.IndexByte(k, ':')+1:])
			}
		}
		for _, r := range sb.Records("sys_journal_field") {
			for _, m := range serviceNowNoteKey.FindAllStringSubmatch(r["value"], -1) {
				add(r["element_id"], m[1])
			}
		}
		out := map[string][]string{}
		for id, ks := range keys {
			for k := range ks {
				out[k] = append(out[k], id)
			}
		}
		return out
	}
	c.rateLimit = func() sandbox.Fault {
		return sandbox.Fault{Status: http.StatusTooManyRequests,
			Header: http.Header{"Retry-After": {"1"}, "X-RateLimit-Limit": {"10"}, "X-RateLimit-Rule": {"table-api-hourly"}},
			Body:   `{"error":{"message":"Rate limit exceeded","detail":"Rate limit of 10 requests per hour for Table API exceeded"},"status":"failure"}`}
	}
	c.serverError = func() sandbox.Fault {
		return sandbox.Fault{Status: http.StatusInternalServerError,
			Body: `{"error":{"message":"Internal server error","detail":"The server encountered an unexpected condition"},"status":"failure"}`}
	}
	c.memorialize = &admin.DataMappingInput{Entity: "incident", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Target: "short_description", Template: "Call about {{dispositionName}}"},
		{Target: "description", Source: "dispositionNotes"},
	}}
	return c
}
