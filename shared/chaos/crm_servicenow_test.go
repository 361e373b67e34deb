package chaos

import (
	"net/http"
	"strings"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

func init() { register(serviceNowUnderTest) }

func serviceNowUnderTest() *crmUnderTest {
	sb := snsandbox.New(snsandbox.Options{ClientID: clientID, ClientSecret: clientSecret, Username: snUser, Password: snPassword})
	c := &crmUnderTest{name: "servicenow", handler: sb.Handler(), expire: sb.ExpireTokens, tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "ServiceNow", CRM: crm.ServiceNow, BaseURL: url,
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: clientID, TokenURL: url + "/oauth_token.do"},
			Credentials: &crm.Credentials{ClientSecret: clientSecret}, TimeoutMs: crmTimeoutMs}
	}
	c.person = crm.Ref{Entity: "sys_user", ID: sb.Records("sys_user")[0]["sys_id"]}
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, r := range sb.Records("interaction") {
			// correlation_id is crmflow:<kind>:<key>
			if k, ok := strings.CutPrefix(r["correlation_id"], "crmflow:"); ok {
				k = k[strings.IndexByte(k, ':')+1:]
				out[k] = append(out[k], r["sys_id"])
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
	return c
}
