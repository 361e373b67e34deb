package chaos

import (
	"net/http"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
	"github.com/crmflow/crmflow/shared/store"
)

// Credentials the sandboxes accept; not secrets.
const (
	clientID     = "chaos-client"
	clientSecret = "chaos-secret"
	snUser       = "chaos.integration"
	snPassword   = "chaos-password"
)

// crmUnderTest is one CRM sandbox with what the chaos test needs of it.
type crmUnderTest struct {
	name    string
	handler http.Handler
	// config is the configuration for the sandbox served at url.
	config func(url string) admin.ConfigurationInput
	// person is the record every job links; missing a well-formed id of
	// the same entity that does not exist (the CRM refuses the write), or
	// zero when the CRM has no such refusal worth testing.
	person, missing crm.Ref
	// expire ends every issued access token (OAuth CRMs only).
	expire        func()
	tokenRequests func() int
	// keyed maps each write key found in the CRM to the ids of the records
	// carrying it.
	keyed func() map[string][]string
	// rateLimit and serverError are the CRM's own transient answers.
	rateLimit, serverError func() sandbox.Fault
	// memorialize is the data mapping of the CRM's memorialization jobs;
	// nil when it gets timeline jobs only.
	memorialize *admin.DataMappingInput
}

func crmsUnderTest() []*crmUnderTest {
	return []*crmUnderTest{salesforceUnderTest(), serviceNowUnderTest(), hubSpotUnderTest(), kustomerUnderTest()}
}

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
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, t := range sb.Records("Task") {
			if k, _ := t["CallObject"].(string); k != "" {
				out[k] = append(out[k], t["Id"].(string))
			}
		}
		return out
	}
	c.rateLimit = func() sandbox.Fault {
		return sandbox.Fault{Status: http.StatusForbidden,
			Body: `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`}
	}
	c.serverError = func() sandbox.Fault {
		return sandbox.Fault{Status: http.StatusServiceUnavailable,
			Body: `[{"message":"Service temporarily unavailable for maintenance.","errorCode":"SERVER_UNAVAILABLE"}]`}
	}
	c.memorialize = &admin.DataMappingInput{Entity: "Task", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Target: "Subject", Template: "Call about {{dispositionName}}"},
		{Target: "Description", Source: "dispositionNotes"},
		{Target: "CallDurationInSeconds", Source: "callDurationInSeconds"},
	}}
	return c
}

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

func kustomerUnderTest() *crmUnderTest {
	sb := kussandbox.New(kussandbox.Options{})
	c := &crmUnderTest{name: "kustomer", handler: sb.Handler(), tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "Kustomer", CRM: crm.Kustomer, BaseURL: url, APIVersion: "v1",
			Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: &crm.Credentials{Token: kussandbox.DefaultToken}, TimeoutMs: crmTimeoutMs}
	}
	c.person = crm.Ref{Entity: "customer", ID: sb.IDs("customer")[0]}
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, id := range sb.IDs("message") {
			r, _ := sb.Record(id)
			if k, _ := r["externalId"].(string); k != "" {
				out[k] = append(out[k], id)
			}
		}
		return out
	}
	c.rateLimit = func() sandbox.Fault { return kussandbox.RateLimitFault(time.Now().Add(time.Second)) }
	c.serverError = func() sandbox.Fault {
		return kussandbox.ErrorFault(http.StatusServiceUnavailable, "service_unavailable", "Service Unavailable")
	}
	return c
}

// isTokenRequest is a request to an OAuth token endpoint; faults spare them
// (token expiry is injected on its own).
func isTokenRequest(r *http.Request) bool {
	return strings.Contains(r.URL.Path, "oauth")
}

// isWrite is a request that creates a record (the write a job makes);
// searches and lookups are not.
func isWrite(r *http.Request) bool {
	p := strings.ToLower(r.URL.Path)
	return r.Method == http.MethodPost && !strings.Contains(p, "search") && !strings.Contains(p, "query") && !isTokenRequest(r)
}
