package chaos

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
	"github.com/crmflow/crmflow/shared/store"
)

func init() { register(oracleUnderTest) }

// oracleThreadKey is the marker the Oracle driver ends a thread with.
var oracleThreadKey = regexp.MustCompile(`\[crmflow:[a-z]+:([^\]]+)\]`)

// oracleUnderTest is an Oracle B2C Service site. Its searches are ROQL on
// the operational database, no search index (shared/crm/oracle doc.go):
// there is no index lag to set.
func oracleUnderTest() *crmUnderTest {
	sb := osvcsandbox.New(osvcsandbox.Options{})
	// Basic auth: no token to expire.
	c := &crmUnderTest{name: "oracle", handler: sb.Handler(), tokenRequests: sb.TokenRequests}
	c.config = func(url string) admin.ConfigurationInput {
		return admin.ConfigurationInput{Name: "Oracle B2C Service", CRM: crm.Oracle, BaseURL: url, APIVersion: "v1.4",
			Auth:        crm.Auth{Type: crm.AuthBasic, Username: osvcsandbox.DefaultUsername, ApplicationContext: "crmflow chaos"},
			Credentials: &crm.Credentials{Password: osvcsandbox.DefaultPassword}, TimeoutMs: crmTimeoutMs}
	}
	c.person = crm.Ref{Entity: "contacts", ID: strconv.FormatInt(sb.Records("contacts")[0], 10)}
	// Well-formed, unknown: the site answers OSC-CREST-00006 "Invalid ID:
	// No such Contact with ID = 999999".
	c.missing = crm.Ref{Entity: "contacts", ID: "999999"}
	c.keyed = func() map[string][]string {
		out := map[string][]string{}
		for _, resource := range []string{"incidents", "tasks"} {
			for _, id := range sb.Records(resource) {
				rec, _ := sb.Record(resource, id)
				keys := map[string]bool{}
				if k, ok := oracleKey(rec); ok {
					keys[k] = true
				}
				threads, _ := rec["threads"].([]any)
				for _, th := range threads {
					text, _ := th.(map[string]any)["text"].(string)
					for _, m := range oracleThreadKey.FindAllStringSubmatch(text, -1) {
						keys[m[1]] = true
					}
				}
				for k := range keys {
					out[k] = append(out[k], strconv.FormatInt(id, 10))
				}
			}
		}
		return out
	}
	c.rateLimit = func() sandbox.Fault { return osvcsandbox.ThrottleFault(1000) }
	c.serverError = osvcsandbox.ServerErrorFault
	c.memorialize = &admin.DataMappingInput{Entity: "tasks", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Target: "name", Template: "Call about {{dispositionName}}"},
	}}
	return c
}

// oracleKey is the job key a record holds in customFields.c.crmflow_key
// (crmflow:<kind>:<key>).
func oracleKey(rec map[string]any) (string, bool) {
	cf, _ := rec["customFields"].(map[string]any)
	c, _ := cf["c"].(map[string]any)
	v, _ := c["crmflow_key"].(string)
	k, ok := strings.CutPrefix(v, "crmflow:")
	if !ok {
		return "", false
	}
	return k[strings.IndexByte(k, ':')+1:], true
}
