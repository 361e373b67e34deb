package sandboxes

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/drivers"
)

// TestEveryDriverHasASandbox: the table and the registry name the same
// CRMs, and each row's configuration is one its driver accepts and reaches
// its sandbox with (a Ping through the configured auth).
func TestEveryDriverHasASandbox(t *testing.T) {
	reg := drivers.Registry()
	var rows []crm.Type
	for _, e := range All {
		rows = append(rows, e.CRM)
	}
	slices.Sort(rows)
	if !slices.Equal(rows, reg.Types()) {
		t.Fatalf("sandbox rows %v, registered drivers %v", rows, reg.Types())
	}
	for _, e := range All {
		t.Run(string(e.CRM), func(t *testing.T) {
			sb := e.Start()
			srv := httptest.NewServer(sb.Handler)
			defer srv.Close()
			in := e.Config(srv.URL)
			if in.CRM != e.CRM || in.Credentials == nil || e.Mapping.Entity == "" || sb.Controls == nil || sb.Server == nil {
				t.Fatalf("incomplete row %+v", in)
			}
			conn, err := reg.New(crm.Config{ConfigurationID: "c1", Type: in.CRM, BaseURL: in.BaseURL, APIVersion: in.APIVersion,
				Auth: in.Auth, Credentials: *in.Credentials}, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			in2, ok := conn.(crm.Inspector)
			if !ok {
				t.Fatal("no Inspector")
			}
			if err := in2.Ping(t.Context()); err != nil {
				t.Fatalf("Ping: %v", err)
			}
			if (e.TokenAt != "") != (sb.TokenRequests() > 0) {
				t.Errorf("TokenAt %q after %d token requests", e.TokenAt, sb.TokenRequests())
			}
		})
	}
}
