package chaos

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/sandbox"
	"github.com/crmflow/crmflow/shared/store"
)

// dice draws the fault decisions from one seeded source.
type dice struct {
	mu  sync.Mutex
	rng *rand.Rand
}

func newDice(seed uint64) *dice {
	return &dice{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// roll reports true with probability p.
func (d *dice) roll(p float64) bool {
	if p <= 0 {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.rng.Float64() < p
}

func (d *dice) float() float64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.rng.Float64()
}

// counters is a set of named counts, safe for concurrent use.
type counters struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *counters) add(name string, n int) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[name] += n
	c.mu.Unlock()
}

func (c *counters) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[name]
}

// sum adds the counts whose name starts with prefix.
func (c *counters) sum(prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.m {
		if strings.HasPrefix(k, prefix) {
			n += v
		}
	}
	return n
}

// String lists the counts whose name starts with prefix, sorted.
func (c *counters) list(prefix string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var parts []string
	for k, v := range c.m {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			parts = append(parts, fmt.Sprintf("%s=%d", rest, v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// Fault kinds, as counted.
const (
	faultRateLimit   = "rate-limit"
	faultServerError = "server-error"
	faultTimeout     = "timeout"
	faultAfterWrite  = "write-then-fail"
)

// faulty serves a CRM sandbox with random faults in front of it. Each
// faulted request gets its own sandbox.Controls holding one fault, so the
// fault meets exactly the request it was drawn for even under concurrency.
type faulty struct {
	crm   *crmUnderTest
	dice  *dice
	stats *counters
	// transient is the share of API calls that fail transiently,
	// afterWrite the share of writes that write and lose the answer.
	transient, afterWrite float64
}

func (f *faulty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.stats.add("calls."+f.crm.name, 1)
	if isTokenRequest(r) {
		f.stats.add("tokenCalls."+f.crm.name, 1)
		f.crm.handler.ServeHTTP(w, r)
		return
	}
	var fault sandbox.Fault
	var kind string
	switch {
	case isWrite(r) && f.dice.roll(f.afterWrite):
		kind = faultAfterWrite
		fault = f.crm.serverError()
		if f.dice.roll(0.5) {
			// The connection died with the answer: a gateway timeout.
			fault = sandbox.Fault{Status: http.StatusGatewayTimeout}
		}
		fault.AfterWrite = true
	case f.dice.roll(f.transient):
		switch x := f.dice.float(); {
		case x < 0.4:
			kind, fault = faultRateLimit, f.crm.rateLimit()
		case x < 0.8:
			kind, fault = faultServerError, f.crm.serverError()
		default:
			// Longer than the configuration's timeoutMs: the driver gives
			// up first and the sandbox never handles the request.
			kind, fault = faultTimeout, f.crm.serverError()
			fault.Delay = 3 * crmTimeoutMs * time.Millisecond / 2
		}
	default:
		f.crm.handler.ServeHTTP(w, r)
		return
	}
	f.stats.add("fault."+kind+"."+f.crm.name, 1)
	var c sandbox.Controls
	c.Inject(fault)
	c.Wrap(f.crm.handler).ServeHTTP(w, r)
}

// Crash points of a consumer.
const (
	crashAfterClaim   = "after-claim"           // claimed, nothing written
	crashBeforeFinish = "after-write"           // CRM written (or failed), result not recorded
	crashBeforeDelete = "after-finish"          // results recorded, messages not deleted
	crashCollateral   = "collateral"            // another job of a crashed invocation, stopped where it was
	crashPanicPrefix  = "chaos: consumer crash" // every injected panic starts so
)

// invocation is one consumer (Lambda) invocation; once it crashed, the
// process is gone: nothing it does afterwards reaches DynamoDB or SQS.
type invocation struct {
	crashed atomic.Bool
}

type invocationKey struct{}

func invocationOf(ctx context.Context) *invocation {
	inv, _ := ctx.Value(invocationKey{}).(*invocation)
	return inv
}

// crash ends the invocation at point.
func (inv *invocation) crash(stats *counters, point string) {
	inv.crashed.Store(true)
	stats.add("crash."+point, 1)
	panic(crashPanicPrefix + " " + point)
}

// dead stops a job of an invocation that crashed meanwhile.
func (inv *invocation) dead(stats *counters) {
	if inv != nil && inv.crashed.Load() {
		stats.add("crash."+crashCollateral, 1)
		panic(crashPanicPrefix + " " + crashCollateral)
	}
}

// crashingStore is the consumers' ledger, with crashes between the steps.
type crashingStore struct {
	store.Store
	dice  *dice
	stats *counters
	rate  float64 // per crash point and claimed job
}

func (s *crashingStore) ClaimJob(ctx context.Context, tenantID, jobID, owner string, now time.Time, lease time.Duration) (store.Job, error) {
	inv := invocationOf(ctx)
	inv.dead(s.stats)
	j, err := s.Store.ClaimJob(ctx, tenantID, jobID, owner, now, lease)
	if err == nil && inv != nil && s.dice.roll(s.rate) {
		inv.crash(s.stats, crashAfterClaim)
	}
	return j, err
}

func (s *crashingStore) FinishJob(ctx context.Context, j store.Job, owner string) error {
	inv := invocationOf(ctx)
	inv.dead(s.stats)
	if inv != nil && s.dice.roll(s.rate) {
		inv.crash(s.stats, crashBeforeFinish)
	}
	return s.Store.FinishJob(ctx, j, owner)
}

// crashingQueue is the consumers' SQS port: a crashed invocation changes
// no visibility, so its messages come back after the queue's timeout.
type crashingQueue struct {
	jobs.Queue
	stats *counters
}

func (q *crashingQueue) ChangeVisibility(ctx context.Context, url, receipt string, d time.Duration) error {
	if inv := invocationOf(ctx); inv != nil && inv.crashed.Load() {
		q.stats.add("visibilityChangesLostInCrash", 1)
		return nil
	}
	q.stats.add("visibilityChanges", 1)
	return q.Queue.ChangeVisibility(ctx, url, receipt, d)
}

// crashingHandler wraps a consumer's Lambda handler: a crash anywhere in the
// invocation fails it (the poller, like Lambda, deletes nothing), and some
// invocations crash after their results were recorded, before the deletes.
func crashingHandler(h func(context.Context, events.SQSEvent) (events.SQSEventResponse, error), d *dice, stats *counters, rate float64) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		inv := &invocation{}
		ctx = context.WithValue(ctx, invocationKey{}, inv)
		stats.add("invocations", 1)
		stats.add("deliveries", len(ev.Records))
		res, err := h(ctx, ev)
		if inv.crashed.Load() {
			panic(crashPanicPrefix + " (invocation ended)")
		}
		if len(res.BatchItemFailures) < len(ev.Records) && d.roll(rate) {
			inv.crash(stats, crashBeforeDelete)
		}
		return res, err
	}
}

// logCounter counts log lines by message, and keeps those that are not
// expected of a chaos run: a panic that is not an injected crash.
type logCounter struct {
	stats *counters
	odd   *oddLines
}

type oddLines struct {
	mu    sync.Mutex
	lines []string
}

func newLogCounter(stats *counters) *logCounter { return &logCounter{stats: stats, odd: &oddLines{}} }

func (l *logCounter) Enabled(context.Context, slog.Level) bool { return true }

func (l *logCounter) Handle(ctx context.Context, r slog.Record) error {
	l.stats.add("log."+r.Message, 1)
	if r.Message == "circuit breaker" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "to" {
				l.stats.add("breaker."+a.Value.String(), 1)
			}
			return true
		})
	}
	if strings.Contains(r.Message, "panicked") {
		var p string
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "panic" {
				p = a.Value.String()
			}
			return true
		})
		if !strings.HasPrefix(p, crashPanicPrefix) {
			l.odd.mu.Lock()
			l.odd.lines = append(l.odd.lines, fmt.Sprintf("%s: %s %v", r.Message, p, logx.Attrs(ctx)))
			l.odd.mu.Unlock()
		}
	}
	return nil
}

func (l *logCounter) WithAttrs([]slog.Attr) slog.Handler { return l }

func (l *logCounter) WithGroup(string) slog.Handler { return l }

func (l *logCounter) unexpected() []string {
	l.odd.mu.Lock()
	defer l.odd.mu.Unlock()
	return slices.Clone(l.odd.lines)
}
