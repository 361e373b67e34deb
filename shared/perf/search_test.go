package perf_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/workflow"
)

// searchLatencies are the CRM answer times the warm search is measured at:
// zero shows crmflow's own cost, 20 ms is a fast real CRM.
var searchLatencies = []time.Duration{0, 20 * time.Millisecond}

// BenchmarkWarmSearch compares the warm search Lambda handler (API Gateway
// event in, response out: auth context, validation, cached configuration,
// connector and token, CRM calls, card write, JSON logging) with the same CRM
// work done by the driver alone, the way the handler has it done: the phone
// search with the single match's open cases (crm.SearchByPhoneWithRelated:
// one composite request for Salesforce). dbreads/op, dbwrites/op and secretreads/op count the
// in-memory adapters' calls; on a warm handler they are what DynamoDB and
// Secrets Manager would be asked.
func BenchmarkWarmSearch(b *testing.B) {
	for _, lat := range searchLatencies {
		b.Run(fmt.Sprintf("crm=%dms/path=handler", lat.Milliseconds()), func(b *testing.B) {
			e := newEnv(b, crm.Salesforce)
			e.sb.SetLatency(lat)
			h := httpapi.Lambda(handlers.Search(e.wf))
			ev := searchEvent(b, e.confID)
			search := func() {
				resp, err := h(context.Background(), ev)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("search: %d %s %v", resp.StatusCode, resp.Body, err)
				}
			}
			search() // the cold start: configuration, workflow, secret, token
			r0, w0, s0 := e.store.Reads(), e.store.Writes(), e.secrets.Reads()
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				search()
				n++
			}
			b.ReportMetric(float64(e.store.Reads()-r0)/float64(n), "dbreads/op")
			b.ReportMetric(float64(e.store.Writes()-w0)/float64(n), "dbwrites/op")
			b.ReportMetric(float64(e.secrets.Reads()-s0)/float64(n), "secretreads/op")
		})
		b.Run(fmt.Sprintf("crm=%dms/path=raw", lat.Milliseconds()), func(b *testing.B) {
			e := newEnv(b, crm.Salesforce)
			e.sb.SetLatency(lat)
			conn := e.connector()
			variants, _ := phone.Variants("+1 (415) 555-0100")
			ctx := context.Background()
			search := func() {
				res, err := crm.SearchByPhoneWithRelated(ctx, conn, crm.PhoneSearch{Variants: variants, Limit: workflow.DefaultSearchLimit}, 5)
				if err != nil || len(res.Records) != 1 || res.RelatedErr != nil {
					b.Fatalf("%+v %v", res, err)
				}
			}
			search() // the token
			b.ReportAllocs()
			for b.Loop() {
				search()
			}
		})
	}
}

// BenchmarkTokenRequests is a cold Lambda taking 1,000 searches from 20
// concurrent callers (one op = the 1,000), for each CRM whose connector gets
// tokens from a token endpoint. The sandbox answers after 20 ms, so the
// first callers all arrive before any token does. token-requests/1000 counts
// what reached the token endpoint; sandbox tokens outlive the run, so the
// target is 1.
func BenchmarkTokenRequests(b *testing.B) {
	for _, c := range crmCases {
		if c.tokenAt == "" {
			continue
		}
		b.Run("crm="+string(c.typ), func(b *testing.B) {
			e := newEnv(b, c.typ)
			e.sb.SetLatency(20 * time.Millisecond)
			req := searchRequest(e.confID)
			tokens, runs := 0, 0
			for b.Loop() {
				wf := e.newWorkflow()
				before := e.sb.CallsPrefix(c.tokenAt)
				var wg sync.WaitGroup
				work := make(chan struct{}, 1000)
				for range 1000 {
					work <- struct{}{}
				}
				close(work)
				for range 20 {
					wg.Go(func() {
						for range work {
							if _, err := wf.Search(context.Background(), tenant, req); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				tokens += e.sb.CallsPrefix(c.tokenAt) - before
				runs++
			}
			b.ReportMetric(float64(tokens)/float64(runs), "token-requests/1000")
		})
	}
}

func searchEvent(tb testing.TB, confID string) events.APIGatewayV2HTTPRequest {
	tb.Helper()
	body := `{"configurationId":"` + confID + `","workflowId":"search_phone","contactId":"5001234","workflowInput":{"phoneNumber":"+1 (415) 555-0100"}}`
	return events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/workflows/search", RawPath: "/v1/workflows/search", Body: body,
		Headers: map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "perf", RouteKey: "POST /v1/workflows/search",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/v1/workflows/search"},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: map[string]any{
				httpapi.CtxTenantID: tenant, httpapi.CtxRole: "studio", httpapi.CtxKeyID: "k"}}}}
}
