package admin

import (
	"context"
	"errors"
	"strings"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/store"
)

// WorkflowInput is the body of PUT …/workflows/{workflowId}.
type WorkflowInput struct {
	Action        store.Action `json:"action"`
	Name          string       `json:"name"`
	Kind          string       `json:"kind"`
	Entity        string       `json:"entity"`
	DataMappingID string       `json:"dataMappingId"`
}

// ListWorkflows lists a configuration's workflows.
func (s *Service) ListWorkflows(ctx context.Context, tenantID, configurationID string) ([]store.Workflow, error) {
	if _, err := s.Store.GetConfiguration(ctx, tenantID, configurationID); err != nil {
		return nil, missing(err, "configurationId", "configuration")
	}
	ws, err := s.Store.ListWorkflows(ctx, tenantID, configurationID)
	if ws == nil {
		ws = []store.Workflow{}
	}
	return ws, err
}

// GetWorkflow reads one workflow.
func (s *Service) GetWorkflow(ctx context.Context, tenantID, configurationID, id string) (store.Workflow, error) {
	w, err := s.Store.GetWorkflow(ctx, tenantID, configurationID, id)
	return w, missing(err, "workflowId", "workflow")
}

// PutWorkflow adds or replaces an admin-defined workflow.
func (s *Service) PutWorkflow(ctx context.Context, tenantID, configurationID, id string, in WorkflowInput) (store.Workflow, error) {
	if !ids.Valid(id) {
		return store.Workflow{}, apperr.Field("workflowId", ids.Rule)
	}
	cfg, err := s.Store.GetConfiguration(ctx, tenantID, configurationID)
	if err != nil {
		return store.Workflow{}, missing(err, "configurationId", "configuration")
	}
	d, _ := s.Registry.Driver(cfg.CRM)
	w := store.Workflow{TenantID: tenantID, ConfigurationID: configurationID, ID: id, Action: in.Action,
		Name: strings.TrimSpace(in.Name), Entity: in.Entity, DataMappingID: in.DataMappingID}
	if w.Name == "" || len(w.Name) > 200 {
		return store.Workflow{}, apperr.Field("name", "is required (at most 200 characters)")
	}
	if in.Entity != "" {
		canon, err := d.Canonical(in.Entity)
		if err != nil {
			return store.Workflow{}, driverField(err, "", "entity")
		}
		in.Entity, w.Entity = canon, canon
	}
	switch in.Action {
	case store.ActionSearch:
		switch in.Kind {
		case store.KindPhone, store.KindEmail, store.KindCustomSearch:
			w.Kind = in.Kind
		default:
			return store.Workflow{}, apperr.Field("kind", "must be phone, email or custom for a search workflow")
		}
	case store.ActionCreate:
		w.Kind = store.KindCustomCreate
		if in.Kind == store.KindStandard || (in.Kind == "" && in.Entity != "") {
			if _, ok := d.StandardEntity(in.Entity); !ok {
				return store.Workflow{}, apperr.Field("entity", "is not a standard %s entity; use kind custom_create", d.Label)
			}
			w.Kind = store.KindStandard
		}
	case store.ActionUpdate:
		w.Kind = store.KindUpdate
	case store.ActionTimeline:
		w.Kind = store.KindTimeline
	case store.ActionDataMemorialization:
		w.Kind = store.KindMemorialize
		if in.DataMappingID == "" {
			return store.Workflow{}, apperr.Field("dataMappingId", "is required for a datamemorialization workflow")
		}
		if _, err := s.Store.GetDataMapping(ctx, tenantID, configurationID, in.DataMappingID); err != nil {
			return store.Workflow{}, missing(err, "dataMappingId", "data mapping")
		}
	default:
		return store.Workflow{}, apperr.Field("action", "must be one of search, create, update, timeline, datamemorialization")
	}
	if old, err := s.Store.GetWorkflow(ctx, tenantID, configurationID, id); err == nil && old.BuiltIn {
		return store.Workflow{}, apperr.New(apperr.Conflict, "workflow %s is built in and cannot be replaced", id)
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Workflow{}, err
	}
	if err := s.Store.PutWorkflows(ctx, w); err != nil {
		return store.Workflow{}, err
	}
	return w, nil
}

// DeleteWorkflow removes a workflow.
func (s *Service) DeleteWorkflow(ctx context.Context, tenantID, configurationID, id string) error {
	if _, err := s.Store.GetWorkflow(ctx, tenantID, configurationID, id); err != nil {
		return missing(err, "workflowId", "workflow")
	}
	return s.Store.DeleteWorkflow(ctx, tenantID, configurationID, id)
}
