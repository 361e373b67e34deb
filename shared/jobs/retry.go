package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
)

// Retry runs POST /v1/jobs/{jobId}/retry: after an operator fixed the cause,
// a failed or dead-lettered job (or one stuck running under a lapsed lease)
// is queued again and its message sent. Exactly once still holds: the job
// keeps its id and attempts, so the consumer looks for an earlier write by
// the job's key before writing, and a copy of the message still in the
// dead-letter queue finds the job done. A succeeded job is 409: it is never
// written twice; one a consumer is working on is 409 too.
func (s *Service) Retry(ctx context.Context, tenantID, jobID string) (View, error) {
	if !ids.Valid(jobID) {
		return View{}, apperr.Field("jobId", ids.Rule)
	}
	ctx = logx.With(ctx, "jobId", jobID)
	j, err := s.o.Store.RetryJob(ctx, tenantID, jobID, s.o.Now().UTC())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return View{}, apperr.Missing("jobId", "job")
	case errors.Is(err, store.ErrJobDone):
		return View{}, &apperr.Error{Kind: apperr.Conflict, Field: "jobId", Message: "the job succeeded; it is never written twice"}
	case errors.Is(err, store.ErrLeased):
		return View{}, &apperr.Error{Kind: apperr.Conflict, Field: "jobId", Message: "a consumer is running the job now; look at it again in a minute"}
	case err != nil:
		return View{}, fmt.Errorf("retry job: %w", err)
	}
	if err := s.send(ctx, j); err != nil {
		return View{}, err
	}
	slog.InfoContext(ctx, "job retried", "action", j.Action, "attempts", j.Attempts)
	return s.view(j), nil
}
