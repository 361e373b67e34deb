package workflow

import (
	"context"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
)

// Card reads a contact's customer card; 404 when the contact has none.
func (s *Service) Card(ctx context.Context, tenantID, contactID string) (store.Card, error) {
	if err := requireID("contactId", contactID); err != nil {
		return store.Card{}, err
	}
	ctx = logx.With(ctx, "contactId", contactID)
	c, err := s.store.GetCard(ctx, tenantID, contactID)
	if err != nil {
		return store.Card{}, notFound(err, "contactId", "card")
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
	return c, nil
}

// Pin moves a record on the card to the current section and links it, so
// timeline and memorialization write to it; unpin moves it back to related.
func (s *Service) Pin(ctx context.Context, tenantID, contactID string, ref crm.Ref, pinned bool) error {
	if err := requireID("contactId", contactID); err != nil {
		return err
	}
	ctx = logx.With(ctx, "contactId", contactID)
	if !crm.ValidField(ref.Entity) {
		return apperr.Field("entity", "must match ^[A-Za-z_][A-Za-z0-9_.]*$")
	}
	if err := requireID("recordId", ref.ID); err != nil {
		return err
	}
	if err := s.store.SetPinned(ctx, tenantID, contactID, ref, pinned); err != nil {
		return notFound(err, "recordId", "record on this contact's card")
	}
	return nil
}
