package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/crmflow/crmflow/shared/store"
)

// The trailing # keeps configuration "a" from matching the items of "ab".
func wfPrefix(confID string) string  { return "WF#" + confID + "#" }
func dmPrefix(confID string) string  { return "DM#" + confID + "#" }
func ddmPrefix(confID string) string { return "DDM#" + confID + "#" }

func wfKey(tenantID, confID, id string) key  { return key{tenantPK(tenantID), wfPrefix(confID) + id} }
func dmKey(tenantID, confID, id string) key  { return key{tenantPK(tenantID), dmPrefix(confID) + id} }
func ddmKey(tenantID, confID, id string) key { return key{tenantPK(tenantID), ddmPrefix(confID) + id} }

// PutWorkflows creates or replaces workflows in batches of 25.
func (s *Store) PutWorkflows(ctx context.Context, ws ...store.Workflow) error {
	reqs := make([]types.WriteRequest, 0, len(ws))
	for _, w := range ws {
		it, err := item(wfKey(w.TenantID, w.ConfigurationID, w.ID), w)
		if err != nil {
			return op("PutWorkflows", err)
		}
		reqs = append(reqs, putRequest(it))
	}
	return op("PutWorkflows", s.batchWrite(ctx, dedupe(reqs)))
}

// GetWorkflow reads a workflow.
func (s *Store) GetWorkflow(ctx context.Context, tenantID, configurationID, id string) (store.Workflow, error) {
	var w store.Workflow
	return w, op("GetWorkflow", s.get(ctx, wfKey(tenantID, configurationID, id), &w))
}

// ListWorkflows returns a configuration's workflows ordered by id.
func (s *Store) ListWorkflows(ctx context.Context, tenantID, configurationID string) ([]store.Workflow, error) {
	return list[store.Workflow](ctx, s, "ListWorkflows", tenantID, wfPrefix(configurationID))
}

// ListDataMappings lists a configuration's data mappings, by id.
func (s *Store) ListDataMappings(ctx context.Context, tenantID, configurationID string) ([]store.DataMapping, error) {
	return list[store.DataMapping](ctx, s, "ListDataMappings", tenantID, dmPrefix(configurationID))
}

// ListDynamicDataMappings lists a configuration's dynamic data mappings, by id.
func (s *Store) ListDynamicDataMappings(ctx context.Context, tenantID, configurationID string) ([]store.DynamicDataMapping, error) {
	return list[store.DynamicDataMapping](ctx, s, "ListDynamicDataMappings", tenantID, ddmPrefix(configurationID))
}

// list reads every item of a tenant whose sort key starts with prefix, in
// sort key order (ids, for the prefixes above).
func list[T any](ctx context.Context, s *Store, name, tenantID, prefix string) ([]T, error) {
	items, err := s.query(ctx, tenantPK(tenantID), prefix)
	if err != nil {
		return nil, op(name, err)
	}
	out := make([]T, 0, len(items))
	if err := attributevalue.UnmarshalListOfMaps(items, &out); err != nil {
		return nil, op(name, err)
	}
	return out, nil
}

// DeleteWorkflow removes a workflow.
func (s *Store) DeleteWorkflow(ctx context.Context, tenantID, configurationID, id string) error {
	return op("DeleteWorkflow", s.deleteExisting(ctx, wfKey(tenantID, configurationID, id)))
}

// PutDataMapping creates or replaces a data mapping.
func (s *Store) PutDataMapping(ctx context.Context, m store.DataMapping) error {
	return op("PutDataMapping", s.put(ctx, dmKey(m.TenantID, m.ConfigurationID, m.ID), m, nil, nil))
}

// GetDataMapping reads a data mapping.
func (s *Store) GetDataMapping(ctx context.Context, tenantID, configurationID, id string) (store.DataMapping, error) {
	var m store.DataMapping
	return m, op("GetDataMapping", s.get(ctx, dmKey(tenantID, configurationID, id), &m))
}

// DeleteDataMapping removes a data mapping.
func (s *Store) DeleteDataMapping(ctx context.Context, tenantID, configurationID, id string) error {
	return op("DeleteDataMapping", s.deleteExisting(ctx, dmKey(tenantID, configurationID, id)))
}

// PutDynamicDataMapping creates or replaces a dynamic data mapping.
func (s *Store) PutDynamicDataMapping(ctx context.Context, m store.DynamicDataMapping) error {
	return op("PutDynamicDataMapping", s.put(ctx, ddmKey(m.TenantID, m.ConfigurationID, m.ID), m, nil, nil))
}

// GetDynamicDataMapping reads a dynamic data mapping.
func (s *Store) GetDynamicDataMapping(ctx context.Context, tenantID, configurationID, id string) (store.DynamicDataMapping, error) {
	var m store.DynamicDataMapping
	return m, op("GetDynamicDataMapping", s.get(ctx, ddmKey(tenantID, configurationID, id), &m))
}

// DeleteDynamicDataMapping removes a dynamic data mapping.
func (s *Store) DeleteDynamicDataMapping(ctx context.Context, tenantID, configurationID, id string) error {
	return op("DeleteDynamicDataMapping", s.deleteExisting(ctx, ddmKey(tenantID, configurationID, id)))
}
