package workflow

import (
	"encoding/json"
	"errors"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/store"
)

// ExecRequest is the body of every POST /v1/workflows/{action} (SPEC §3.1).
// Fields an action does not use are ignored.
type ExecRequest struct {
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

func requireID(field, v string) error {
	if v == "" {
		return apperr.Field(field, "is required")
	}
	if !ids.Valid(v) {
		return apperr.Field(field, "must be 1-128 characters of letters, digits, _ . : -")
	}
	return nil
}

// validateCommon checks the fields every execution needs.
func (r *ExecRequest) validateCommon() error {
	for _, f := range []struct{ name, v string }{
		{"configurationId", r.ConfigurationID}, {"workflowId", r.WorkflowID}, {"contactId", r.ContactID},
	} {
		if err := requireID(f.name, f.v); err != nil {
			return err
		}
	}
	if r.DynamicDataMappingID != "" && !ids.Valid(r.DynamicDataMappingID) {
		return apperr.Field("dynamicDataMappingId", "must be 1-128 characters of letters, digits, _ . : -")
	}
	return nil
}

// decodeInput decodes workflowInput into v, naming the bad field below workflowInput.
func decodeInput(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return apperr.Field("workflowInput", "is required")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return apperr.Field("workflowInput."+te.Field, "must be %s", te.Type.String())
		}
		return apperr.Field("workflowInput", "must be a JSON object")
	}
	return nil
}

func errorsIsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// checkAction refuses a workflow whose stored action is not the route's (422).
func checkAction(w store.Workflow, want store.Action) error {
	if w.Action != want {
		return &apperr.Error{Kind: apperr.Unprocessable, Field: "workflowId",
			Message: "workflow action is " + string(w.Action) + ", this route runs " + string(want)}
	}
	return nil
}
