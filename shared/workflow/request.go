package workflow

import (
	"encoding/json"
	"errors"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/execreq"
	"github.com/crmflow/crmflow/shared/store"
)

// ExecRequest is the body of every POST /v1/workflows/{action} (SPEC §3.1).
type ExecRequest = execreq.Request

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
