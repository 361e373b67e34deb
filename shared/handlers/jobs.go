package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/metrics"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/tracing"
	"github.com/crmflow/crmflow/shared/workflow"
)

// Enqueue serves POST /v1/workflows/timeline and /datamemorialization:
// 202 once the job is durably on its queue.
func Enqueue(svc *jobs.Service) httpapi.Routes {
	route := func(action store.Action) httpapi.Route {
		return httpapi.Route{Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			var req workflow.ExecRequest
			if err := r.Decode(&req); err != nil {
				return httpapi.Response{}, err
			}
			res, err := svc.Enqueue(ctx, r.Principal.TenantID, action, req)
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.Accepted(res), nil
		}}
	}
	return withRoles(httpapi.Routes{
		"POST /v1/workflows/timeline":            route(store.ActionTimeline),
		"POST /v1/workflows/datamemorialization": route(store.ActionDataMemorialization),
		// Retry sends to a job queue, so the function that may send serves it.
		"POST /v1/jobs/{jobId}/retry": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			v, err := svc.Retry(ctx, r.Principal.TenantID, r.Param("jobId"))
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.Accepted(v), nil
		}},
	})
}

// Jobs serves GET /v1/jobs/{jobId} and the list GET /v1/jobs; the card
// function serves them with Card's routes (shared/routes), merged by the caller.
func Jobs(svc *jobs.Service) httpapi.Routes {
	return withRoles(httpapi.Routes{
		"GET /v1/jobs": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			v, err := svc.List(ctx, r.Principal.TenantID, r.Query["status"], r.Query["limit"], r.Query["cursor"])
			return okOr(v, err)
		}},
		"GET /v1/jobs/{jobId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			v, err := svc.Job(ctx, r.Principal.TenantID, r.Param("jobId"))
			return okOr(v, err)
		}},
	})
}

// Consumer is the Lambda handler of an action's queue: the batch runs
// concurrently and the messages to keep come back as partial batch failures.
func Consumer(svc *jobs.Service, action store.Action) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		ctx, flush := metrics.Begin(logx.Invocation(ctx))
		defer flush()
		ctx, end := tracing.Begin(ctx, "consume "+string(action))
		defer end()
		batch := make([]jobs.Delivery, 0, len(ev.Records))
		for _, m := range ev.Records {
			n, _ := strconv.Atoi(m.Attributes["ApproximateReceiveCount"])
			batch = append(batch, jobs.Delivery{MessageID: m.MessageId, Body: m.Body, ReceiptHandle: m.ReceiptHandle,
				QueueURL: QueueURL(m.EventSourceARN), ReceiveCount: n})
		}
		var res events.SQSEventResponse
		for _, id := range svc.Consume(ctx, action, batch) {
			res.BatchItemFailures = append(res.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: id})
		}
		return res, nil
	}
}

// QueueURL is the URL of the queue an SQS ARN names
// (arn:aws:sqs:region:account:name → https://sqs.region.amazonaws.com/account/name);
// "" when arn is not one. SQS (and moto) accept this form for every API call.
func QueueURL(arn string) string {
	p := strings.Split(arn, ":")
	if len(p) != 6 || p[0] != "arn" || p[2] != "sqs" || p[3] == "" || p[4] == "" || p[5] == "" {
		return ""
	}
	host := "sqs." + p[3] + ".amazonaws.com"
	if p[1] == "aws-cn" {
		host += ".cn"
	}
	return "https://" + host + "/" + p[4] + "/" + p[5]
}
