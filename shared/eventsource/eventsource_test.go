package eventsource_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/eventsource"
	"github.com/crmflow/crmflow/shared/internal/mototest"
	"github.com/crmflow/crmflow/shared/queue"
)

func TestMain(m *testing.M) { mototest.Main(m) }

// fixture is a moto queue (1 s visibility) with its DLQ.
type fixture struct {
	q      *queue.SQS
	qu     queue.Queue
	region string
}

func newFixture(t *testing.T, maxReceives int) fixture {
	t.Helper()
	cfg := mototest.Config(t)
	q := queue.NewSQS(awsclient.SQS(cfg))
	qu, err := q.CreateQueue(context.Background(), mototest.UniqueName(t),
		queue.QueueOptions{VisibilityTimeout: time.Second, MaxReceiveCount: maxReceives})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{q: q, qu: qu, region: cfg.Region}
}

func (f fixture) send(t *testing.T, bodies ...string) {
	t.Helper()
	for _, b := range bodies {
		if _, err := f.q.Send(context.Background(), f.qu.URL, b, 0); err != nil {
			t.Fatal(err)
		}
	}
}

// recorder is a handler that remembers every record it was given and
// answers as decide says.
type recorder struct {
	mu      sync.Mutex
	records []events.SQSMessage
	decide  func(ev events.SQSEvent) (events.SQSEventResponse, error)
}

func (r *recorder) handle(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	r.mu.Lock()
	r.records = append(r.records, ev.Records...)
	r.mu.Unlock()
	return r.decide(ev)
}

// deliveries counts the deliveries of each body.
func (r *recorder) deliveries() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for _, m := range r.records {
		out[m.Body]++
	}
	return out
}

func (r *recorder) all() []events.SQSMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]events.SQSMessage(nil), r.records...)
}

// run starts p and returns a stop that cancels it and waits for Run to return.
func run(t *testing.T, p *eventsource.Poller) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run = %v, want nil after cancel", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after its context was cancelled")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func (f fixture) poller(h eventsource.Handler) *eventsource.Poller {
	// Panics and failures are expected here: keep their logs out of the test output.
	return &eventsource.Poller{Queue: f.q, URL: f.qu.URL, Region: f.region, BatchSize: 10, Handler: h,
		Logger: slog.New(slog.DiscardHandler)}
}

// eventually polls cond until it holds or a deadline passes.
func eventually(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
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

func (f fixture) total(url string) (int, error) {
	v, inFlight, err := f.q.Depth(context.Background(), url)
	return v + inFlight, err
}

func (f fixture) wantTotal(t *testing.T, url string, want int) {
	t.Helper()
	eventually(t, "queue holds "+strconv.Itoa(want), func() (bool, error) {
		n, err := f.total(url)
		return n == want, err
	})
}

func seenAll(r *recorder, bodies ...string) func() (bool, error) {
	return func() (bool, error) {
		d := r.deliveries()
		for _, b := range bodies {
			if d[b] == 0 {
				return false, nil
			}
		}
		return true, nil
	}
}

func failBodies(bodies ...string) func(events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ev events.SQSEvent) (events.SQSEventResponse, error) {
		var res events.SQSEventResponse
		for _, m := range ev.Records {
			for _, b := range bodies {
				if m.Body == b {
					res.BatchItemFailures = append(res.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
				}
			}
		}
		return res, nil
	}
}

// TestBatchOutcomes: what stays on the queue after one delivery, by what the
// handler answered.
func TestBatchOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		decide func(events.SQSEvent) (events.SQSEventResponse, error)
		remain int
	}{
		{"success deletes all", failBodies(), 0},
		{"partial failure keeps the failed one", failBodies("b"), 1},
		{"handler error keeps all", func(events.SQSEvent) (events.SQSEventResponse, error) {
			return events.SQSEventResponse{}, errors.New("crm down")
		}, 3},
		{"panic keeps all", func(events.SQSEvent) (events.SQSEventResponse, error) { panic("consumer bug") }, 3},
		{"failure naming no record keeps all", func(events.SQSEvent) (events.SQSEventResponse, error) {
			return events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{ItemIdentifier: ""}}}, nil
		}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, 5)
			f.send(t, "a", "b", "c")
			r := &recorder{decide: tc.decide}
			stop := run(t, f.poller(r.handle))
			eventually(t, "every message delivered", seenAll(r, "a", "b", "c"))
			stop() // the batch in hand is settled once Run returns
			f.wantTotal(t, f.qu.URL, tc.remain)
			f.wantTotal(t, f.qu.DLQURL, 0)
		})
	}
}

