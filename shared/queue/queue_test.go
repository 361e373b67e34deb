package queue_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/internal/mototest"
	"github.com/crmflow/crmflow/shared/queue"
)

func TestMain(m *testing.M) { mototest.Main(m) }

func newSQS(t *testing.T) (*queue.SQS, *sqs.Client) {
	t.Helper()
	client := awsclient.SQS(mototest.Config(t))
	return queue.NewSQS(client), client
}

func createQueue(t *testing.T, q *queue.SQS, o queue.QueueOptions) queue.Queue {
	t.Helper()
	qu, err := q.CreateQueue(context.Background(), mototest.UniqueName(t), o)
	if err != nil {
		t.Fatal(err)
	}
	return qu
}

// eventually polls cond until it holds or a deadline passes; SQS counts are approximate.
func eventually(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached in time", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func wantDepth(t *testing.T, q *queue.SQS, url string, visible, inFlight int) {
	t.Helper()
	v, f, err := q.Depth(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if v != visible || f != inFlight {
		t.Errorf("Depth = %d visible, %d in flight; want %d, %d", v, f, visible, inFlight)
	}
}

func TestCreateQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q, client := newSQS(t)
	cases := []struct {
		name         string
		opts         queue.QueueOptions
		wantRedrive  string // "" = no redrive policy
		wantVisTimeo string
	}{
		{"defaults", queue.QueueOptions{}, "5", "30"},
		{"tuned", queue.QueueOptions{VisibilityTimeout: 90 * time.Second, MaxReceiveCount: 3}, "3", "90"},
		{"no DLQ", queue.QueueOptions{NoDLQ: true}, "", "30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := mototest.UniqueName(t)
			first, err := q.CreateQueue(ctx, name, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			again, err := q.CreateQueue(ctx, name, c.opts)
			if err != nil {
				t.Fatalf("CreateQueue again: %v", err)
			}
			if again != first {
				t.Errorf("CreateQueue again = %+v, want %+v", again, first)
			}
			if first.Name != name || first.URL == "" || first.ARN == "" {
				t.Errorf("queue = %+v, want name, URL and ARN", first)
			}
			attrs, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: &first.URL, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
			if err != nil {
				t.Fatal(err)
			}
			if got := attrs.Attributes["VisibilityTimeout"]; got != c.wantVisTimeo {
				t.Errorf("VisibilityTimeout = %s, want %s", got, c.wantVisTimeo)
			}
			policy := attrs.Attributes["RedrivePolicy"]
			if c.wantRedrive == "" {
				if policy != "" || first.DLQURL != "" || first.DLQARN != "" {
					t.Errorf("NoDLQ queue has redrive policy %q and DLQ %q", policy, first.DLQURL)
				}
				return
			}
			var rp map[string]any
			if err := json.Unmarshal([]byte(policy), &rp); err != nil {
				t.Fatalf("RedrivePolicy %q: %v", policy, err)
			}
			if rp["deadLetterTargetArn"] != first.DLQARN || fmt.Sprint(rp["maxReceiveCount"]) != c.wantRedrive {
				t.Errorf("RedrivePolicy = %s, want the DLQ %s after %s receives", policy, first.DLQARN, c.wantRedrive)
			}
			dlq, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: &first.DLQURL, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameMessageRetentionPeriod}})
			if err != nil {
				t.Fatal(err)
			}
			if got := dlq.Attributes["MessageRetentionPeriod"]; got != "1209600" {
				t.Errorf("DLQ retention = %s s, want 14 days", got)
			}
		})
	}
}

func TestSendReceiveDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q, _ := newSQS(t)
	qu := createQueue(t, q, queue.QueueOptions{})
	before := time.Now().Add(-time.Second)
	sent := map[string]string{} // id → body
	for i := range 3 {
		body := fmt.Sprintf(`{"jobId":"job-%d"}`, i)
		id, err := q.Send(ctx, qu.URL, body, 0)
		if err != nil {
			t.Fatal(err)
		}
		sent[id] = body
	}
	var got []queue.Message
	eventually(t, "receive all three", func() (bool, error) {
		msgs, err := q.Receive(ctx, qu.URL, 10, time.Second, 0)
		got = append(got, msgs...)
		return len(got) == len(sent), err
	})
	for _, m := range got {
		if sent[m.ID] != m.Body {
			t.Errorf("received %s with body %q, sent %q", m.ID, m.Body, sent[m.ID])
		}
		if m.ReceiveCount != 1 || m.ReceiptHandle == "" {
			t.Errorf("message %s: receive count %d, receipt %q; want 1 and a receipt", m.ID, m.ReceiveCount, m.ReceiptHandle)
		}
		if m.SentAt.Before(before) || m.SentAt.After(time.Now().Add(time.Second)) {
			t.Errorf("message %s sent at %s, want about now", m.ID, m.SentAt)
		}
	}
	wantDepth(t, q, qu.URL, 0, 3)
	for _, m := range got {
		if err := q.Delete(ctx, qu.URL, m.ReceiptHandle); err != nil {
			t.Fatal(err)
		}
	}
	wantDepth(t, q, qu.URL, 0, 0)
}

