package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

func cardRecord(entity, id string) store.CardRecord {
	updated := start.Add(-time.Hour)
	return store.CardRecord{
		Entity: entity, ID: id, Display: entity + " " + id,
		URL: "https://example.my.salesforce.com/" + id, Updated: &updated, ScreenPop: true,
		Fields: []store.CardField{
			{Name: "Name", Label: "Name", Value: "Ada Lovelace"},
			{Name: "Score", Label: "Score", Value: 42.5},
			{Name: "VIP", Label: "VIP", Value: true},
		},
		Related: []store.CardRecord{{Entity: "Case", ID: "500" + id, Display: "Case 500" + id, Fields: []store.CardField{{Name: "Status", Label: "Status", Value: "Open"}}}},
	}
}

func refs(rs []store.CardRecord) []crm.Ref {
	out := []crm.Ref{}
	for _, r := range rs {
		out = append(out, r.Ref())
	}
	return out
}

func ref(entity, id string) crm.Ref { return crm.Ref{Entity: entity, ID: id} }

func current(r store.CardRecord, pinned bool) store.CardWrite {
	return store.CardWrite{Record: r, Section: store.SectionCurrent, Pinned: pinned}
}

func related(r store.CardRecord) store.CardWrite {
	return store.CardWrite{Record: r, Section: store.SectionRelated}
}

// wantCard checks the sections of a contact's card by reference, in order.
func wantCard(t *testing.T, h *harness, contactID string, cur, rel []crm.Ref) store.Card {
	t.Helper()
	card, err := h.GetCard(context.Background(), tenantA, contactID)
	if err != nil {
		t.Fatalf("GetCard: %v", err)
	}
	if got := refs(card.Current); !reflect.DeepEqual(got, nonNil(cur)) {
		t.Errorf("current = %v, want %v", got, cur)
	}
	if got := refs(card.Related); !reflect.DeepEqual(got, nonNil(rel)) {
		t.Errorf("related = %v, want %v", got, rel)
	}
	return card
}

func nonNil(rs []crm.Ref) []crm.Ref {
	if rs == nil {
		return []crm.Ref{}
	}
	return rs
}

func testCardMissing(t *testing.T, h *harness) {
	ctx := context.Background()
	_, err := h.GetCard(ctx, tenantA, "contact-none")
	wantErr(t, "GetCard of a contact without a card", err, store.ErrNotFound)
	wantErr(t, "SetPinned on a contact without a card", h.SetPinned(ctx, tenantA, "contact-none", ref("Contact", "003A"), true), store.ErrNotFound)

	// A write with no records still makes the card.
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", nil))
	card := wantCard(t, h, "contact-1", nil, nil)
	if card.ConfigurationID != "conf-1" || card.ContactID != "contact-1" {
		t.Errorf("card = %+v, want contact-1 of conf-1", card)
	}
	wantErr(t, "SetPinned of a record not on the card", h.SetPinned(ctx, tenantA, "contact-1", ref("Contact", "003A"), true), store.ErrNotFound)
}

func testCardSections(t *testing.T, h *harness) {
	ctx := context.Background()
	a, b, c := cardRecord("Contact", "003A"), cardRecord("Case", "500B"), cardRecord("Account", "001C")
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{current(a, true), related(b), current(c, false)}))

	card := wantCard(t, h, "contact-1", []crm.Ref{a.Ref(), c.Ref()}, []crm.Ref{b.Ref()})
	if card.ConfigurationID != "conf-1" || card.ContactID != "contact-1" {
		t.Errorf("card contact %q configuration %q, want contact-1 conf-1", card.ContactID, card.ConfigurationID)
	}
	wantA := a
	wantA.Pinned = true
	if len(card.Current) == 2 {
		if !reflect.DeepEqual(card.Current[0], wantA) {
			t.Errorf("current[0] = %+v,\nwant %+v", card.Current[0], wantA)
		}
		if card.Current[1].Pinned {
			t.Error("current record written with Pinned false reads as pinned")
		}
	}
	if len(card.Related) == 1 && !reflect.DeepEqual(card.Related[0], b) {
		t.Errorf("related[0] = %+v,\nwant %+v", card.Related[0], b)
	}
	if got, want := card.Linked(), []crm.Ref{a.Ref()}; !reflect.DeepEqual(got, want) {
		t.Errorf("Linked = %v, want %v", got, want)
	}
	if len(card.Jobs) != 0 {
		t.Errorf("jobs = %v, want none", card.Jobs)
	}

	// Another contact and another tenant have cards of their own.
	_, err := h.GetCard(ctx, tenantA, "contact-2")
	wantErr(t, "GetCard of another contact", err, store.ErrNotFound)
}

