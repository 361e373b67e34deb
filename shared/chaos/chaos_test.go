package chaos

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/eventsource"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/internal/mototest"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/redrive"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/dynamo"
	"github.com/crmflow/crmflow/shared/workflow"
)

const defaultJobs = 200

var (
	flagJobs       = flag.Int("chaos.jobs", defaultJobs, "post-call jobs the chaos test runs (1000 is the full run)")
	flagSeed       = flag.Uint64("chaos.seed", 0, "seed of the fault plan; 0 picks one from the clock")
	flagTransient  = flag.Float64("chaos.transient", 0.30, "share of CRM API calls that fail transiently")
	flagAfterWrite = flag.Float64("chaos.afterwrite", 0.01, "share of CRM writes that write and lose the answer")
	flagCrash      = flag.Float64("chaos.crash", 0.01, "chance of a consumer crash at each crash point")
	flagDuplicate  = flag.Float64("chaos.duplicate", 0.10, "share of requests sent twice")
	flagLag        = flag.Duration("chaos.lag", 3*time.Second, "search index lag of every sandbox: new and changed records reach its search only after it (longer than the consumer's retry delay)")
	flagTimeout    = flag.Duration("chaos.timeout", 0, "how long jobs may take to end; 0 scales with -chaos.jobs")
	flagCRMs       = flag.String("chaos.crms", "", "comma-separated CRM names to run (say hubspot,zendesk); empty runs all registered")
)

// The run's timings: everything production has in minutes is seconds here,
// in the same order (lease > invocation timeout > CRM deadline > timeoutMs;
// the queue's visibility ≥ the invocation timeout).
const (
	tenant            = "tn_chaos"
	crmTimeoutMs      = 1000
	crmDeadline       = 2 * time.Second
	invocationTimeout = 4 * time.Second
	lease             = 5 * time.Second
	visibility        = 5 * time.Second
	baseBackoff       = time.Second
	maxBackoff        = 2 * time.Second
	breakerCoolDown   = 2 * time.Second
	// maxReceives is the stack's maxReceiveCount: some jobs exhaust it under
	// 30 % faults and crashes, and the redrive brings them back.
	maxReceives = jobs.DefaultMaxReceiveCount
	// consumers per queue, each its own lease owner, connectors and tokens.
	timelineConsumers    = 4
	memorializeConsumers = 2
	// permanentShare of the jobs of a CRM with a refusal link a record that
	// does not exist: they must end failed, with nothing written.
	permanentShare = 0.08
	// stackJobs is how many jobs share one table and pair of queues.
	stackJobs = 200
	mappingID = "call-summary"
)

var logStats = &counters{}
var logs = newLogCounter(logStats)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(logs))
	mototest.Main(m)
}

// plannedJob is one request the run sends and what must come of it.
type plannedJob struct {
	stack     *stack
	crm       *crmUnderTest
	action    store.Action
	req       workflow.ExecRequest
	permanent bool
	id        string
}

// stack is one deployment's AWS side: the ledger table, the queues with
// their consumers, and the enqueue use case. moto's TransactWriteItems
// deep-copies the whole table on every call (FinishJob is one), so a table
// of N jobs costs O(N) per attempt; the run gives each stackJobs jobs a
// stack of their own to keep moto linear in the number of jobs.
type stack struct {
	st       *dynamo.Store
	queues   []queuePair
	enqueuer *jobs.Service
}

// queuePair is one action's queue and its consumers.
type queuePair struct {
	action    store.Action
	q         queue.Queue
	consumers int
}

// lockedBuffer collects the redrive's warnings.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.DeleteFunc(strings.Split(b.buf.String(), "\n"), func(s string) bool { return s == "" })
}

