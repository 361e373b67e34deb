package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/workflow"
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
	if !workflow.ValidID(jobID) {
		return View{}, apperr.Field("jobId", "must be 1-128 characters of letters, digits, _ . : -")
	}
	j, err := s.o.Store.GetJob(ctx, tenantID, jobID)
	if errors.Is(err, store.ErrNotFound) {
		return View{}, apperr.Missing("jobId", "job")
	}
	if err != nil {
		return View{}, fmt.Errorf("read job: %w", err)
	}
	return s.view(j), nil
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
