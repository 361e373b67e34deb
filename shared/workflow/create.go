package workflow

import (
	"context"
	"log/slog"
	"slices"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/connections"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
)

// CreateInput is workflowInput of a create.
type CreateInput struct {
	Entity    string         `json:"entity"`
	Fields    map[string]any `json:"fields"`
	Pin       bool           `json:"pin"`
	ScreenPop bool           `json:"screenPop"`
}

// maxFields bounds how many fields one create or update may carry.
const maxFields = 200

// Create runs a create workflow: the record goes to the CRM, then into the
// card's current section (pinned, and so linked, when asked).
func (s *Service) Create(ctx context.Context, tenantID string, req ExecRequest) (Result, error) {
	if err := req.CheckIDs(); err != nil {
		return Result{}, err
	}
	ctx = logx.With(ctx, "configurationId", req.ConfigurationID, "workflowId", req.WorkflowID, "contactId", req.ContactID)
	w, err := s.Workflow(ctx, tenantID, req.ConfigurationID, req.WorkflowID)
	if err != nil {
		return Result{}, err
	}
	if err := checkAction(w, store.ActionCreate); err != nil {
		return Result{}, err
	}
	var in CreateInput
	if err := decodeInput(req.WorkflowInput, &in); err != nil {
		return Result{}, err
	}
	conn, err := s.Get(ctx, tenantID, req.ConfigurationID)
	if err != nil {
		return Result{}, err
	}
	if err := s.checkCreate(w, conn, &in); err != nil {
		return Result{}, err
	}

	cctx, cancel := context.WithTimeout(ctx, conn.Timeout())
	defer cancel()
	rec, err := conn.Connector.Create(cctx, in.Entity, in.Fields)
	if err != nil {
		return Result{}, refused(err, "workflowInput")
	}
	if rec.Fields == nil {
		rec.Fields = in.Fields
	}
	cr := cardRecord(rec, nil)
	cr.Pinned = in.Pin
	res := Result{ContactID: req.ContactID, WorkflowID: w.ID, Action: store.ActionCreate, MatchCount: 1, Complete: true,
		System: system(conn), Records: []store.CardRecord{cr}}
	if in.ScreenPop && cr.URL != "" {
		res.Records[0].ScreenPop = true
		res.ScreenPopURL = cr.URL
	}
	s.addToCard(ctx, tenantID, req.ContactID, req.ConfigurationID, res.Records, store.SectionCurrent, in.Pin)
	slog.InfoContext(ctx, "record created", "crm", conn.Config.CRM, "entity", in.Entity, "pinned", in.Pin)
	return res, nil
}

// checkCreate: a standard-create workflow takes only its entity and that
// entity's standard fields; a custom create takes any valid entity name.
// Any documented spelling of the entity is taken; the CRM's canonical one goes on.
func (s *Service) checkCreate(w store.Workflow, conn *connections.Conn, in *CreateInput) error {
	if w.Kind == store.KindStandard && in.Entity == "" {
		in.Entity = w.Entity
	}
	entity, err := canonicalEntity(conn.Driver, "workflowInput.entity", in.Entity)
	if err != nil {
		return err
	}
	in.Entity = entity
	if w.Kind == store.KindStandard {
		if want, err := conn.Driver.Canonical(w.Entity); err != nil || want != entity {
			return apperr.Field("workflowInput.entity", "this workflow creates %s records", w.Entity)
		}
	}
	if err := checkFields(in.Fields); err != nil {
		return err
	}
	if w.Kind != store.KindStandard {
		return nil
	}
	d := conn.Driver
	def, ok := d.StandardEntity(w.Entity)
	if !ok {
		return apperr.New(apperr.Unprocessable, "%s is no longer a standard %s entity", w.Entity, d.Label)
	}
	for _, name := range sortedKeys(in.Fields) {
		if !slices.Contains(def.Fields, name) {
			return apperr.Field("workflowInput.fields."+name, "is not a standard field of %s (use a custom create workflow for other fields)", w.Entity)
		}
	}
	return nil
}

func checkFields(fields map[string]any) error {
	if len(fields) == 0 {
		return apperr.Field("workflowInput.fields", "needs at least one field")
	}
	if len(fields) > maxFields {
		return apperr.Field("workflowInput.fields", "has more than %d fields", maxFields)
	}
	for _, name := range sortedKeys(fields) {
		if !crm.ValidField(name) {
			return apperr.Field("workflowInput.fields", "field name %q must match ^[A-Za-z_][A-Za-z0-9_.]*$", name)
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
