// Package redrive moves dead-lettered post-call jobs back to their queue
// once the cause is fixed (./scripts/redrive), and marks each moved job
// queued again: it was deadlettered (SPEC §4.2, "a redrive command puts them
// back").
package redrive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/store"
)

const (
	// moveVisibility hides a message being moved long enough to reset its
	// job, send it and delete it; should the command die meanwhile, the
	// message shows up in the dead-letter queue again.
	moveVisibility = time.Minute
	// moveWait makes each receive a long poll: a short poll samples only some
	// SQS servers and may answer empty while messages remain.
	moveWait = time.Second
	// receiveBatch is the most SQS returns per receive.
	receiveBatch = 10
)

// Queue is what a move needs of SQS; *queue.SQS has it.
type Queue interface {
	Receive(ctx context.Context, url string, limit int, wait, visibility time.Duration) ([]queue.Message, error)
	Send(ctx context.Context, url, body string, delay time.Duration) (string, error)
	Delete(ctx context.Context, url, receipt string) error
}

var _ Queue = (*queue.SQS)(nil)

// Jobs is the part of store.Store the status reset uses.
type Jobs interface {
	RequeueJob(ctx context.Context, tenantID, jobID string, now time.Time) (store.Job, error)
}

// jobMessage is a queued job's body (shared/jobs sends it): where to find the job.
type jobMessage struct {
	TenantID string `json:"tenantId"`
	JobID    string `json:"jobId"`
}

// Mover moves dead letters back to their queue.
type Mover struct {
	Queue Queue
	// Jobs, when set, has each moved job reset from deadlettered to queued.
	Jobs Jobs
	// Out receives warnings about messages whose job cannot be reset.
	Out io.Writer
	Now func() time.Time
}

// Result counts what a move did.
type Result struct {
	Moved int // messages sent back and deleted from the dead-letter queue
	Reset int // jobs set from deadlettered to queued
}

// Move moves up to limit messages (0: all there are) from the dead-letter
// queue fromDLQ back to the job queue to. For each message the job is reset
// first, then the message sent, then deleted from the dead-letter queue: no
// consumer holds a job while its message sits in the dead-letter queue, so
// the reset never overwrites a consumer's progress, and a failure midway
// duplicates a message (the consumers are idempotent) rather than losing it.
func (m *Mover) Move(ctx context.Context, fromDLQ, to string, limit int) (Result, error) {
	var res Result
	for limit <= 0 || res.Moved < limit {
		batch := receiveBatch
		if limit > 0 {
			batch = min(batch, limit-res.Moved)
		}
		msgs, err := m.Queue.Receive(ctx, fromDLQ, batch, moveWait, moveVisibility)
		if err != nil {
			return res, fmt.Errorf("redrive: %w", err)
		}
		if len(msgs) == 0 {
			return res, nil
		}
		for _, msg := range msgs {
			reset, err := m.reset(ctx, msg)
			if err != nil {
				return res, err
			}
			if _, err := m.Queue.Send(ctx, to, msg.Body, 0); err != nil {
				return res, fmt.Errorf("redrive: %w", err)
			}
			if err := m.Queue.Delete(ctx, fromDLQ, msg.ReceiptHandle); err != nil {
				return res, fmt.Errorf("redrive: %w", err)
			}
			res.Moved++
			if reset {
				res.Reset++
			}
		}
	}
	return res, nil
}

// reset marks a dead-lettered message's job queued again. A message that
// names no job it can find is still moved, with a warning: the consumer
// reports on it, and the dead-letter queue is no place to keep it.
func (m *Mover) reset(ctx context.Context, msg queue.Message) (bool, error) {
	if m.Jobs == nil {
		return false, nil
	}
	var jm jobMessage
	if err := json.Unmarshal([]byte(msg.Body), &jm); err != nil || jm.TenantID == "" || jm.JobID == "" {
		m.warn("message %s names no job ({\"tenantId\", \"jobId\"} expected); moved as it is", msg.ID)
		return false, nil
	}
	// A conditional requeue: a dead-lettered job, or one whose consumer died
	// under a lease that has lapsed, goes back to queued; a job another
	// consumer holds right now (a duplicate message got there first) or one
	// already finished is left as it is.
	j, err := m.Jobs.RequeueJob(ctx, jm.TenantID, jm.JobID, m.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		m.warn("job %s of tenant %s not found; its message moved as it is", jm.JobID, jm.TenantID)
		return false, nil
	case errors.Is(err, store.ErrLeased), errors.Is(err, store.ErrJobDone):
		m.warn("job %s is %s; status left as it is", j.ID, j.Status)
		return false, nil
	case err != nil:
		return false, fmt.Errorf("redrive: reset job %s to queued: %w", jm.JobID, err)
	}
	return true, nil
}

func (m *Mover) warn(format string, args ...any) {
	if m.Out != nil {
		fmt.Fprintf(m.Out, "warning: "+format+"\n", args...)
	}
}

func (m *Mover) now() time.Time {
	if m.Now != nil {
		return m.Now().UTC()
	}
	return time.Now().UTC()
}