func testCardRelatedNeverDemotes(t *testing.T, h *harness) {
	ctx := context.Background()
	a, b := cardRecord("Contact", "003A"), cardRecord("Contact", "003B")
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{current(a, true)}))
	h.advance(time.Second)
	// A later search finds a again, with b.
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{related(a), related(b)}))
	card := wantCard(t, h, "contact-1", []crm.Ref{a.Ref()}, []crm.Ref{b.Ref()})
	if len(card.Current) == 1 && !card.Current[0].Pinned {
		t.Error("a related write unpinned a current record")
	}
}

func testCardCurrentPromotes(t *testing.T, h *harness) {
	ctx := context.Background()
	a, b := cardRecord("Contact", "003A"), cardRecord("Contact", "003B")
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{related(a), related(b)}))
	h.advance(time.Second)
	updated := b
	updated.Display = "Updated display"
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{current(updated, false)}))
	card := wantCard(t, h, "contact-1", []crm.Ref{b.Ref()}, []crm.Ref{a.Ref()})
	if len(card.Current) == 1 && card.Current[0].Display != "Updated display" {
		t.Errorf("current record display = %q, want the last write's", card.Current[0].Display)
	}
}

func testCardOrder(t *testing.T, h *harness) {
	ctx := context.Background()
	// Ids sort against their write order, so sorting by id would show.
	r3, r1, r2 := cardRecord("Contact", "3"), cardRecord("Contact", "1"), cardRecord("Contact", "2")
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{related(r3), related(r1), related(r2)}))
	wantCard(t, h, "contact-1", nil, []crm.Ref{r3.Ref(), r1.Ref(), r2.Ref()})

	h.advance(time.Millisecond)
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{related(r3)}))
	wantCard(t, h, "contact-1", nil, []crm.Ref{r1.Ref(), r2.Ref(), r3.Ref()})

	h.advance(time.Millisecond)
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{current(r2, false), current(r1, false)}))
	wantCard(t, h, "contact-1", []crm.Ref{r2.Ref(), r1.Ref()}, []crm.Ref{r3.Ref()})
}

func testCardDuplicateInOneWrite(t *testing.T, h *harness) {
	ctx := context.Background()
	first, last := cardRecord("Contact", "003A"), cardRecord("Contact", "003A")
	last.Display = "last"
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{current(first, true), current(last, false)}))
	card := wantCard(t, h, "contact-1", []crm.Ref{first.Ref()}, nil)
	if len(card.Current) == 1 && (card.Current[0].Display != "last" || card.Current[0].Pinned) {
		t.Errorf("current = %+v, want the last write of the record (unpinned, display last)", card.Current[0])
	}
}

