package admin

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/cxone"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/store"
)

// maxDataMappingFields bounds the fields one data memorialization mapping writes.
const maxDataMappingFields = 100

// sourcePrefix may start a mapping's source, as in SPEC's "cxoneContact.agentName".
const sourcePrefix = "cxoneContact."

// MemorializeWorkflowPrefix starts the id of the datamemorialization workflow
// a data mapping gets (SPEC §3.3: creating a data mapping creates its
// workflow): mapping "call-summary" → workflow "memorialize_call-summary".
const MemorializeWorkflowPrefix = store.MemorializeWorkflowPrefix

// MemorializeWorkflowID is the id of the workflow made for data mapping id.
func MemorializeWorkflowID(dataMappingID string) string {
	return store.MemorializeWorkflowID(dataMappingID)
}

// DataMappingInput is the body of PUT …/data-mappings/{dataMappingId}.
type DataMappingInput struct {
	Entity string               `json:"entity"`
	Mode   crm.WriteMode        `json:"mode"`
	Fields []store.FieldMapping `json:"fields"`
}

// PutDataMapping adds or replaces a data memorialization mapping and its
// datamemorialization workflow (MemorializeWorkflowID). Every source must name
// a cxoneContact field and every template placeholder too, so a job never
// meets an unknown field after ACW.
func (s *Service) PutDataMapping(ctx context.Context, tenantID, configurationID, id string, in DataMappingInput) (store.DataMapping, error) {
	if !ids.Valid(id) || !ids.Valid(MemorializeWorkflowID(id)) {
		return store.DataMapping{}, apperr.Field("dataMappingId", "must be 1-%d characters of letters, digits, _ . : -",
			ids.MaxLength-len(MemorializeWorkflowPrefix))
	}
	cfg, err := s.Store.GetConfiguration(ctx, tenantID, configurationID)
	if err != nil {
		return store.DataMapping{}, missing(err, "configurationId", "configuration")
	}
	m, err := validDataMapping(in)
	if err != nil {
		return store.DataMapping{}, err
	}
	if err := s.checkDataMapping(cfg.CRM, &m); err != nil {
		return store.DataMapping{}, err
	}
	m.TenantID, m.ConfigurationID, m.ID, m.Updated = tenantID, configurationID, id, s.now()

	w := store.Workflow{TenantID: tenantID, ConfigurationID: configurationID, ID: MemorializeWorkflowID(id),
		Action: store.ActionDataMemorialization, Kind: store.KindMemorialize,
		Name: "Data memorialization " + id, Entity: m.Entity, DataMappingID: id, BuiltIn: true}
	if old, err := s.Store.GetWorkflow(ctx, tenantID, configurationID, w.ID); err == nil && old.DataMappingID != id {
		return store.DataMapping{}, apperr.New(apperr.Conflict, "workflow %s exists and does not belong to data mapping %s", w.ID, id)
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.DataMapping{}, err
	}
	if err := s.Store.PutDataMapping(ctx, m); err != nil {
		return store.DataMapping{}, err
	}
	// After the mapping: a workflow never points at a mapping that is not there.
	if err := s.Store.PutWorkflows(ctx, w); err != nil {
		return store.DataMapping{}, err
	}
	s.changed(tenantID, configurationID)
	return m, nil
}

// validDataMapping checks in and returns it as a mapping (mode defaulted to
// create, names trimmed). Errors name the exact field, e.g. fields[2].source.
func validDataMapping(in DataMappingInput) (store.DataMapping, error) {
	m := store.DataMapping{Entity: strings.TrimSpace(in.Entity), Mode: in.Mode}
	if !crm.ValidEntityName(m.Entity) {
		return store.DataMapping{}, apperr.Field("entity", "must be an entity name of the CRM")
	}
	switch m.Mode {
	case "":
		m.Mode = crm.ModeCreate
	case crm.ModeCreate, crm.ModeUpdate:
	default:
		return store.DataMapping{}, apperr.Field("mode", "must be create or update")
	}
	if len(in.Fields) == 0 || len(in.Fields) > maxDataMappingFields {
		return store.DataMapping{}, apperr.Field("fields", "needs 1 to %d fields", maxDataMappingFields)
	}
	targets := make(map[string]int, len(in.Fields))
	m.Fields = make([]store.FieldMapping, len(in.Fields))
	for i, f := range in.Fields {
		at := func(name string) string { return "fields[" + strconv.Itoa(i) + "]." + name }
		f = store.FieldMapping{Source: strings.TrimSpace(f.Source), Target: strings.TrimSpace(f.Target), Template: f.Template}
		templateAt := at("template")
		// A source written as a template is one: keep it where jobs render
		// templates, and name the field the admin wrote in errors.
		if strings.Contains(f.Source, "{{") && f.Template == "" {
			f.Source, f.Template, templateAt = "", f.Source, at("source")
		}
		if f.Source == "" && f.Template == "" {
			return store.DataMapping{}, apperr.Field(at("source"), "is required: a cxoneContact field, or a template with {{field}} placeholders")
		}
		if f.Source != "" && !cxone.Known(strings.TrimPrefix(f.Source, sourcePrefix)) {
			return store.DataMapping{}, apperr.Field(at("source"), "names unknown cxoneContact field %q (known: %s)",
				f.Source, strings.Join(cxone.FieldNames(), ", "))
		}
		if f.Template != "" {
			if _, err := cxone.ParseTemplate(f.Template); err != nil {
				return store.DataMapping{}, apperr.Field(templateAt, "%s", err.Error())
			}
		}
		if !crm.ValidField(f.Target) {
			return store.DataMapping{}, apperr.Field(at("target"), "must be a CRM field name matching ^[A-Za-z_][A-Za-z0-9_.]*$")
		}
		if j, dup := targets[f.Target]; dup {
			return store.DataMapping{}, apperr.Field(at("target"), "%s is already mapped by fields[%d]", f.Target, j)
		}
		targets[f.Target] = i
		m.Fields[i] = f
	}
	return m, nil
}