// TestEventAsLambdaBuildsIt: records carry what Lambda's SQS events carry.
func TestEventAsLambdaBuildsIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	before := time.Now().Add(-time.Minute)
	f.send(t, `{"tenantId":"tn_1","jobId":"job_1"}`)
	r := &recorder{decide: failBodies()}
	stop := run(t, f.poller(r.handle))
	eventually(t, "message delivered", func() (bool, error) { return len(r.all()) == 1, nil })
	stop()
	m := r.all()[0]
	sum := md5.Sum([]byte(m.Body))
	sent, err := strconv.ParseInt(m.Attributes["SentTimestamp"], 10, 64)
	if err != nil || time.UnixMilli(sent).Before(before) {
		t.Errorf("SentTimestamp = %q, want milliseconds since the epoch of the send", m.Attributes["SentTimestamp"])
	}
	checks := []struct{ name, got, want string }{
		{"body", m.Body, `{"tenantId":"tn_1","jobId":"job_1"}`},
		{"eventSource", m.EventSource, "aws:sqs"},
		{"eventSourceARN", m.EventSourceARN, f.qu.ARN},
		{"awsRegion", m.AWSRegion, f.region},
		{"md5OfBody", m.Md5OfBody, hex.EncodeToString(sum[:])},
		{"ApproximateReceiveCount", m.Attributes["ApproximateReceiveCount"], "1"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if m.MessageId == "" || m.ReceiptHandle == "" || m.MessageAttributes == nil {
		t.Errorf("record %+v: want messageId, receiptHandle and messageAttributes {}", m)
	}
}

// TestFailedMessageComesBack: a failed record reappears after its visibility
// timeout, one receive older, and is deleted once handled.
func TestFailedMessageComesBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	f.send(t, "a", "b", "c")
	var mu sync.Mutex
	failedOnce := false
	r := &recorder{}
	r.decide = func(ev events.SQSEvent) (events.SQSEventResponse, error) {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range ev.Records {
			if m.Body == "b" && !failedOnce {
				failedOnce = true
				return failBodies("b")(ev)
			}
		}
		return events.SQSEventResponse{}, nil
	}
	run(t, f.poller(r.handle))
	eventually(t, "b delivered twice", func() (bool, error) { return r.deliveries()["b"] == 2, nil })
	f.wantTotal(t, f.qu.URL, 0)
	counts := map[string][]string{}
	for _, m := range r.all() {
		counts[m.Body] = append(counts[m.Body], m.Attributes["ApproximateReceiveCount"])
	}
	want := map[string][]string{"a": {"1"}, "b": {"1", "2"}, "c": {"1"}}
	if !maps.EqualFunc(counts, want, slices.Equal) {
		t.Errorf("receive counts by body = %v, want %v (a and c deleted after success)", counts, want)
	}
}

// TestPanicIsContained: a panicking handler fails its batch and the poller
// carries on; the retried messages then succeed.
func TestPanicIsContained(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5)
	f.send(t, "a", "b")
	r := &recorder{decide: func(ev events.SQSEvent) (events.SQSEventResponse, error) {
		for _, m := range ev.Records {
			if m.Attributes["ApproximateReceiveCount"] == "1" {
				panic("first delivery explodes")
			}
		}
		return events.SQSEventResponse{}, nil
	}}
	stop := run(t, f.poller(r.handle))
	eventually(t, "both delivered again", func() (bool, error) {
		d := r.deliveries()
		return d["a"] >= 2 && d["b"] >= 2, nil
	})
	f.wantTotal(t, f.qu.URL, 0)
	stop()
}

// TestPoisonMessageEndsInDLQ: a message failing maxReceiveCount times is moved
// to the dead-letter queue by the queue's redrive policy, and the others flow.
func TestPoisonMessageEndsInDLQ(t *testing.T) {
	t.Parallel()
	const maxReceives = 2
	f := newFixture(t, maxReceives)
	f.send(t, "poison", "fine")
	r := &recorder{decide: failBodies("poison")}
	run(t, f.poller(r.handle))
	eventually(t, "poison in the DLQ", func() (bool, error) {
		v, _, err := f.q.Depth(context.Background(), f.qu.DLQURL)
		return v == 1, err
	})
	f.wantTotal(t, f.qu.URL, 0)
	if d := r.deliveries(); d["poison"] != maxReceives || d["fine"] != 1 {
		t.Errorf("deliveries = %v; want poison %d times, fine once", d, maxReceives)
	}
	msgs, err := f.q.Receive(context.Background(), f.qu.DLQURL, 1, time.Second, 0)
	if err != nil || len(msgs) != 1 || msgs[0].Body != "poison" {
		t.Errorf("DLQ holds %+v (%v), want the poison message", msgs, err)
	}
}

