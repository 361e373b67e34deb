package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/metrics"
	"github.com/crmflow/crmflow/shared/store"
)

// Delivery is one received queue message, as the event source hands it over.
type Delivery struct {
	MessageID     string
	Body          string
	ReceiptHandle string
	// QueueURL is the queue the message came from (from its event source ARN).
	QueueURL string
	// ReceiveCount counts deliveries of this message, this one included.
	ReceiveCount int
}

// Consume runs a batch of deliveries of one action's queue concurrently and
// returns the ids of the messages that must stay on the queue (SQS partial
// batch response); every other message is done and gets deleted. A message
// that can never succeed is done, so one poison job never blocks its batch.
func (s *Service) Consume(ctx context.Context, action store.Action, batch []Delivery) (retry []string) {
	keep := make([]bool, len(batch))
	var wg sync.WaitGroup
	for i, d := range batch {
		wg.Go(func() { keep[i] = !s.deliver(ctx, action, d) })
	}
	wg.Wait()
	for i, k := range keep {
		if k {
			retry = append(retry, batch[i].MessageID)
		}
	}
	return retry
}

// deliver handles one message; done says the message can be deleted.
func (s *Service) deliver(ctx context.Context, action store.Action, d Delivery) (done bool) {
	ctx = logx.With(logx.Scope(ctx), "messageId", d.MessageID, "action", action, "receiveCount", d.ReceiveCount)
	defer func() {
		if p := recover(); p != nil {
			slog.ErrorContext(ctx, "job panicked", "panic", fmt.Sprint(p))
			s.retryLater(ctx, action, d, s.backoff(d.ReceiveCount, nil))
			done = false
		}
	}()
	var m message
	if err := json.Unmarshal([]byte(d.Body), &m); err != nil || m.TenantID == "" || m.JobID == "" {
		slog.ErrorContext(ctx, "message dropped: not a job message")
		return true
	}
	ctx = logx.With(ctx, "tenantId", m.TenantID, "jobId", m.JobID)

	now := s.o.Now()
	j, err := s.o.Store.ClaimJob(ctx, m.TenantID, m.JobID, s.o.Owner, now, s.o.Lease)
	switch {
	case errors.Is(err, store.ErrNotFound):
		slog.WarnContext(ctx, "message dropped: no such job")
		return true
	case errors.Is(err, store.ErrJobDone):
		slog.InfoContext(ctx, "job already done", "status", j.Status)
		return true
	case errors.Is(err, store.ErrLeased):
		// Another consumer runs it. Keep the message until that lease ends:
		// if the holder dies, this message is what brings the job back.
		wait := time.UnixMilli(j.LeaseUntilMs).Sub(now) + time.Second
		slog.InfoContext(ctx, "job held by another consumer", "retryInMs", wait.Milliseconds())
		s.retryLater(ctx, action, d, max(wait, time.Second))
		return false
	case err != nil:
		slog.ErrorContext(ctx, "job not claimed", "error", err.Error())
		s.retryLater(ctx, action, d, s.backoff(d.ReceiveCount, nil))
		return false
	}
	ctx = logx.With(ctx, "attempt", j.Attempts, "configurationId", j.ConfigurationID)

	refs, werr := s.run(ctx, j)
	j.Updated = s.o.Now().UTC()
	var delay time.Duration
	switch {
	case werr == nil:
		j.Status, j.CRMRecordIDs, j.LastError = store.JobSucceeded, refs, ""
	case permanent(werr):
		j.Status, j.LastError = store.JobFailed, errorText(werr)
	case d.ReceiveCount >= s.o.MaxReceiveCount:
		// SQS moves the message to the dead-letter queue on its next receive.
		j.Status, j.LastError = store.JobDeadlettered, errorText(werr)
	default:
		j.Status, j.LastError = store.JobQueued, errorText(werr)
		delay = s.backoff(d.ReceiveCount, werr)
	}
	if err := s.o.Store.FinishJob(ctx, j, s.o.Owner); err != nil {
		// The lease stays (or went to another consumer): the job is retried
		// once it lapses, and that attempt finds this one's write by its key.
		slog.ErrorContext(ctx, "job result not recorded", "status", j.Status, "error", err.Error())
		s.retryLater(ctx, action, d, s.o.Lease)
		return false
	}
	// The job record keeps the CRM's own words (they may echo record values);
	// log lines keep only the operation, codes and status (logx.ErrorText).
	why := logx.ErrorText(werr)
	jobMetrics(ctx, j, s.o.Now())
	switch j.Status {
	case store.JobSucceeded:
		slog.InfoContext(ctx, "job written", "records", len(refs))
		return true
	case store.JobFailed:
		slog.WarnContext(ctx, "job failed", "error", why)
		return true
	case store.JobDeadlettered:
		slog.ErrorContext(ctx, "job dead-lettered", "error", why)
		s.retryLater(ctx, action, d, 0)
		return false
	}
	slog.WarnContext(ctx, "job will be retried", "error", why, "retryInMs", delay.Milliseconds())
	s.retryLater(ctx, action, d, delay)
	return false
}