// checkDataMapping asks the configuration's driver whether the mapping can
// ever run on its CRM, so a job never finds out after a call: the entity goes
// into its canonical spelling, and an entity, mode or target the CRM cannot
// take is a 400 naming entity, mode or fields[i].target.
func (s *Service) checkDataMapping(t crm.Type, m *store.DataMapping) error {
	d, ok := s.Registry.Driver(t)
	if !ok {
		return apperr.New(apperr.Unprocessable, "CRM type %q is not supported by this deployment", t)
	}
	canon, err := d.Canonical(m.Entity)
	if err != nil {
		return driverField(err, "", "entity")
	}
	m.Entity = canon
	targets := make([]string, len(m.Fields))
	for i, f := range m.Fields {
		targets[i] = f.Target
	}
	return driverField(d.CheckMapping(crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: canon, Mode: m.Mode, Targets: targets}), "", "entity")
}

// driverField turns a driver's refusal of a mapping into a 400 naming the
// field: prefix (the mapping's place in the request, "entities[1].") then the
// driver's field, else fallback.
func driverField(err error, prefix, fallback string) error {
	if err == nil {
		return nil
	}
	e, ok := crm.AsRefusal(err)
	if !ok {
		return err
	}
	field := e.Field
	if field == "" {
		field = fallback
	}
	return &apperr.Error{Kind: apperr.Invalid, Field: prefix + field, Message: e.Message, Err: err}
}

// ListDataMappings lists a configuration's data memorialization mappings.
func (s *Service) ListDataMappings(ctx context.Context, tenantID, configurationID string) ([]store.DataMapping, error) {
	if _, err := s.Store.GetConfiguration(ctx, tenantID, configurationID); err != nil {
		return nil, missing(err, "configurationId", "configuration")
	}
	return s.Store.ListDataMappings(ctx, tenantID, configurationID)
}

// GetDataMapping reads one data memorialization mapping.
func (s *Service) GetDataMapping(ctx context.Context, tenantID, configurationID, id string) (store.DataMapping, error) {
	if _, err := s.Store.GetConfiguration(ctx, tenantID, configurationID); err != nil {
		return store.DataMapping{}, missing(err, "configurationId", "configuration")
	}
	m, err := s.Store.GetDataMapping(ctx, tenantID, configurationID, id)
	return m, missing(err, "dataMappingId", "data mapping")
}

// DeleteDataMapping removes a data memorialization mapping with the workflow
// made for it. A mapping another (admin-defined) workflow still uses answers
// 409 naming that workflow: deleting it first keeps jobs from pointing at nothing.
func (s *Service) DeleteDataMapping(ctx context.Context, tenantID, configurationID, id string) error {
	if _, err := s.GetDataMapping(ctx, tenantID, configurationID, id); err != nil {
		return err
	}
	ws, err := s.Store.ListWorkflows(ctx, tenantID, configurationID)
	if err != nil {
		return err
	}
	own := MemorializeWorkflowID(id)
	for _, w := range ws {
		if w.DataMappingID == id && w.ID != own {
			return apperr.New(apperr.Conflict, "data mapping %s is used by workflow %s; delete or change that workflow first", id, w.ID)
		}
	}
	if err := s.Store.DeleteWorkflow(ctx, tenantID, configurationID, own); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := s.Store.DeleteDataMapping(ctx, tenantID, configurationID, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	s.changed(tenantID, configurationID)
	return nil
}
