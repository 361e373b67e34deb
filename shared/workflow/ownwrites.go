package workflow

import (
	"context"
	"errors"
	"log/slog"

	"github.com/crmflow/crmflow/shared/store"
)

// SourceCard marks a search result that came from the contact's own card,
// not from the CRM's answer: a record created or updated through crmflow
// during this contact that the CRM's search index does not show yet.
const SourceCard = "card"

// ownWrites reads, beside the CRM search, the records this contact already
// created or pinned (the card's current section), so a search finds a
// record the CRM's index has not caught up with. nil when there is no card
// or it could not be read: the CRM's answer stands alone.
func (s *Service) ownWrites(ctx context.Context, tenantID, contactID string) <-chan []store.CardRecord {
	out := make(chan []store.CardRecord, 1)
	go func() {
		c, err := s.store.GetCard(ctx, tenantID, contactID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			slog.WarnContext(ctx, "card not read for the contact's own records", "error", err.Error())
		}
		out <- c.Current
	}()
	return out
}

// mergeOwn adds to the CRM's results the contact's own records that match
// and that the CRM did not answer (never twice), marked SourceCard.
func mergeOwn(results []store.CardRecord, own []store.CardRecord, match recordMatcher) []store.CardRecord {
	if match == nil || len(own) == 0 {
		return results
	}
	seen := map[string]bool{}
	for _, r := range results {
		seen[r.Entity+"\x00"+r.ID] = true
	}
	for _, r := range own {
		k := r.Entity + "\x00" + r.ID
		if seen[k] {
			continue
		}
		m, ok := match(cardFields(r))
		if !ok {
			continue
		}
		seen[k] = true
		r.Source, r.ScreenPop, r.Match = SourceCard, false, &m
		results = append(results, r)
	}
	return results
}