// run writes the job into the CRM, or finds that an earlier attempt did.
func (s *Service) run(ctx context.Context, j store.Job) ([]crm.Ref, error) {
	conn, cfg, err := s.o.Connections.Connection(ctx, j.TenantID, j.ConfigurationID)
	if err != nil {
		return nil, err
	}
	ctx = logx.With(ctx, "crm", cfg.CRM)
	var p payload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return nil, &RenderError{MappingID: j.DataMappingID, Msg: "job payload unreadable: " + err.Error()}
	}
	// The lookup carries the links the write gets: known, even when none.
	links := append([]crm.Ref{}, p.Records...)
	lookup := crm.WriteLookup{Kind: crm.WriteActivity, Key: j.ID, Links: links}
	var write func(context.Context) (crm.WriteResult, error)
	switch j.Action {
	case store.ActionTimeline:
		a := activity(j, p)
		write = func(ctx context.Context) (crm.WriteResult, error) { return conn.AddActivity(ctx, a) }
	case store.ActionDataMemorialization:
		m, err := s.o.Store.GetDataMapping(ctx, j.TenantID, j.ConfigurationID, j.DataMappingID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, &RenderError{MappingID: j.DataMappingID, Msg: "was deleted after the job was queued"}
		}
		if err != nil {
			return nil, fmt.Errorf("read data mapping: %w", err)
		}
		d, err := s.o.Connections.Driver(ctx, j.TenantID, j.ConfigurationID)
		if err != nil {
			return nil, err
		}
		fields, err := Render(d, m, p.CxoneContact)
		if err != nil {
			return nil, err
		}
		mem := crm.Memorialization{Key: j.ID, Entity: m.Entity, Mode: m.Mode, Fields: fields, Links: p.Records}
		if mem.Mode == "" {
			mem.Mode = crm.ModeCreate
		}
		lookup = crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: m.Entity, Key: j.ID, Links: links}
		if mem.Mode == crm.ModeUpdate {
			// Writing the same fields twice is harmless: no lookup needed.
			lookup.Kind = ""
		}
		write = func(ctx context.Context) (crm.WriteResult, error) { return conn.WriteRecord(ctx, mem) }
	default:
		return nil, &RenderError{Msg: "unknown job action " + string(j.Action)}
	}

	ctx, cancel := context.WithTimeout(ctx, s.o.CRMDeadline)
	defer cancel()
	if j.Attempts > 1 && lookup.Kind != "" && conn.Capabilities().FindWriteByKey {
		// An earlier attempt may have written and died (or timed out) before
		// recording it: look for its write before writing again.
		res, found, err := conn.FindWrite(ctx, lookup)
		if err != nil {
			return nil, err
		}
		if found {
			slog.InfoContext(ctx, "earlier write found by its key", "records", len(res.Records))
			return res.Records, nil
		}
	}
	res, err := write(ctx)
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

// jobMetrics records an attempt's outcome and, for a job that ended, its age.
func jobMetrics(ctx context.Context, j store.Job, now time.Time) {
	outcome := j.Status
	if outcome == store.JobQueued {
		outcome = "retried"
	}
	metrics.Add(ctx, metrics.JobOutcome, metrics.Count, 1, metrics.DimAction, string(j.Action), metrics.DimOutcome, outcome)
	if j.Status != store.JobQueued && !j.Created.IsZero() {
		metrics.Add(ctx, metrics.JobAge, metrics.Milliseconds, float64(now.Sub(j.Created).Milliseconds()), metrics.DimAction, string(j.Action))
	}
}

// permanent reports whether a failure will fail again however often it is
// retried: the CRM refused the write (validation, not found, permissions),
// the configuration or mapping is gone or broken, or the job is unreadable.
// A CRM refusing the credentials is not: the token may have been revoked
// just after its refresh, or an admin fixes the secret — the job retries,
// and if it never gets through it is dead-lettered, which a redrive can
// undo, where a failed job stays failed.
func permanent(err error) bool {
	if ce, ok := crm.AsError(err); ok {
		return !ce.Retryable && ce.Code != crm.Unauthenticated
	}
	var re *RenderError
	if errors.As(err, &re) {
		return true
	}
	if ae, ok := apperr.As(err); ok {
		return ae.Kind != apperr.Unavailable
	}
	return false
}

// errorText is the reason kept on the job: the CRM's own words for a CRM
// failure, the use case's for ours.
func errorText(err error) string {
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.NotFound && ae.Field == "configurationId" {
		return "configuration was deleted after the job was queued"
	}
	return crmtext.Cut(err.Error(), 1000)
}

// backoff is how long a transiently failed job waits, with full jitter so
// jobs that failed together do not come back together: a random time up to
// base × 2^(receives−1) (capped); or, when the CRM sent a Retry-After (or the
// circuit breaker is cooling down), at least that long and up to twice it
// (capped), since every job held by one cool-down got the same Retry-After.
func (s *Service) backoff(receives int, err error) time.Duration {
	if ce, ok := crm.AsError(err); ok && ce.RetryAfter > 0 {
		wait := min(ce.RetryAfter, maxRetryAfter)
		return wait + s.o.Jitter(min(wait, s.o.MaxBackoff))
	}
	d := s.o.BaseBackoff
	for i := 1; i < receives && d < s.o.MaxBackoff; i++ {
		d *= 2
	}
	return s.o.Jitter(min(d, s.o.MaxBackoff))
}

// fullJitter is a uniformly random duration in [0, d].
func fullJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return mrand.N(d + 1)
}

// retryLater hides the message for d (whole seconds, as SQS counts them)
// before its next delivery. A failure here only means the queue's own
// visibility timeout applies.
func (s *Service) retryLater(ctx context.Context, action store.Action, d Delivery, wait time.Duration) {
	url := d.QueueURL
	if url == "" {
		url = s.o.QueueURLs[action]
	}
	if url == "" || d.ReceiptHandle == "" {
		return
	}
	wait = (wait + time.Second - 1).Truncate(time.Second)
	if err := s.o.Queue.ChangeVisibility(ctx, url, d.ReceiptHandle, wait); err != nil {
		slog.WarnContext(ctx, "visibility not changed", "error", err.Error())
	}
}
