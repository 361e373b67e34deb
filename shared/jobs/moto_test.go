package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/internal/mototest"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/sandbox"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/dynamo"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	mototest.Main(m)
}

// motoEnv is env on moto: the DynamoDB store and a real SQS queue with its
// dead-letter queue, the consumer driven through its Lambda handler.
type motoEnv struct {
	*env
	sqs      *queue.SQS
	q        queue.Queue
	consumer func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)
}

func newMotoEnv(t *testing.T, maxReceives int) *motoEnv {
	cfg := mototest.Config(t)
	ddb := awsclient.DynamoDB(cfg)
	table := mototest.UniqueName(t)
	if err := dynamo.CreateTable(context.Background(), ddb, table); err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, dynamo.New(ddb, table))
	sqs := queue.NewSQS(awsclient.SQS(cfg))
	q, err := sqs.CreateQueue(context.Background(), mototest.UniqueName(t), queue.QueueOptions{VisibilityTimeout: 30 * time.Second, MaxReceiveCount: maxReceives})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = jobs.New(jobs.Options{Store: e.st, Queue: sqs, Connections: e.wf, MaxReceiveCount: maxReceives, BaseBackoff: time.Second,
		QueueURLs: map[store.Action]string{store.ActionTimeline: q.URL}})
	return &motoEnv{env: e, sqs: sqs, q: q, consumer: handlers.Consumer(e.svc, store.ActionTimeline)}
}

// pump is the Lambda event source: one receive, the handler, then deletes of
// every message not reported failed. It returns how many it received.
func (m *motoEnv) pump(t *testing.T) int {
	t.Helper()
	msgs, err := m.sqs.Receive(context.Background(), m.q.URL, 10, 2*time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	ev := events.SQSEvent{}
	for _, msg := range msgs {
		ev.Records = append(ev.Records, events.SQSMessage{MessageId: msg.ID, ReceiptHandle: msg.ReceiptHandle, Body: msg.Body,
			EventSourceARN: m.q.ARN, Attributes: map[string]string{"ApproximateReceiveCount": strconv.Itoa(msg.ReceiveCount)}})
	}
	res, err := m.consumer(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]bool{}
	for _, f := range res.BatchItemFailures {
		failed[f.ItemIdentifier] = true
	}
	for _, msg := range msgs {
		if !failed[msg.ID] {
			if err := m.sqs.Delete(context.Background(), m.q.URL, msg.ReceiptHandle); err != nil {
				t.Fatal(err)
			}
		}
	}
	return len(msgs)
}

// until pumps until the job reaches status.
func (m *motoEnv) until(t *testing.T, jobID, status string) store.Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		m.pump(t)
		j, err := m.st.GetJob(context.Background(), tenant, jobID)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status == status {
			return j
		}
	}
	t.Fatalf("job %s never reached %s", jobID, status)
	return store.Job{}
}

// TestMotoTransientThenSuccess: enqueue → SQS → consumer → sandbox, with a
// 503 first: the message comes back after its backoff and succeeds once.
func TestMotoTransientThenSuccess(t *testing.T) {
	t.Parallel()
	m := newMotoEnv(t, 5)
	m.pinJane()
	m.sf.Inject(sandbox.Fault{Match: "/services/data/v62.0/sobjects/Task", Method: "POST", Times: 1, Status: 503,
		Body: `[{"errorCode":"SERVER_UNAVAILABLE","message":"maintenance"}]`})
	ref := m.enqueue(store.ActionTimeline, timelineReq())
	m.enqueue(store.ActionTimeline, timelineReq()) // the same request again: one job
	j := m.until(t, ref.JobID, store.JobSucceeded)
	if j.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", j.Attempts)
	}
	// The duplicate message waits out the first consumer's lease in flight;
	// when it comes back it finds the job done.
	m.pump(t)
	m.wantOneTask(ref.JobID)
}

// TestMotoDeadLetterAndRedrive: a CRM down for good exhausts the receives;
// the job is deadlettered and SQS moves the message to the DLQ; a redrive
// once the CRM is back writes it, once.
func TestMotoDeadLetterAndRedrive(t *testing.T) {
	t.Parallel()
	m := newMotoEnv(t, 2)
	m.pinJane()
	m.sf.Inject(sandbox.Fault{Match: "/services/data/v62.0/sobjects/Task", Method: "POST", Status: 503,
		Body: `[{"errorCode":"SERVER_UNAVAILABLE","message":"maintenance"}]`})
	ref := m.enqueue(store.ActionTimeline, timelineReq())
	j := m.until(t, ref.JobID, store.JobDeadlettered)
	if j.Attempts != 2 || j.LastError == "" {
		t.Errorf("job = %+v", j)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		m.pump(t) // the receive past maxReceiveCount moves it
		if v, _, _ := m.sqs.Depth(context.Background(), m.q.DLQURL); v == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("message never reached the DLQ")
		}
	}
	m.sf.ClearFaults()
	if n, err := m.sqs.Redrive(context.Background(), m.q.DLQURL, m.q.URL, 0); err != nil || n != 1 {
		t.Fatalf("Redrive = %d, %v", n, err)
	}
	j = m.until(t, ref.JobID, store.JobSucceeded)
	m.wantOneTask(ref.JobID)
	if j.Attempts != 3 {
		t.Errorf("attempts = %d, want 3", j.Attempts)
	}
}