func testCardPin(t *testing.T, h *harness) {
	ctx := context.Background()
	a, b, c := cardRecord("Contact", "003A"), cardRecord("Case", "500B"), cardRecord("Contact", "003C")
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{current(a, false), related(b), related(c)}))

	steps := []struct {
		name     string
		ref      crm.Ref
		pinned   bool
		cur, rel []crm.Ref
		linked   []crm.Ref
	}{
		{"pin a related record", b.Ref(), true, []crm.Ref{a.Ref(), b.Ref()}, []crm.Ref{c.Ref()}, []crm.Ref{b.Ref()}},
		{"pin a current record", a.Ref(), true, []crm.Ref{a.Ref(), b.Ref()}, []crm.Ref{c.Ref()}, []crm.Ref{a.Ref(), b.Ref()}},
		{"pin twice", a.Ref(), true, []crm.Ref{a.Ref(), b.Ref()}, []crm.Ref{c.Ref()}, []crm.Ref{a.Ref(), b.Ref()}},
		{"unpin back to related", b.Ref(), false, []crm.Ref{a.Ref()}, []crm.Ref{b.Ref(), c.Ref()}, []crm.Ref{a.Ref()}},
		{"unpin a current record", a.Ref(), false, nil, []crm.Ref{a.Ref(), b.Ref(), c.Ref()}, nil},
		{"unpin a related record", c.Ref(), false, nil, []crm.Ref{a.Ref(), b.Ref(), c.Ref()}, nil},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			must(t, h.SetPinned(ctx, tenantA, "contact-1", s.ref, s.pinned))
			card := wantCard(t, h, "contact-1", s.cur, s.rel)
			if got := card.Linked(); !reflect.DeepEqual(nonNil(got), nonNil(s.linked)) {
				t.Errorf("Linked = %v, want %v", got, s.linked)
			}
		})
	}

	// The record survives the moves whole.
	must(t, h.SetPinned(ctx, tenantA, "contact-1", b.Ref(), true))
	card, err := h.GetCard(ctx, tenantA, "contact-1")
	must(t, err)
	wantB := b
	wantB.Pinned = true
	if len(card.Current) != 1 || !reflect.DeepEqual(card.Current[0], wantB) {
		t.Errorf("current after pinning b = %+v, want [%+v]", card.Current, wantB)
	}
	wantErr(t, "SetPinned of a record not on the card", h.SetPinned(ctx, tenantA, "contact-1", ref("Contact", "003Z"), true), store.ErrNotFound)
	wantErr(t, "SetPinned of a record on another contact's card", h.SetPinned(ctx, tenantA, "contact-2", a.Ref(), true), store.ErrNotFound)
}

func testCardTTL(t *testing.T, h *harness) {
	h.needClock(t)
	ctx := context.Background()
	a := cardRecord("Contact", "003A")
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{related(a)}))

	h.advance(store.CardTTL - time.Minute)
	wantCard(t, h, "contact-1", nil, []crm.Ref{a.Ref()})

	h.advance(2 * time.Minute)
	_, err := h.GetCard(ctx, tenantA, "contact-1")
	wantErr(t, "GetCard after CardTTL", err, store.ErrNotFound)
	wantErr(t, "SetPinned after CardTTL", h.SetPinned(ctx, tenantA, "contact-1", a.Ref(), true), store.ErrNotFound)

	// A new write starts a new card.
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-2", nil))
	card := wantCard(t, h, "contact-1", nil, nil)
	if card.ConfigurationID != "conf-2" {
		t.Errorf("configuration of the new card = %q, want conf-2", card.ConfigurationID)
	}
}

// testCardTTLPerRecord: a write renews the card and what it wrote; records
// not written again expire CardTTL after their own last write.
func testCardTTLPerRecord(t *testing.T, h *harness) {
	h.needClock(t)
	ctx := context.Background()
	a, b := cardRecord("Contact", "003A"), cardRecord("Contact", "003B")
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{related(a), related(b)}))
	h.advance(3 * 24 * time.Hour)
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{related(b)}))
	h.advance(3 * 24 * time.Hour)
	must(t, h.SetPinned(ctx, tenantA, "contact-1", a.Ref(), true)) // pinning renews a

	h.advance(store.CardTTL - 5*24*time.Hour)
	// 8 days after the first write, 5 after b's, 2 after a's pin.
	card := wantCard(t, h, "contact-1", []crm.Ref{a.Ref()}, []crm.Ref{b.Ref()})
	if card.ConfigurationID != "conf-1" {
		t.Errorf("configuration = %q after a renewing write, want conf-1", card.ConfigurationID)
	}
	h.advance(3 * 24 * time.Hour)
	// 8 days after b's write, 5 after a's pin.
	wantCard(t, h, "contact-1", []crm.Ref{a.Ref()}, nil)
}