func TestChaos(t *testing.T) {
	n := *flagJobs
	if testing.Short() && n == defaultJobs {
		n = 40
	}
	seed := *flagSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("chaos: %d jobs, seed %d (replay the fault plan with -chaos.seed=%d)", n, seed, seed)
	d := newDice(seed)
	stats := &counters{}
	ctx := context.Background()

	// The CRMs behind their fault injectors.
	crms, unknown := crmsUnderTest(*flagCRMs)
	if len(unknown) > 0 || len(crms) == 0 {
		t.Fatalf("-chaos.crms=%q: no CRM is registered as %q", *flagCRMs, unknown)
	}
	for _, c := range crms {
		if c.indexLag != nil {
			c.indexLag(*flagLag)
		}
	}
	t.Logf("chaos: search index lag %s on %d CRMs", *flagLag, len(crms))
	var armed atomic.Bool
	crmURLs := map[string]string{}
	for _, c := range crms {
		f := &faulty{crm: c, dice: d, stats: stats, transient: *flagTransient, afterWrite: *flagAfterWrite}
		srv := httptest.NewServer(armedHandler(&armed, f))
		t.Cleanup(srv.Close)
		crmURLs[c.name] = srv.URL
	}

	// AWS on moto: per stack the ledger table and both job queues with their
	// DLQs, a configuration per CRM, and the consumers: several pollers per
	// queue, each a warm "Lambda" with its own jobs.Service (lease owner) and
	// workflow.Service (connectors, tokens, breaker), crashing now and then.
	awsCfg := mototest.Config(t)
	ddb := awsclient.DynamoDB(awsCfg)
	sqs := queue.NewSQS(awsclient.SQS(awsCfg))
	reg := drivers.Registry()
	pollCtx, stopPolling := context.WithCancel(ctx)
	var pollers sync.WaitGroup
	defer func() { stopPolling(); pollers.Wait() }()
	stacks := make([]*stack, (n+stackJobs-1)/stackJobs)
	for k := range stacks {
		sk := &stack{}
		stacks[k] = sk
		table := mototest.UniqueName(t)
		if err := dynamo.CreateTable(ctx, ddb, table); err != nil {
			t.Fatal(err)
		}
		sk.st = dynamo.New(ddb, table)
		qopts := queue.QueueOptions{VisibilityTimeout: visibility, MaxReceiveCount: maxReceives}
		tl, err := sqs.CreateQueue(ctx, mototest.UniqueName(t), qopts)
		if err != nil {
			t.Fatal(err)
		}
		mq, err := sqs.CreateQueue(ctx, mototest.UniqueName(t), qopts)
		if err != nil {
			t.Fatal(err)
		}
		sk.queues = []queuePair{{store.ActionTimeline, tl, timelineConsumers}, {store.ActionDataMemorialization, mq, memorializeConsumers}}
		urls := map[store.Action]string{store.ActionTimeline: tl.URL, store.ActionDataMemorialization: mq.URL}
		sec := memsecrets.New()
		adm := &admin.Service{Store: sk.st, Secrets: sec, Registry: reg, SecretPrefix: "crmflow/chaos/", Local: true}
		for _, c := range crms {
			if _, _, err := adm.PutConfiguration(ctx, tenant, c.name, c.config(crmURLs[c.name])); err != nil {
				t.Fatalf("%s configuration: %v", c.name, err)
			}
			if c.memorialize != nil {
				if _, err := adm.PutDataMapping(ctx, tenant, c.name, mappingID, *c.memorialize); err != nil {
					t.Fatalf("%s data mapping: %v", c.name, err)
				}
			}
		}
		enqueueWF := workflow.New(workflow.Options{Store: sk.st, Secrets: sec, Registry: reg, HTTP: crmhttp.NewClient(), CacheTTL: time.Minute})
		sk.enqueuer = jobs.New(jobs.Options{Store: sk.st, Queue: sqs, Connections: enqueueWF, QueueURLs: urls})
		cst := &crashingStore{Store: sk.st, dice: d, stats: stats, rate: *flagCrash}
		cq := &crashingQueue{Queue: sqs, stats: stats}
		for _, qp := range sk.queues {
			for i := range qp.consumers {
				// The breaker stays in the path, its cool-down scaled like
				// the other timings (30 s in production).
				wf := workflow.New(workflow.Options{Store: sk.st, Secrets: sec, Registry: reg, HTTP: crmhttp.NewClient(), CacheTTL: time.Minute,
					Breaker: breaker.Options{CoolDown: breakerCoolDown}})
				svc := jobs.New(jobs.Options{Store: cst, Queue: cq, Connections: wf, QueueURLs: urls, MaxReceiveCount: maxReceives,
					Lease: lease, CRMDeadline: crmDeadline, BaseBackoff: baseBackoff, MaxBackoff: maxBackoff,
					Owner: fmt.Sprintf("stack%d-%s-consumer-%d", k, qp.action, i)})
				p := &eventsource.Poller{Queue: sqs, URL: qp.q.URL, ARN: qp.q.ARN, Region: awsCfg.Region, Timeout: invocationTimeout,
					Handler: crashingHandler(handlers.Consumer(svc, qp.action), d, stats, *flagCrash)}
				pollers.Go(func() { _ = p.Run(pollCtx) })
			}
		}
	}
	plan := planJobs(n, crms, stacks, d)
	var queues []queuePair
	for _, sk := range stacks {
		queues = append(queues, sk.queues...)
	}

	start := time.Now()
	armed.Store(true)
	// Token expiry mid-run, on the CRMs with OAuth tokens.
	var side sync.WaitGroup
	sideCtx, stopSide := context.WithCancel(ctx)
	expiryCtx, stopExpiry := context.WithCancel(sideCtx)
	defer func() { stopSide(); side.Wait() }()
	side.Go(func() {
		tick := time.NewTicker(1500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-expiryCtx.Done():
				return
			case <-tick.C:
				for _, c := range crms {
					if c.expire != nil {
						c.expire()
						stats.add("tokenExpiry."+c.name, 1)
					}
				}
			}
		}
	})
	// The operator's redrive, every second, for what exhausted its receives:
	// it runs until the queues are drained, since a duplicate message of a
	// finished job may still exhaust its receives.
	redriveWarnings := &lockedBuffer{}
	side.Go(func() {
		for sideCtx.Err() == nil {
			for _, sk := range stacks {
				for _, qp := range sk.queues {
					m := &redrive.Mover{Queue: sqs, Jobs: sk.st, Out: redriveWarnings}
					res, err := m.Move(sideCtx, qp.q.DLQURL, qp.q.URL, 0)
					stats.add("redrive.moved", res.Moved)
					stats.add("redrive.reset", res.Reset)
					if err != nil && sideCtx.Err() == nil {
						stats.add("redrive.errors", 1)
					}
				}
			}
			select {
			case <-sideCtx.Done():
			case <-time.After(time.Second):
			}
		}
	})

	// Studio's requests: the enqueue use case, concurrently, some twice.
	enqueueAll(t, plan, d, stats)
	enqueued := time.Since(start)

	timeout := *flagTimeout
	if timeout == 0 {
		timeout = max(90*time.Second, time.Duration(n)*200*time.Millisecond)
	}
	final, stuck := waitTerminal(t, plan, start.Add(timeout))
	finished := time.Since(start)
	stopExpiry()
	undrained := waitDrained(t, sqs, queues, 20*time.Second)
	stopSide()
	side.Wait()
	stopPolling()
	pollers.Wait()
	elapsed := time.Since(start)

	// What the CRMs hold.
	keyed := map[string]map[string][]string{}
	for _, c := range crms {
		keyed[c.name] = c.keyed()
	}
	check(t, plan, final, keyed)
	if len(stuck) > 0 {
		t.Errorf("LOST: %d of %d jobs not terminal after %s (no job ended in the last %s):", len(stuck), n, finished.Round(time.Second), progressGrace)
		for i, j := range stuck {
			if i == 20 {
				t.Errorf("  …")
				break
			}
			t.Errorf("  %s (%s %s) status %s attempts %d lease %s lastError %q", j.ID, j.ConfigurationID, j.Action, j.Status, j.Attempts, j.LeaseOwner, j.LastError)
		}
	}
	for _, u := range undrained {
		t.Errorf("queue not drained: %s", u)
	}
	for _, l := range logs.unexpected() {
		t.Errorf("unexpected panic: %s", l)
	}
	report(t, reportInput{n: n, seed: seed, plan: plan, final: final, crms: crms, stats: stats,
		enqueued: enqueued, finished: finished, elapsed: elapsed, redriveWarnings: redriveWarnings.lines()})
}

