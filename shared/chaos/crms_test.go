package chaos

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/sandbox"
	sbtable "github.com/crmflow/crmflow/shared/sandbox/sandboxes"
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
	// carrying it, read from the sandbox's store (never its search).
	keyed func() map[string][]string
	// indexLag sets the lag of the sandbox's search index (sandbox.Index);
	// nil when the CRM's driver never searches for its own writes.
	indexLag func(time.Duration)
	// rateLimit and serverError are the CRM's own transient answers.
	rateLimit, serverError func() sandbox.Fault
	// memorialize is the data mapping of the CRM's memorialization jobs;
	// nil when it gets timeline jobs only.
	memorialize *admin.DataMappingInput
}

// constructors are the CRMs under test, one file each (crm_<name>_test.go
// registers its constructor): adding a CRM to the chaos run is one file.
var constructors []func() *crmUnderTest

func register(f func() *crmUnderTest) { constructors = append(constructors, f) }

// crmsUnderTest builds every registered CRM named in only (a
// comma-separated list, spaces allowed; empty is all), in name order, and
// the names in only that no CRM has.
func crmsUnderTest(only string) (crms []*crmUnderTest, unknown []string) {
	var names []string
	for n := range strings.SplitSeq(only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	seen := map[string]bool{}
	for _, f := range constructors {
		c := f()
		seen[c.name] = true
		if len(names) == 0 || slices.Contains(names, c.name) {
			crms = append(crms, c)
		}
	}
	for _, n := range names {
		if !seen[n] {
			unknown = append(unknown, n)
		}
	}
	slices.SortFunc(crms, func(a, b *crmUnderTest) int { return strings.Compare(a.name, b.name) })
	return crms, unknown
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

// TestEveryCRMIsUnderChaos: each CRM of the sandbox table has its chaos
// file. The chaos configurations are their own, not the table's: they pick
// the auth modes whose tokens expire (OAuth for ServiceNow and Zendesk) and
// a non-default Dynamics tenant, to exercise token refresh under faults.
func TestEveryCRMIsUnderChaos(t *testing.T) {
	var got, want []string
	all, _ := crmsUnderTest("")
	for _, c := range all {
		got = append(got, c.name)
	}
	for _, e := range sbtable.All {
		want = append(want, string(e.CRM))
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("chaos covers %v; the sandbox table has %v", got, want)
	}
}
