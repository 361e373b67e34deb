package workflow

import (
	"context"
	"log/slog"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/execreq"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
)

// UpdateInput is workflowInput of an update.
type UpdateInput struct {
	Entity string         `json:"entity"`
	ID     string         `json:"id"`
	Fields map[string]any `json:"fields"`
}

// Update runs an update workflow, then reads the record back so the card and
// the answer show it as the CRM now has it.
func (s *Service) Update(ctx context.Context, tenantID string, req ExecRequest) (Result, error) {
	if err := req.CheckIDs(); err != nil {
		return Result{}, err
	}
	ctx = logx.With(ctx, "configurationId", req.ConfigurationID, "workflowId", req.WorkflowID, "contactId", req.ContactID)
	w, err := s.Workflow(ctx, tenantID, req.ConfigurationID, req.WorkflowID)
	if err != nil {
		return Result{}, err
	}
	if err := checkAction(w, store.ActionUpdate); err != nil {
		return Result{}, err
	}
	var in UpdateInput
	if err := decodeInput(req.WorkflowInput, &in); err != nil {
		return Result{}, err
	}
	if in.Entity == "" || !crm.ValidEntityName(in.Entity) {
		return Result{}, apperr.Field("workflowInput.entity", "is required and must be an entity name of the CRM")
	}
	if err := execreq.RequireID("workflowInput.id", in.ID); err != nil {
		return Result{}, err
	}
	if err := checkFields(in.Fields); err != nil {
		return Result{}, err
	}
	conn, err := s.Get(ctx, tenantID, req.ConfigurationID)
	if err != nil {
		return Result{}, err
	}
	if in.Entity, err = canonicalEntity(conn.Driver, "workflowInput.entity", in.Entity); err != nil {
		return Result{}, err
	}
	cctx, cancel := context.WithTimeout(ctx, conn.Timeout())
	defer cancel()
	ref := crm.Ref{Entity: in.Entity, ID: in.ID}
	if err := conn.Connector.Update(cctx, ref, in.Fields); err != nil {
		return Result{}, refused(err, "workflowInput")
	}
	rec, err := conn.Connector.Get(cctx, ref, sortedKeys(in.Fields))
	if err != nil {
		// The update is done; only the read-back failed. Answer with what we know.
		slog.WarnContext(ctx, "updated record not read back", "error", logx.ErrorText(err))
		rec = crm.Record{Entity: in.Entity, ID: in.ID, URL: conn.Connector.RecordURL(ref), Fields: in.Fields}
	}
	cr := cardRecord(rec, nil)
	res := Result{ContactID: req.ContactID, WorkflowID: w.ID, Action: store.ActionUpdate, MatchCount: 1, Complete: true,
		System: system(conn), Records: []store.CardRecord{cr}}
	s.addToCard(ctx, tenantID, req.ContactID, req.ConfigurationID, res.Records, store.SectionRelated, false)
	slog.InfoContext(ctx, "record updated", "crm", conn.Config.CRM, "entity", in.Entity)
	return res, nil
}