// armedHandler holds faults back until the run starts (setup sees a sane CRM).
func armedHandler(armed *atomic.Bool, f *faulty) *armedFaulty {
	return &armedFaulty{armed: armed, f: f}
}

type armedFaulty struct {
	armed *atomic.Bool
	f     *faulty
}

func (a *armedFaulty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.armed.Load() {
		a.f.crm.handler.ServeHTTP(w, r)
		return
	}
	a.f.ServeHTTP(w, r)
}

// planJobs spreads n jobs over the CRMs: timeline jobs everywhere,
// memorialization jobs too where the CRM has a mapping, a few permanent.
func planJobs(n int, crms []*crmUnderTest, stacks []*stack, d *dice) []*plannedJob {
	contact := `{"mediaType":"voice","direction":"inbound","ani":"+14155550100","agentName":"Chaos Agent",` +
		`"startTime":"2026-01-15T09:00:00Z","endTime":"2026-01-15T09:04:05Z","callDurationInSeconds":245,` +
		`"dispositionName":"Resolved","dispositionNotes":"Chaos job %d"}`
	plan := make([]*plannedJob, n)
	for i := range n {
		c := crms[i%len(crms)]
		p := &plannedJob{stack: stacks[i%len(stacks)], crm: c, action: store.ActionTimeline}
		p.req = workflow.ExecRequest{ConfigurationID: c.name, WorkflowID: "timeline_activity", ContactID: fmt.Sprintf("chaos-%05d", i),
			CxoneContact: []byte(fmt.Sprintf(contact, i)), Records: []crm.Ref{c.person}}
		if c.memorialize != nil && (i/len(crms))%2 == 1 {
			p.action = store.ActionDataMemorialization
			p.req.WorkflowID, p.req.DataMappingID = "", mappingID
		}
		if c.missing.ID != "" && d.roll(permanentShare) {
			p.permanent = true
			p.req.Records = []crm.Ref{c.missing}
		}
		plan[i] = p
	}
	return plan
}

