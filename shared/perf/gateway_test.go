package perf_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/localrun"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/workflow"
)

// gatewayParallelism × GOMAXPROCS clients keep the gateway busy.
const gatewayParallelism = 8

// BenchmarkGatewaySearch is the local run's throughput for searches over
// loopback HTTP: a client, the local gateway (route match, the authorizer's
// key lookup, the JSON round trip of the event), the search handler, and the
// Salesforce sandbox answering at once, all on this machine's cores. The
// reference, path=crm-direct, is the driver's same two calls to the sandbox
// from the same number of clients: the sandbox's own ceiling here. req/s is
// the figure; ns/op is its inverse.
func BenchmarkGatewaySearch(b *testing.B) {
	b.Run("path=gateway", func(b *testing.B) {
		e := newEnv(b, crm.Salesforce)
		ctx := context.Background()
		tn, err := e.adm.CreateTenant(ctx, "Perf")
		if err != nil {
			b.Fatal(err)
		}
		key, err := e.adm.CreateKey(ctx, admin.Caller{TenantID: admin.PlatformTenant, Role: store.RolePlatform}, tn.ID, store.RoleStudio)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := e.adm.PutConfiguration(ctx, tn.ID, e.confID, e.config()); err != nil {
			b.Fatal(err)
		}
		gw := httptest.NewServer(localrun.Gateway(localrun.Services{Admin: e.adm, Workflow: e.wf, Keys: e.store}, nil))
		b.Cleanup(gw.Close)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		b.Cleanup(client.CloseIdleConnections)
		body := `{"configurationId":"` + e.confID + `","workflowId":"search_phone","contactId":"5001234","workflowInput":{"phoneNumber":"+1 (415) 555-0100"}}`
		search := func() error {
			req, _ := http.NewRequest(http.MethodPost, gw.URL+"/v1/workflows/search", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+key.Key)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				return &statusError{resp.StatusCode, string(b)}
			}
			return nil
		}
		if err := search(); err != nil { // the cold start
			b.Fatal(err)
		}
		b.SetParallelism(gatewayParallelism)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := search(); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	})
	b.Run("path=crm-direct", func(b *testing.B) {
		e := newEnv(b, crm.Salesforce)
		conn := e.connector()
		variants, _ := phone.Variants("+1 (415) 555-0100")
		search := func() error {
			ctx := context.Background()
			recs, err := conn.SearchByPhone(ctx, crm.PhoneSearch{Variants: variants, Limit: workflow.DefaultSearchLimit})
			if err != nil {
				return err
			}
			_, err = conn.RelatedOpen(ctx, crm.Ref{Entity: recs[0].Entity, ID: recs[0].ID}, 5)
			return err
		}
		if err := search(); err != nil {
			b.Fatal(err)
		}
		b.SetParallelism(gatewayParallelism)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := search(); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	})
}

type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return http.StatusText(e.status) + ": " + e.body }
