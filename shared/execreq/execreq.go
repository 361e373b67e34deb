// Package execreq is the body every POST /v1/workflows/{action} takes (SPEC
// §3.1) and the id checks every action makes of it, once for the live-call
// use cases (shared/workflow) and the post-call enqueue (shared/jobs).
package execreq

import (
	"encoding/json"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/ids"
)

// Request is the body of every POST /v1/workflows/{action}. Fields an
// action does not use are ignored.
type Request struct {
	ConfigurationID string `json:"configurationId"`
	// ConfigurationIDs fans a datamemorialization out: one job per
	// configuration (jobs.Service.Enqueue).
	ConfigurationIDs     []string        `json:"configurationIds,omitempty"`
	WorkflowID           string          `json:"workflowId"`
	ContactID            string          `json:"contactId"`
	InteractionID        string          `json:"interactionId"`
	WorkflowInput        json.RawMessage `json:"workflowInput"`
	DynamicDataMappingID string          `json:"dynamicDataMappingId"`
	DataMappingID        string          `json:"dataMappingId"`
	CxoneContact         json.RawMessage `json:"cxoneContact"`
	Records              []crm.Ref       `json:"records"`
}

// CheckIDs checks the ids of a request: configurationId, workflowId and
// contactId are required, and these and the optional dataMappingId,
// dynamicDataMappingId and interactionId must be ids (ids.Valid). The
// error is a 400 naming the first bad field.
func (r *Request) CheckIDs() error {
	for _, f := range []struct{ name, v string }{
		{"configurationId", r.ConfigurationID}, {"workflowId", r.WorkflowID}, {"contactId", r.ContactID},
	} {
		if err := RequireID(f.name, f.v); err != nil {
			return err
		}
	}
	for _, f := range []struct{ name, v string }{
		{"dataMappingId", r.DataMappingID}, {"dynamicDataMappingId", r.DynamicDataMappingID}, {"interactionId", r.InteractionID},
	} {
		if f.v != "" && !ids.Valid(f.v) {
			return invalid(f.name)
		}
	}
	return nil
}

// RequireID is a 400 naming field when v is empty or not an id.
func RequireID(field, v string) error {
	if v == "" {
		return apperr.Field(field, "is required")
	}
	if !ids.Valid(v) {
		return invalid(field)
	}
	return nil
}

func invalid(field string) error {
	return apperr.Field(field, ids.Rule)
}
