package admin

import (
	"context"
	"strconv"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/store"
)

// Limits of a dynamic data mapping.
const (
	maxMappingEntities = 20
	maxMappingFields   = 50
	maxLabel           = 100
)

// DynamicMappingInput is the body of PUT …/dynamic-data-mappings/{id}.
type DynamicMappingInput struct {
	Entities []store.EntityMapping `json:"entities"`
}

// PutDynamicDataMapping adds or replaces a dynamic data mapping.
func (s *Service) PutDynamicDataMapping(ctx context.Context, tenantID, configurationID, id string, in DynamicMappingInput) (store.DynamicDataMapping, error) {
	if !ids.Valid(id) {
		return store.DynamicDataMapping{}, apperr.Field("dynamicDataMappingId", ids.Rule)
	}
	cfg, err := s.Store.GetConfiguration(ctx, tenantID, configurationID)
	if err != nil {
		return store.DynamicDataMapping{}, missing(err, "configurationId", "configuration")
	}
	d, ok := s.Registry.Driver(cfg.CRM)
	if !ok {
		return store.DynamicDataMapping{}, apperr.New(apperr.Unprocessable, "CRM type %q is not supported by this deployment", cfg.CRM)
	}
	if len(in.Entities) == 0 || len(in.Entities) > maxMappingEntities {
		return store.DynamicDataMapping{}, apperr.Field("entities", "needs 1 to %d entities", maxMappingEntities)
	}
	for i, e := range in.Entities {
		at := func(f string) string { return "entities[" + strconv.Itoa(i) + "]." + f }
		canon, err := d.Canonical(e.Entity)
		if err != nil {
			return store.DynamicDataMapping{}, driverField(err, at(""), "entity")
		}
		in.Entities[i].Entity = canon
		if len(e.SearchFields) > maxMappingFields || len(e.DisplayFields) > maxMappingFields {
			return store.DynamicDataMapping{}, apperr.Field(at("displayFields"), "at most %d fields", maxMappingFields)
		}
		for j, f := range e.SearchFields {
			if !crm.ValidField(f) {
				return store.DynamicDataMapping{}, apperr.Field(at("searchFields["+strconv.Itoa(j)+"]"), "must match ^[A-Za-z_][A-Za-z0-9_.]*$")
			}
		}
		for j, f := range e.DisplayFields {
			if !crm.ValidField(f.Name) {
				return store.DynamicDataMapping{}, apperr.Field(at("displayFields["+strconv.Itoa(j)+"].name"), "must match ^[A-Za-z_][A-Za-z0-9_.]*$")
			}
			if len(f.Label) > maxLabel {
				return store.DynamicDataMapping{}, apperr.Field(at("displayFields["+strconv.Itoa(j)+"].label"), "is longer than %d characters", maxLabel)
			}
		}
	}
	for i, e := range in.Entities {
		check := crm.MappingCheck{Kind: crm.MappingSearch, Entity: e.Entity, SearchFields: e.SearchFields}
		for _, f := range e.DisplayFields {
			check.DisplayFields = append(check.DisplayFields, f.Name)
		}
		if err := driverField(d.CheckMapping(check), "entities["+strconv.Itoa(i)+"].", "entity"); err != nil {
			return store.DynamicDataMapping{}, err
		}
	}
	m := store.DynamicDataMapping{TenantID: tenantID, ConfigurationID: configurationID, ID: id, Entities: in.Entities, Updated: s.now()}
	if err := s.Store.PutDynamicDataMapping(ctx, m); err != nil {
		return store.DynamicDataMapping{}, err
	}
	return m, nil
}

// ListDynamicDataMappings lists a configuration's dynamic data mappings.
func (s *Service) ListDynamicDataMappings(ctx context.Context, tenantID, configurationID string) ([]store.DynamicDataMapping, error) {
	if _, err := s.Store.GetConfiguration(ctx, tenantID, configurationID); err != nil {
		return nil, missing(err, "configurationId", "configuration")
	}
	return s.Store.ListDynamicDataMappings(ctx, tenantID, configurationID)
}

// GetDynamicDataMapping reads one.
func (s *Service) GetDynamicDataMapping(ctx context.Context, tenantID, configurationID, id string) (store.DynamicDataMapping, error) {
	m, err := s.Store.GetDynamicDataMapping(ctx, tenantID, configurationID, id)
	return m, missing(err, "dynamicDataMappingId", "dynamic data mapping")
}

// DeleteDynamicDataMapping removes one.
func (s *Service) DeleteDynamicDataMapping(ctx context.Context, tenantID, configurationID, id string) error {
	if _, err := s.GetDynamicDataMapping(ctx, tenantID, configurationID, id); err != nil {
		return err
	}
	return s.Store.DeleteDynamicDataMapping(ctx, tenantID, configurationID, id)
}
