package redrive_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/internal/mototest"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/redrive"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/dynamo"
)

func TestMain(m *testing.M) { mototest.Main(m) }

// world is a moto table and a job queue whose dead-letter queue holds the
// messages of jobs that ran out of receives.
type world struct {
	cfg aws.Config
	q   *queue.SQS
	qu  queue.Queue
	st  *dynamo.Store
}

const tenantID = "tn_acme"

func newWorld(t *testing.T, queueName string) world {
	t.Helper()
	ctx := context.Background()
	cfg := mototest.Config(t)
	table := mototest.UniqueName(t)
	if err := dynamo.CreateTable(ctx, awsclient.DynamoDB(cfg), table); err != nil {
		t.Fatal(err)
	}
	q := queue.NewSQS(awsclient.SQS(cfg))
	qu, err := q.CreateQueue(ctx, queueName, queue.QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return world{cfg: cfg, q: q, qu: qu, st: dynamo.New(awsclient.DynamoDB(cfg), table)}
}

// deadLetter stores a job with status and puts its message in the DLQ, as
// SQS does after maxReceiveCount receives.
func (w world) deadLetter(t *testing.T, jobID, status string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	j := store.Job{TenantID: tenantID, ID: jobID, Action: store.ActionTimeline, Status: status, ConfigurationID: "sf-main",
		ContactID: "5001234", WorkflowID: "timeline_activity", Attempts: 5, LastError: "salesforce: 503", Created: now, Updated: now}
	if _, err := w.st.PutJobIfAbsent(ctx, j); err != nil {
		t.Fatal(err)
	}
	w.sendDLQ(t, `{"tenantId":"`+tenantID+`","jobId":"`+jobID+`"}`)
}

func (w world) sendDLQ(t *testing.T, body string) {
	t.Helper()
	if _, err := w.q.Send(context.Background(), w.qu.DLQURL, body, 0); err != nil {
		t.Fatal(err)
	}
}

func (w world) status(t *testing.T, jobID string) string {
	t.Helper()
	j, err := w.st.GetJob(context.Background(), tenantID, jobID)
	if err != nil {
		t.Fatal(err)
	}
	return j.Status
}

// drain receives every message of url and returns their bodies, sorted.
func (w world) drain(t *testing.T, url string) []string {
	t.Helper()
	var bodies []string
	for {
		msgs, err := w.q.Receive(context.Background(), url, 10, time.Second, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 {
			slices.Sort(bodies)
			return bodies
		}
		for _, m := range msgs {
			bodies = append(bodies, m.Body)
		}
	}
}

// redriveAll resolves t and moves up to max dead letters back, resetting
// jobs when reset is set: what ./scripts/redrive does.
func (w world) redriveAll(t *testing.T, target redrive.Target, reset bool, max int, out io.Writer) (redrive.Result, error) {
	t.Helper()
	ctx := context.Background()
	from, to, err := redrive.Resolve(ctx, awsclient.SQS(w.cfg), target)
	if err != nil {
		return redrive.Result{}, err
	}
	m := &redrive.Mover{Queue: w.q, Out: out}
	if reset {
		m.Jobs = w.st
	}
	return m.Move(ctx, from, to, max)
}

func body(jobID string) string { return `{"tenantId":"` + tenantID + `","jobId":"` + jobID + `"}` }

// TestRedriveResetsJobs: every dead letter goes back to the queue; jobs that
// were deadlettered are queued again, others keep their status, and a message
// naming no job is moved with a warning.
func TestRedriveResetsJobs(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mototest.UniqueName(t))
	w.deadLetter(t, "job_a", store.JobDeadlettered)
	w.deadLetter(t, "job_b", store.JobDeadlettered)
	w.deadLetter(t, "job_done", store.JobSucceeded)
	w.sendDLQ(t, `{"tenantId":"`+tenantID+`","jobId":"job_gone"}`)
	w.sendDLQ(t, "not json")

	var out bytes.Buffer
	res, err := w.redriveAll(t, redrive.Target{URL: w.qu.URL}, true, 0, &out)
	if err != nil {
		t.Fatalf("redrive: %v\n%s", err, out.String())
	}
	if res != (redrive.Result{Moved: 5, Reset: 2}) {
		t.Errorf("result = %+v, want 5 moved, 2 reset", res)
	}
	want := []string{body("job_a"), body("job_b"), body("job_done"), body("job_gone"), "not json"}
	slices.Sort(want)
	if got := w.drain(t, w.qu.URL); !slices.Equal(got, want) {
		t.Errorf("queue holds %q, want %q", got, want)
	}
	if got := w.drain(t, w.qu.DLQURL); len(got) != 0 {
		t.Errorf("DLQ still holds %q", got)
	}
	for id, want := range map[string]string{"job_a": store.JobQueued, "job_b": store.JobQueued, "job_done": store.JobSucceeded} {
		if got := w.status(t, id); got != want {
			t.Errorf("%s status = %s, want %s", id, got, want)
		}
	}
	j, _ := w.st.GetJob(context.Background(), tenantID, "job_a")
	if j.LastError != "salesforce: 503" || j.Attempts != 5 {
		t.Errorf("reset job = %+v; want its last error and attempts kept", j)
	}
	for _, line := range []string{"job_gone of tenant " + tenantID + " not found", "names no job", "job_done is succeeded"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
}

func TestRedriveOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		target     func(w world, name string) redrive.Target
		reset      bool
		max        int
		wantMoved  int // messages back on the job queue
		wantStatus string
	}{
		{"by name, no reset: statuses untouched", func(w world, name string) redrive.Target {
			return redrive.Target{Name: name}
		}, false, 0, 3, store.JobDeadlettered},
		{"at most 2", func(w world, name string) redrive.Target {
			return redrive.Target{URL: w.qu.URL}
		}, true, 2, 2, ""},
		{"explicit dead-letter queue", func(w world, name string) redrive.Target {
			return redrive.Target{URL: w.qu.URL, DLQURL: w.qu.DLQURL}
		}, true, 0, 3, store.JobQueued},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			name := mototest.UniqueName(t)
			w := newWorld(t, name)
			ids := []string{"job_1", "job_2", "job_3"}
			for _, id := range ids {
				w.deadLetter(t, id, store.JobDeadlettered)
			}
			res, err := w.redriveAll(t, tc.target(w, name), tc.reset, tc.max, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if res.Moved != tc.wantMoved {
				t.Errorf("Moved = %d, want %d", res.Moved, tc.wantMoved)
			}
			moved := w.drain(t, w.qu.URL)
			left := w.drain(t, w.qu.DLQURL)
			if len(moved) != tc.wantMoved || len(moved)+len(left) != len(ids) {
				t.Errorf("moved %d and left %d, want %d moved of %d", len(moved), len(left), tc.wantMoved, len(ids))
			}
			if tc.wantStatus != "" {
				for _, id := range ids {
					if got := w.status(t, id); got != tc.wantStatus {
						t.Errorf("%s status = %s, want %s", id, got, tc.wantStatus)
					}
				}
			}
			// Only the jobs whose messages moved are reset.
			if tc.wantStatus == "" {
				queued := 0
				for _, id := range ids {
					if w.status(t, id) == store.JobQueued {
						queued++
					}
				}
				if queued != tc.wantMoved {
					t.Errorf("%d jobs queued, want %d (one per moved message)", queued, tc.wantMoved)
				}
			}
		})
	}
}

func TestResolveRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := mototest.Config(t)
	q := queue.NewSQS(awsclient.SQS(cfg))
	plain, err := q.CreateQueue(ctx, mototest.UniqueName(t), queue.QueueOptions{NoDLQ: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		target redrive.Target
		want   string
	}{
		{"queue without a dead-letter queue", redrive.Target{URL: plain.URL}, "name it with -from"},
		{"missing queue", redrive.Target{Name: "no-such-queue-" + mototest.UniqueName(t)}, "find queue"},
		{"name and URL", redrive.Target{Name: "a", URL: plain.URL}, "not both"},
		{"nothing", redrive.Target{}, "no job queue"},
	}
	for _, tc := range tests {
		_, _, err := redrive.Resolve(ctx, awsclient.SQS(cfg), tc.target)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Resolve = %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}
