package workflow

import (
	"context"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

// Connection returns a configuration's cached connector, the same one (with
// the same token) search, create and update use in this process. Post-call
// consumers call it so a warm consumer asks for one token per configuration.
// A configuration that does not exist (deleted meanwhile) is an
// apperr.NotFound naming configurationId.
func (s *Service) Connection(ctx context.Context, tenantID, configurationID string) (crm.Connector, store.Configuration, error) {
	c, err := s.connect(ctx, tenantID, configurationID)
	if err != nil {
		return nil, store.Configuration{}, err
	}
	return c.connector, c.config, nil
}

// Workflow returns a workflow from the same bounded-TTL cache the live-call
// use cases read; a missing one is an apperr.NotFound naming configurationId
// when the configuration is what is missing, else workflowId.
func (s *Service) Workflow(ctx context.Context, tenantID, configurationID, workflowID string) (store.Workflow, error) {
	return s.workflow(ctx, tenantID, configurationID, workflowID)
}

// Driver returns a configuration's CRM driver, whose Canonical puts an
// entity name into the CRM's own spelling, from the same cached connection.
func (s *Service) Driver(ctx context.Context, tenantID, configurationID string) (crm.Driver, error) {
	c, err := s.connect(ctx, tenantID, configurationID)
	if err != nil {
		return crm.Driver{}, err
	}
	return c.driver, nil
}