// enqueueAll sends every planned request, 8 at a time; a 503 (the queue
// send failed) is retried as a Studio script would.
func enqueueAll(t *testing.T, plan []*plannedJob, d *dice, stats *counters) {
	t.Helper()
	work := make(chan *plannedJob)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for range 8 {
		wg.Go(func() {
			for p := range work {
				sends := 1
				if d.roll(*flagDuplicate) {
					sends = 2
					stats.add("duplicateRequests", 1)
				}
				for range sends {
					id, err := enqueue(p.stack.enqueuer, p, stats)
					if err != nil {
						mu.Lock()
						errs = append(errs, fmt.Errorf("%s %s: %w", p.req.ConfigurationID, p.req.ContactID, err))
						mu.Unlock()
						break
					}
					p.id = id
				}
			}
		})
	}
	for _, p := range plan {
		work <- p
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		t.Errorf("enqueue: %v", err)
	}
	if len(errs) > 0 {
		t.FailNow()
	}
}

func enqueue(svc *jobs.Service, p *plannedJob, stats *counters) (string, error) {
	defer func(t0 time.Time) {
		stats.add("enqueueMicros", int(time.Since(t0).Microseconds()))
		stats.add("enqueues", 1)
	}(time.Now())
	var err error
	for range 5 {
		var res jobs.Enqueued
		res, err = svc.Enqueue(context.Background(), tenant, p.action, p.req)
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Unavailable {
			stats.add("enqueueRetries", 1)
			time.Sleep(200 * time.Millisecond)
			continue
		}
		if err != nil {
			return "", err
		}
		if len(res.Jobs) != 1 {
			return "", fmt.Errorf("enqueue answered %d jobs", len(res.Jobs))
		}
		return res.Jobs[0].JobID, nil
	}
	return "", err
}

// progressGrace is how long waitTerminal goes on past its deadline after
// the last job that ended: on a loaded machine (the race detector, other
// builds) jobs end late but still end, and a lost job is one that no
// amount of waiting ends. hardCapFactor bounds the wait all the same.
const (
	progressGrace = 30 * time.Second
	hardCapFactor = 3
)

// waitTerminal polls the ledger until every planned job is succeeded or
// failed, or until deadline — later while jobs keep ending (progressGrace),
// never past hardCapFactor times the wait; it returns every job's last
// state and those that never ended.
func waitTerminal(t *testing.T, plan []*plannedJob, deadline time.Time) (map[string]store.Job, []store.Job) {
	t.Helper()
	hardCap := time.Now().Add(hardCapFactor * time.Until(deadline))
	final := map[string]store.Job{}
	pending := map[string]*plannedJob{}
	for _, p := range plan {
		pending[p.id] = p
	}
	for {
		ps := make([]*plannedJob, 0, len(pending))
		for _, p := range pending {
			ps = append(ps, p)
		}
		ended := false
		for id, j := range getJobs(ps) {
			final[id] = j
			if j.Finished() {
				delete(pending, id)
				ended = true
			}
		}
		now := time.Now()
		if ended && now.Add(progressGrace).After(deadline) {
			deadline = now.Add(progressGrace)
			if deadline.After(hardCap) {
				deadline = hardCap
			}
		}
		if len(pending) == 0 || now.After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	var stuck []store.Job
	for id := range pending {
		stuck = append(stuck, final[id])
	}
	slices.SortFunc(stuck, func(a, b store.Job) int { return strings.Compare(a.ID, b.ID) })
	return final, stuck
}

// getJobs reads jobs 8 at a time; a job that cannot be read is left out.
func getJobs(ps []*plannedJob) map[string]store.Job {
	out := make(map[string]store.Job, len(ps))
	var mu sync.Mutex
	work := make(chan *plannedJob)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for p := range work {
				j, err := p.stack.st.GetJob(context.Background(), tenant, p.id)
				if err != nil {
					continue
				}
				mu.Lock()
				out[p.id] = j
				mu.Unlock()
			}
		})
	}
	for _, p := range ps {
		work <- p
	}
	close(work)
	wg.Wait()
	return out
}

