package workflow

import (
	"context"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/connections"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/execreq"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
)

// Card reads a contact's customer card; 404 when the contact has none.
func (s *Service) Card(ctx context.Context, tenantID, contactID string) (store.Card, error) {
	if err := execreq.RequireID("contactId", contactID); err != nil {
		return store.Card{}, err
	}
	ctx = logx.With(ctx, "contactId", contactID)
	c, err := s.store.GetCard(ctx, tenantID, contactID)
	if err != nil {
		return store.Card{}, connections.NotFound(err, "contactId", "card")
	}
	if c.Current == nil {
		c.Current = []store.CardRecord{}
	}
	if c.Related == nil {
		c.Related = []store.CardRecord{}
	}
	if c.Jobs == nil {
		c.Jobs = []store.JobSummary{}
	}
	s.label(ctx, tenantID, &c)
	return c, nil
}

// Pin moves a record on the card to the current section and links it, so
// timeline and memorialization write to it; unpin moves it back to related.
func (s *Service) Pin(ctx context.Context, tenantID, contactID string, ref crm.Ref, pinned bool) error {
	if err := execreq.RequireID("contactId", contactID); err != nil {
		return err
	}
	ctx = logx.With(ctx, "contactId", contactID)
	if !crm.ValidEntityName(ref.Entity) {
		return apperr.Field("entity", "must be an entity name of the CRM")
	}
	if err := execreq.RequireID("recordId", ref.ID); err != nil {
		return err
	}
	err := s.store.SetPinned(ctx, tenantID, contactID, ref, pinned)
	if errorsIsNotFound(err) {
		// The card holds the CRM's canonical spelling; the agent may have
		// used another one (HubSpot contact for contacts).
		if canon, ok := s.cardSpelling(ctx, tenantID, contactID, ref.Entity); ok && canon != ref.Entity {
			ref.Entity = canon
			err = s.store.SetPinned(ctx, tenantID, contactID, ref, pinned)
		}
	}
	if err != nil {
		return connections.NotFound(err, "recordId", "record on this contact's card")
	}
	return nil
}

// cardSpelling is entity in the canonical spelling of the CRM of the
// contact's card; ok is false when there is no card or the driver refuses it.
func (s *Service) cardSpelling(ctx context.Context, tenantID, contactID, entity string) (string, bool) {
	c, err := s.store.GetCard(ctx, tenantID, contactID)
	if err != nil {
		return "", false
	}
	cfg, err := s.store.GetConfiguration(ctx, tenantID, c.ConfigurationID)
	if err != nil {
		return "", false
	}
	d, ok := s.Registry().Driver(cfg.CRM)
	if !ok {
		return "", false
	}
	canon, err := d.Canonical(entity)
	return canon, err == nil
}
