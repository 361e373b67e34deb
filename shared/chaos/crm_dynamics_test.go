package chaos

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/sandbox"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
	"github.com/crmflow/crmflow/shared/store"
)

func init() { register(dynamicsUnderTest) }

const dynamicsTenant = "chaos.onmicrosoft.com"

var (
	// A timeline phone call's description names the CXone contact.
	phonecallContact = regexp.MustCompile(`(?m)^Contact ID: (chaos-[0-9]+)$`)
	// A memorialized task's description is the job's notes, "Chaos job <i>"
	// for the contact chaos-<i> (planJobs).
	taskNotes = regexp.MustCompile(`^Chaos job ([0-9]+)$`)
)

// dynamicsUnderTest: the driver keeps a write's key in the record's primary
// key (a name-based UUID of the key) and FindWrite reads the row by that id,
// a database read, so no search index is involved (indexLag stays nil).
// The key cannot be read back from the id, so keyed finds each record's job
// through the contact its text names, and counts every record of that job,
// whatever its id: a second record of one job would be a duplicate.
func dynamicsUnderTest() *crmUnderTest {
	sb := dvsandbox.New(dvsandbox.Options{TenantID: dynamicsTenant, ClientID: clientID, ClientSecret: clientSecret})
	c := &crmUnderTest{name: "dynamics", handler: sb.Handler(), expire: sb.ExpireTokens, tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "Dynamics 365", CRM: crm.Dynamics, BaseURL: url, APIVersion: "v9.2",
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: clientID, TokenURL: url + "/" + dynamicsTenant + "/oauth2/v2.0/token"},
			Credentials: &crm.Credentials{ClientSecret: clientSecret}, TimeoutMs: crmTimeoutMs}
	}
	c.person = crm.Ref{Entity: "contact", ID: sb.Records("contact")[0]["contactid"].(string)}
	// Well-formed, unknown: the phone call's party binds to no row, and
	// Dataverse refuses the create (0x80040217).
	c.missing = crm.Ref{Entity: "contact", ID: "6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42"}
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, r := range sb.Records("phonecall") {
			d, _ := r["description"].(string)
			if m := phonecallContact.FindStringSubmatch(d); m != nil {
				k := jobs.JobID(tenant, c.name, m[1], store.ActionTimeline, "timeline_activity")
				out[k] = append(out[k], r["activityid"].(string))
			}
		}
		for _, r := range sb.Records("task") {
			d, _ := r["description"].(string)
			if m := taskNotes.FindStringSubmatch(d); m != nil {
				i, _ := strconv.Atoi(m[1])
				k := jobs.JobID(tenant, c.name, fmt.Sprintf("chaos-%05d", i), store.ActionDataMemorialization, mappingID)
				out[k] = append(out[k], r["activityid"].(string))
			}
		}
		return out
	}
	// Service protection limits (api-limits.md): 429 with Retry-After.
	c.rateLimit = func() sandbox.Fault {
		return sandbox.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}},
			Body: `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`}
	}
	c.serverError = func() sandbox.Fault {
		return sandbox.Fault{Status: http.StatusServiceUnavailable,
			Body: `{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}`}
	}
	c.memorialize = &admin.DataMappingInput{Entity: "task", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Target: "subject", Template: "Call about {{dispositionName}}"},
		{Target: "description", Source: "dispositionNotes"},
	}}
	return c
}
