package workflow

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/crmflow/crmflow/shared/phone"
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

// recordMatcher says whether a card record matches what a search looked
// for: one of its field values is the searched number (digits compared,
// national or international) or the searched email (case aside).
type recordMatcher func(store.CardRecord) bool

func phoneMatcher(variants []string) recordMatcher {
	var want []string
	for _, v := range variants {
		if d := phone.Digits(v); len(d) >= 7 {
			want = append(want, d)
		}
	}
	return func(r store.CardRecord) bool {
		return anyField(r, func(s string) bool {
			d := phone.Digits(s)
			if len(d) < 7 || len(d) > 15 {
				return false
			}
			for _, w := range want {
				// +1 415 555 0100 stored as (415) 555-0100, or the other way
				// round; a suffix counts only when it is a whole national number.
				if d == w || (len(w) >= 8 && strings.HasSuffix(d, w)) || (len(d) >= 8 && strings.HasSuffix(w, d)) {
					return true
				}
			}
			return false
		})
	}
}

func emailMatcher(email string) recordMatcher {
	return func(r store.CardRecord) bool {
		return anyField(r, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), email) })
	}
}

func anyField(r store.CardRecord, f func(string) bool) bool {
	for _, fl := range r.Fields {
		if s, ok := fl.Value.(string); ok && f(s) {
			return true
		}
	}
	return false
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
		if seen[k] || !match(r) {
			continue
		}
		seen[k] = true
		r.Source, r.ScreenPop = SourceCard, false
		results = append(results, r)
	}
	return results
}