func TestVisibility(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q, _ := newSQS(t)
	qu := createQueue(t, q, queue.QueueOptions{VisibilityTimeout: time.Hour})
	if _, err := q.Send(ctx, qu.URL, "hello", 0); err != nil {
		t.Fatal(err)
	}
	receiveOne := func(wantCount int) queue.Message {
		t.Helper()
		msgs, err := q.Receive(ctx, qu.URL, 1, time.Second, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].ReceiveCount != wantCount {
			t.Fatalf("Receive = %+v, want the message with receive count %d", msgs, wantCount)
		}
		return msgs[0]
	}
	m := receiveOne(1)
	// Hidden for the queue's hour: nothing to receive.
	if msgs, err := q.Receive(ctx, qu.URL, 1, 0, 0); err != nil || len(msgs) != 0 {
		t.Fatalf("Receive of a hidden message = %+v, %v; want nothing", msgs, err)
	}
	wantDepth(t, q, qu.URL, 0, 1)
	// Retry now.
	if err := q.ChangeVisibility(ctx, qu.URL, m.ReceiptHandle, 0); err != nil {
		t.Fatal(err)
	}
	wantDepth(t, q, qu.URL, 1, 0)
	m = receiveOne(2)
	if err := q.Delete(ctx, qu.URL, m.ReceiptHandle); err != nil {
		t.Fatal(err)
	}
}

func TestSendDelay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q, _ := newSQS(t)
	qu := createQueue(t, q, queue.QueueOptions{NoDLQ: true})
	if _, err := q.Send(ctx, qu.URL, "later", time.Minute); err != nil {
		t.Fatal(err)
	}
	if msgs, err := q.Receive(ctx, qu.URL, 1, 0, 0); err != nil || len(msgs) != 0 {
		t.Errorf("Receive of a delayed message = %+v, %v; want nothing yet", msgs, err)
	}
}

func TestInvalidDurations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q, _ := newSQS(t)
	qu := createQueue(t, q, queue.QueueOptions{NoDLQ: true})
	cases := []struct {
		name string
		call func() error
	}{
		{"negative delay", func() error { _, err := q.Send(ctx, qu.URL, "x", -time.Second); return err }},
		{"delay over 15 minutes", func() error { _, err := q.Send(ctx, qu.URL, "x", 16*time.Minute); return err }},
		{"visibility over 12 hours", func() error { return q.ChangeVisibility(ctx, qu.URL, "receipt", 13*time.Hour) }},
		{"queue visibility over 12 hours", func() error {
			_, err := q.CreateQueue(ctx, mototest.UniqueName(t), queue.QueueOptions{VisibilityTimeout: 13 * time.Hour})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.call(); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestDeadLetterAndRedrive: a message received MaxReceiveCount times without
// a delete lands in the DLQ (SQS moves it), and Redrive puts it back.
func TestDeadLetterAndRedrive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q, _ := newSQS(t)
	const receives = 2
	qu := createQueue(t, q, queue.QueueOptions{MaxReceiveCount: receives})
	if _, err := q.Send(ctx, qu.URL, "poison", 0); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= receives; i++ {
		msgs, err := q.Receive(ctx, qu.URL, 1, time.Second, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].ReceiveCount != i {
			t.Fatalf("receive #%d = %+v, want the message", i, msgs)
		}
		// A failed attempt: make it visible again at once.
		if err := q.ChangeVisibility(ctx, qu.URL, msgs[0].ReceiptHandle, 0); err != nil {
			t.Fatal(err)
		}
	}
	// The next receive finds it over the limit and SQS dead-letters it.
	eventually(t, "message in the DLQ", func() (bool, error) {
		msgs, err := q.Receive(ctx, qu.URL, 1, 0, 0)
		if len(msgs) > 0 {
			return false, fmt.Errorf("received %+v again after %d receives", msgs, receives)
		}
		v, _, derr := q.Depth(ctx, qu.DLQURL)
		return v == 1, cmpErr(err, derr)
	})
	wantDepth(t, q, qu.URL, 0, 0)

	moved, err := q.Redrive(ctx, qu.DLQURL, qu.URL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if moved != 1 {
		t.Errorf("Redrive moved %d, want 1", moved)
	}
	wantDepth(t, q, qu.DLQURL, 0, 0)
	msgs, err := q.Receive(ctx, qu.URL, 1, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Body != "poison" || msgs[0].ReceiveCount != 1 {
		t.Errorf("after Redrive, Receive = %+v, want the message back, received once", msgs)
	}
}

func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestRedriveLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q, _ := newSQS(t)
	qu := createQueue(t, q, queue.QueueOptions{})
	for i := range 13 {
		if _, err := q.Send(ctx, qu.DLQURL, fmt.Sprint("dead-", i), 0); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		limit, wantMoved, wantLeft int
	}{
		{2, 2, 11},
		{0, 11, 0}, // all
		{5, 0, 0},  // nothing left
	}
	total := 0
	for _, c := range cases {
		moved, err := q.Redrive(ctx, qu.DLQURL, qu.URL, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if moved != c.wantMoved {
			t.Errorf("Redrive(limit %d) moved %d, want %d", c.limit, moved, c.wantMoved)
		}
		total += moved
		wantDepth(t, q, qu.DLQURL, c.wantLeft, 0)
		wantDepth(t, q, qu.URL, total, 0)
	}
}