func TestRunRefusesABadPoller(t *testing.T) {
	h := func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
		return events.SQSEventResponse{}, nil
	}
	q := queue.NewSQS(nil)
	const url = "http://127.0.0.1:5000/123456789012/jobs"
	tests := []struct {
		name string
		p    eventsource.Poller
	}{
		{"no queue", eventsource.Poller{URL: url, Handler: h}},
		{"no url", eventsource.Poller{Queue: q, Handler: h}},
		{"no handler", eventsource.Poller{Queue: q, URL: url}},
		{"batch over 10", eventsource.Poller{Queue: q, URL: url, Handler: h, BatchSize: 11}},
		{"negative batch", eventsource.Poller{Queue: q, URL: url, Handler: h, BatchSize: -1}},
		{"negative visibility", eventsource.Poller{Queue: q, URL: url, Handler: h, Visibility: -time.Second}},
		{"url without a queue name", eventsource.Poller{Queue: q, URL: "http://127.0.0.1:5000/", Handler: h}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.p.Run(context.Background()); err == nil {
				t.Error("Run = nil, want an error")
			}
		})
	}
}

func TestSucceeded(t *testing.T) {
	ev := events.SQSEvent{Records: []events.SQSMessage{{MessageId: "1"}, {MessageId: "2"}, {MessageId: "3"}}}
	fail := func(ids ...string) events.SQSEventResponse {
		var r events.SQSEventResponse
		for _, id := range ids {
			r.BatchItemFailures = append(r.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: id})
		}
		return r
	}
	tests := []struct {
		name string
		res  events.SQSEventResponse
		err  error
		want []string
	}{
		{"no failures", fail(), nil, []string{"1", "2", "3"}},
		{"one failure", fail("2"), nil, []string{"1", "3"}},
		{"same failure twice", fail("2", "2"), nil, []string{"1", "3"}},
		{"all failed", fail("1", "2", "3"), nil, nil},
		{"error", fail(), errors.New("boom"), nil},
		{"error with failures", fail("1"), errors.New("boom"), nil},
		{"empty identifier", fail(""), nil, nil},
		{"unknown identifier", fail("9"), nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range eventsource.Succeeded(ev, tc.res, tc.err) {
				got = append(got, m.MessageId)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Succeeded = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSourceOf(t *testing.T) {
	tests := []struct {
		url, region         string
		wantARN, wantRegion string
	}{
		{"https://sqs.eu-west-1.amazonaws.com/123456789012/crmflow-timeline", "",
			"arn:aws:sqs:eu-west-1:123456789012:crmflow-timeline", "eu-west-1"},
		{"https://eu-west-1.queue.amazonaws.com/123456789012/q", "", "arn:aws:sqs:eu-west-1:123456789012:q", "eu-west-1"},
		{"https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q", "", "arn:aws-cn:sqs:cn-north-1:123456789012:q", "cn-north-1"},
		{"http://127.0.0.1:5000/123456789012/jobs", "", "arn:aws:sqs:us-east-1:123456789012:jobs", "us-east-1"},
		{"http://localhost:5000/123456789012/jobs", "eu-central-1", "arn:aws:sqs:eu-central-1:123456789012:jobs", "eu-central-1"},
	}
	for _, tc := range tests {
		arn, region, err := eventsource.SourceOf(tc.url, tc.region)
		if err != nil || arn != tc.wantARN || region != tc.wantRegion {
			t.Errorf("SourceOf(%q, %q) = %q, %q, %v; want %q, %q", tc.url, tc.region, arn, region, err, tc.wantARN, tc.wantRegion)
		}
	}
	for _, bad := range []string{"", "not a url", "http://127.0.0.1:5000/jobs", "http://127.0.0.1:5000/a/b/c"} {
		if _, _, err := eventsource.SourceOf(bad, ""); err == nil {
			t.Errorf("SourceOf(%q) = nil error, want one", bad)
		}
	}
}
