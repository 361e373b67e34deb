package handlers

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
)

func TestQueueURL(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:sqs:eu-west-1:123456789012:crmflow-prod-Timeline": "https://sqs.eu-west-1.amazonaws.com/123456789012/crmflow-prod-Timeline",
		"arn:aws-cn:sqs:cn-north-1:123456789012:q":                 "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q",
		"arn:aws:sns:eu-west-1:123456789012:topic":                 "",
		"": "",
	} {
		if got := QueueURL(arn); got != want {
			t.Errorf("QueueURL(%q) = %q, want %q", arn, got, want)
		}
	}
}

type visibilityLog struct{ urls []string }

func (v *visibilityLog) Send(context.Context, string, string, time.Duration) (string, error) {
	return "m", nil
}
func (v *visibilityLog) ChangeVisibility(_ context.Context, url, _ string, _ time.Duration) error {
	v.urls = append(v.urls, url)
	return nil
}

// TestConsumerPartialBatch: a poison message is done, a job another consumer
// holds is reported failed (kept), with its visibility changed on the queue
// the event came from.
func TestConsumerPartialBatch(t *testing.T) {
	st := memory.New()
	now := time.Now()
	if _, err := st.PutJobIfAbsent(context.Background(), store.Job{TenantID: "tn_1", ID: "job_held", Action: store.ActionTimeline, Status: store.JobQueued}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ClaimJob(context.Background(), "tn_1", "job_held", "other", now, time.Minute); err != nil {
		t.Fatal(err)
	}
	vis := &visibilityLog{}
	consume := Consumer(jobs.New(jobs.Options{Store: st, Queue: vis}), store.ActionTimeline)
	arn := "arn:aws:sqs:us-east-1:123456789012:timeline"
	res, err := consume(context.Background(), events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "poison", Body: "not json", EventSourceARN: arn, Attributes: map[string]string{"ApproximateReceiveCount": "1"}},
		{MessageId: "held", Body: `{"tenantId":"tn_1","jobId":"job_held"}`, ReceiptHandle: "rh", EventSourceARN: arn,
			Attributes: map[string]string{"ApproximateReceiveCount": "1"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.BatchItemFailures) != 1 || res.BatchItemFailures[0].ItemIdentifier != "held" {
		t.Errorf("failures = %+v, want only held", res.BatchItemFailures)
	}
	if len(vis.urls) != 1 || vis.urls[0] != QueueURL(arn) {
		t.Errorf("visibility changed on %v", vis.urls)
	}
}

func TestJobsRoute(t *testing.T) {
	st := memory.New()
	j := store.Job{TenantID: "tn_1", ID: "job_1", Action: store.ActionTimeline, Status: store.JobQueued, ConfigurationID: "c", ContactID: "5001"}
	if _, err := st.PutJobIfAbsent(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	h := httpapi.Lambda(Jobs(jobs.New(jobs.Options{Store: st})))
	get := func(tenant, role, id string) events.APIGatewayV2HTTPResponse {
		ev := events.APIGatewayV2HTTPRequest{RouteKey: "GET /v1/jobs/{jobId}", PathParameters: map[string]string{"jobId": id}}
		ev.RequestContext.HTTP.Method = "GET"
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			Lambda: map[string]any{httpapi.CtxTenantID: tenant, httpapi.CtxRole: role, httpapi.CtxKeyID: "k"}}
		res, err := h(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := get("tn_1", "studio", "job_1")
	var v jobs.View
	if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &v) != nil || v.Status != store.JobQueued || v.CRMRecordIDs == nil {
		t.Errorf("GET = %d %s", res.StatusCode, res.Body)
	}
	for _, c := range []struct {
		tenant, role, id string
		status           int
	}{{"tn_2", "studio", "job_1", 404}, {"tn_1", "studio", "job_2", 404}, {"tn_1", "agent", "job_1", 403}, {"tn_1", "admin", "job_1", 200}, {"tn_2", "admin", "job_1", 404}} {
		if res := get(c.tenant, c.role, c.id); res.StatusCode != c.status {
			t.Errorf("%+v: %d %s", c, res.StatusCode, res.Body)
		}
	}
}