// waitDrained waits until every queue and dead-letter queue is empty; it
// returns those that are not.
func waitDrained(t *testing.T, sqs *queue.SQS, queues []queuePair, within time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		var left []string
		for _, qp := range queues {
			for _, u := range []string{qp.q.URL, qp.q.DLQURL} {
				v, f, err := sqs.Depth(context.Background(), u)
				if err != nil || v+f > 0 {
					left = append(left, fmt.Sprintf("%s: %d visible, %d in flight, err %v", u, v, f, err))
				}
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// check asserts the promise: every job terminal with its reason, exactly one
// CRM record per succeeded job and none per failed one, named by the job.
func check(t *testing.T, plan []*plannedJob, final map[string]store.Job, keyed map[string]map[string][]string) {
	t.Helper()
	planned := map[string]*plannedJob{}
	var lost, dups, missing, wrongStatus, wrongIDs int
	for _, p := range plan {
		planned[p.id] = p
		j, ok := final[p.id]
		if !ok {
			t.Errorf("LOST: job %s (%s) has no record", p.id, p.crm.name)
			lost++
			continue
		}
		recs := keyed[p.crm.name][p.id]
		switch {
		case !j.Finished():
			// reported as stuck by the caller
			lost++
		case j.Status == store.JobFailed && p.permanent:
			if j.LastError == "" {
				t.Errorf("job %s failed without a reason", j.ID)
			}
			if len(recs) != 0 {
				dups++
				t.Errorf("DUPLICATE: failed job %s has %d CRM records %v", j.ID, len(recs), recs)
			}
		case j.Status == store.JobFailed:
			wrongStatus++
			t.Errorf("job %s (%s %s) failed but should have succeeded: %s (attempts %d)", j.ID, p.crm.name, p.action, j.LastError, j.Attempts)
		case p.permanent:
			wrongStatus++
			t.Errorf("job %s (%s) links a missing record but %s", j.ID, p.crm.name, j.Status)
		default: // succeeded
			switch len(recs) {
			case 1:
				if !slices.ContainsFunc(j.CRMRecordIDs, func(r crm.Ref) bool { return r.ID == recs[0] }) {
					wrongIDs++
					t.Errorf("job %s (%s) names %v, but its record is %s", j.ID, p.crm.name, j.CRMRecordIDs, recs[0])
				}
			case 0:
				missing++
				t.Errorf("job %s (%s) succeeded with %v but the CRM holds no record with its key", j.ID, p.crm.name, j.CRMRecordIDs)
			default:
				dups++
				t.Errorf("DUPLICATE: job %s (%s %s, attempts %d) has %d CRM records %v", j.ID, p.crm.name, p.action, j.Attempts, len(recs), recs)
			}
		}
	}
	for name, idx := range keyed {
		for k, recs := range idx {
			if strings.HasPrefix(k, "job_") && planned[k] == nil {
				t.Errorf("%s holds %d records with key %s, which is no job of this run", name, len(recs), k)
			}
		}
	}
	// Counted from each sandbox's store (keyed), never its search.
	t.Logf("CHAOS CHECK lost %d, duplicate CRM writes %d, missing writes %d, wrong statuses %d, wrong record ids %d", lost, dups, missing, wrongStatus, wrongIDs)
	if dups+missing+wrongStatus+wrongIDs > 0 {
		t.Errorf("chaos: %d duplicate writes, %d missing writes, %d wrong statuses, %d wrong record ids", dups, missing, wrongStatus, wrongIDs)
	}
}

type reportInput struct {
	n                           int
	seed                        uint64
	plan                        []*plannedJob
	final                       map[string]store.Job
	crms                        []*crmUnderTest
	stats                       *counters
	enqueued, finished, elapsed time.Duration
	redriveWarnings             []string
}

// report logs the run's figures.
func report(t *testing.T, in reportInput) {
	t.Helper()
	s := in.stats
	byCRM := map[string]int{}
	byAction := map[store.Action]int{}
	status := map[string]int{}
	attempts, maxAttempts, permanent := 0, 0, 0
	for _, p := range in.plan {
		byCRM[p.crm.name]++
		byAction[p.action]++
		if p.permanent {
			permanent++
		}
		j := in.final[p.id]
		status[j.Status]++
		attempts += j.Attempts
		maxAttempts = max(maxAttempts, j.Attempts)
	}
	var crmParts, callParts, tokenParts []string
	calls := 0
	for _, c := range in.crms {
		crmParts = append(crmParts, fmt.Sprintf("%s %d", c.name, byCRM[c.name]))
		cc := s.get("calls." + c.name)
		calls += cc
		callParts = append(callParts, fmt.Sprintf("%s %.2f", c.name, float64(cc)/float64(max(byCRM[c.name], 1))))
		if c.expire != nil {
			tokenParts = append(tokenParts, fmt.Sprintf("%s %d expiries/%d token requests", c.name, s.get("tokenExpiry."+c.name), c.tokenRequests()))
		}
	}
	faults := s.sum("fault.")
	apiCalls := calls - s.sum("tokenCalls.")
	kinds := []string{}
	for _, k := range []string{faultRateLimit, faultServerError, faultTimeout, faultAfterWrite} {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, s.sum("fault."+k+".")))
	}
	lines := []string{
		fmt.Sprintf("CHAOS SUMMARY seed=%d jobs=%d (%s; timeline %d, memorialization %d; %d deliberately permanent) duplicate requests %d",
			in.seed, in.n, strings.Join(crmParts, ", "), byAction[store.ActionTimeline], byAction[store.ActionDataMemorialization], permanent, s.get("duplicateRequests")),
		fmt.Sprintf("  outcome: succeeded %d, failed %d, other %d; duration %s (enqueued in %s, all terminal at %s)",
			status[store.JobSucceeded], status[store.JobFailed], in.n-status[store.JobSucceeded]-status[store.JobFailed],
			in.elapsed.Round(100*time.Millisecond), in.enqueued.Round(100*time.Millisecond), in.finished.Round(100*time.Millisecond)),
		fmt.Sprintf("  faults injected: %d of %d CRM API calls (%.1f%%): %s", faults, apiCalls, 100*float64(faults)/float64(max(apiCalls, 1)), strings.Join(kinds, ", ")),
		fmt.Sprintf("  token expiry: %s", strings.Join(tokenParts, ", ")),
		fmt.Sprintf("  consumer crashes: %d (%s)", s.sum("crash."), s.list("crash.")),
		fmt.Sprintf("  deliveries %d in %d invocations; attempts (claims) %d, retries %d, max attempts %d; lease waits %d; writes found by key %d; already done %d",
			s.get("deliveries"), s.get("invocations"), attempts, attempts-in.n, maxAttempts,
			logStats.get("log.job held by another consumer"), logStats.get("log.earlier write found by its key"), logStats.get("log.job already done")),
		fmt.Sprintf("  circuit breaker opened %d times", logStats.get("breaker.open")),
		fmt.Sprintf("  dead-lettered %d, redriven %d (reset %d), redrive warnings %d, enqueue retries %d",
			logStats.get("log.job dead-lettered"), s.get("redrive.moved"), s.get("redrive.reset"), len(in.redriveWarnings), s.get("enqueueRetries")),
		fmt.Sprintf("  enqueue latency %s on average", time.Duration(s.get("enqueueMicros")/max(s.get("enqueues"), 1))*time.Microsecond),
		fmt.Sprintf("  CRM calls %d (%.2f per job; by CRM %s)", calls, float64(calls)/float64(max(in.n, 1)), strings.Join(callParts, ", ")),
	}
	for _, l := range lines {
		t.Log(l)
	}
	for i, w := range in.redriveWarnings {
		if i == 10 {
			t.Logf("  … %d more redrive warnings", len(in.redriveWarnings)-10)
			break
		}
		t.Logf("  redrive: %s", w)
	}
}
