package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/store"
)

// View is a job as GET /v1/jobs/{jobId} shows it (SPEC §3.3).
type View struct {
	JobID           string       `json:"jobId"`
	Action          store.Action `json:"action"`
	Status          string       `json:"status"`
	Attempts        int          `json:"attempts"`
	LastError       string       `json:"lastError,omitempty"`
	CRMRecordIDs    []crm.Ref    `json:"crmRecordIds"`
	ConfigurationID string       `json:"configurationId"`
	ContactID       string       `json:"contactId"`
	WorkflowID      string       `json:"workflowId,omitempty"`
	DataMappingID   string       `json:"dataMappingId,omitempty"`
	Created         time.Time    `json:"created"`
	Updated         time.Time    `json:"updated"`
}

// Job reads a job of the tenant; another tenant's job is 404 like a missing one.
func (s *Service) Job(ctx context.Context, tenantID, jobID string) (View, error) {
	if !ids.Valid(jobID) {
		return View{}, apperr.Field("jobId", ids.Rule)
	}
	j, err := s.o.Store.GetJob(ctx, tenantID, jobID)
	if errors.Is(err, store.ErrNotFound) {
		return View{}, apperr.Missing("jobId", "job")
	}
	if err != nil {
		return View{}, fmt.Errorf("read job: %w", err)
	}
	return s.view(s.settle(ctx, j)), nil
}

// settle records on a stuck job (stuck) what its lapsed lease means: the
// queue has moved its message to the dead-letter queue, so the job is
// deadlettered, on its record and on the card, as soon as anyone looks
// (GET /v1/jobs/{jobId}, the job list, the card). A claim in between wins;
// a failed write leaves the record as it was and the view still says
// deadlettered.
func (s *Service) settle(ctx context.Context, j store.Job) store.Job {
	now := s.o.Now().UTC()
	if !stuck(j, now, s.o.MaxReceiveCount) {
		return j
	}
	got, err := s.o.Store.DeadletterJob(ctx, j, now, StuckReason)
	switch {
	case err == nil:
		slog.WarnContext(ctx, "job dead-lettered: its consumer stopped on the last receive", "jobId", j.ID, "attempts", j.Attempts)
		return got
	case errors.Is(err, store.ErrLeased), errors.Is(err, store.ErrJobDone):
		return got // claimed or finished since it was read: that is the truth now
	default:
		slog.WarnContext(ctx, "stuck job not recorded as dead-lettered", "jobId", j.ID, "error", err.Error())
		return j
	}
}

// SettleCard brings the card's unfinished job summaries up to date with
// their records where a record has become dead-lettered (settle): a card
// read costs one job read per job still running on it, and none otherwise.
func (s *Service) SettleCard(ctx context.Context, tenantID string, c *store.Card) {
	for i, sum := range c.Jobs {
		if sum.Status != store.JobRunning {
			continue
		}
		j, err := s.o.Store.GetJob(ctx, tenantID, sum.JobID)
		if err != nil {
			continue // the summary stays as the card has it
		}
		v := s.view(s.settle(ctx, j))
		c.Jobs[i].Status, c.Jobs[i].Error = v.Status, v.LastError
		if v.Status == store.JobSucceeded {
			c.Jobs[i].CRMRecordIDs = v.CRMRecordIDs
		}
	}
}

func (s *Service) view(j store.Job) View {
	v := View{JobID: j.ID, Action: j.Action, Status: j.Status, Attempts: j.Attempts, LastError: j.LastError,
		CRMRecordIDs: j.CRMRecordIDs, ConfigurationID: j.ConfigurationID, ContactID: j.ContactID,
		WorkflowID: j.WorkflowID, DataMappingID: j.DataMappingID, Created: j.Created, Updated: j.Updated}
	if v.CRMRecordIDs == nil {
		v.CRMRecordIDs = []crm.Ref{}
	}
	if stuck(j, s.o.Now(), s.o.MaxReceiveCount) {
		v.Status = store.JobDeadlettered
		v.LastError = StuckReason
	}
	return v
}

// StuckReason is what a job whose consumer died on its message's last
// receive reports: the message is in the dead-letter queue, the job record
// still holds the dead consumer's lapsed lease.
const StuckReason = "retries exhausted: the consumer stopped before finishing; ./scripts/redrive puts the job back"

// StuckAfter is how long past its lease a running job may wait for a
// delivery before it is reported stuck: longer than any visibility a
// message can carry here (the stack's 6-minute visibility timeout, backoff
// capped at 5 minutes), so a message still on the queue would have brought
// the job back by then.
const StuckAfter = 15 * time.Minute

// stuck reports a job that no delivery will finish: running under a lapsed
// lease after the last receive the queue allows (SQS has moved its message
// to the dead-letter queue, so no consumer will claim it again), or running
// under a lease that lapsed longer ago than any message could stay hidden
// (its earlier deliveries found it leased, so attempts undercount receives).
func stuck(j store.Job, now time.Time, maxReceives int) bool {
	if j.Status != store.JobRunning || j.LeaseUntilMs >= now.UnixMilli() {
		return false
	}
	return j.Attempts >= maxReceives || now.Sub(time.UnixMilli(j.LeaseUntilMs)) > StuckAfter
}

// List limits: a page holds DefaultListLimit jobs unless the caller asks
// for up to MaxListLimit.
const (
	DefaultListLimit = 50
	MaxListLimit     = 200
)

// ListPage is a page of a tenant's jobs in one status.
type ListPage struct {
	Jobs []View `json:"jobs"`
	// NextCursor asks for the next page (?cursor=); absent on the last.
	NextCursor string `json:"nextCursor,omitempty"`
}

// List pages through a tenant's jobs in one status, the most recently
// changed first. status is required; limit 0 means DefaultListLimit.
func (s *Service) List(ctx context.Context, tenantID, status, limit, cursor string) (ListPage, error) {
	if !slices.Contains(store.JobStatuses, status) {
		return ListPage{}, apperr.Field("status", "must be one of %s", strings.Join(store.JobStatuses, ", "))
	}
	n := DefaultListLimit
	if limit != "" {
		v, err := strconv.Atoi(limit)
		if err != nil || v < 1 || v > MaxListLimit {
			return ListPage{}, apperr.Field("limit", "must be a whole number from 1 to %d", MaxListLimit)
		}
		n = v
	}
	page, err := s.o.Store.ListJobs(ctx, tenantID, status, n, cursor)
	if errors.Is(err, store.ErrBadCursor) {
		return ListPage{}, apperr.Field("cursor", "is not a cursor this list handed out; start again without one")
	}
	if err != nil {
		return ListPage{}, fmt.Errorf("list jobs: %w", err)
	}
	out := ListPage{Jobs: make([]View, 0, len(page.Jobs)), NextCursor: page.Next}
	for _, j := range page.Jobs {
		out.Jobs = append(out.Jobs, s.view(s.settle(ctx, j)))
	}
	return out, nil
}
