package dynamo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

func cardPK(tenantID, contactID string) string { return tenantPK(tenantID) + "#CARD#" + contactID }

const (
	skMeta       = "META"
	skCurrent    = "CUR#"
	skRelated    = "REL#"
	skJobSummary = "JOB#"
)

func recordSK(prefix string, ref crm.Ref) string { return prefix + ref.Entity + "#" + ref.ID }

// cardItem is every item of a card partition; which fields are set depends on the sk.
type cardItem struct {
	SK              string            `dynamodbav:"sk"`
	ConfigurationID string            `dynamodbav:"configurationId,omitempty"` // META
	Record          *store.CardRecord `dynamodbav:"record,omitempty"`          // CUR#, REL#
	Pinned          bool              `dynamodbav:"pinned"`                    // CUR#
	Job             *store.JobSummary `dynamodbav:"job,omitempty"`             // JOB#
	// Written (unix nanoseconds) and Seq (index in its WriteCard call) order the card.
	Written int64 `dynamodbav:"written"`
	Seq     int   `dynamodbav:"seq"`
	TTL     int64 `dynamodbav:"ttl"`
}

func (c cardItem) expired(now time.Time) bool { return c.TTL <= now.Unix() }

func (c cardItem) before(d cardItem) int {
	return cmp.Or(cmp.Compare(c.Written, d.Written), cmp.Compare(c.Seq, d.Seq), strings.Compare(c.SK, d.SK))
}

func (s *Store) cardItem(pk string, ci cardItem) (map[string]types.AttributeValue, error) {
	return item(key{pk, ci.SK}, ci)
}

// WriteCard adds records to a card with one BatchWriteItem (more only past 25
// items) and no read: a related write of a current record adds a REL item
// that GetCard hides, so it never demotes the record.
func (s *Store) WriteCard(ctx context.Context, tenantID, contactID, configurationID string, ws []store.CardWrite) error {
	now := s.Now()
	pk := cardPK(tenantID, contactID)
	base := cardItem{Written: now.UnixNano(), TTL: now.Add(store.CardTTL).Unix()}
	meta := base
	meta.SK, meta.ConfigurationID = skMeta, configurationID
	it, err := s.cardItem(pk, meta)
	if err != nil {
		return op("WriteCard", err)
	}
	reqs := []types.WriteRequest{putRequest(it)}
	for i, w := range ws {
		ci := base
		ci.Seq = i
		ci.Record = &w.Record
		switch w.Section {
		case store.SectionCurrent:
			ci.SK, ci.Pinned = recordSK(skCurrent, w.Record.Ref()), w.Pinned
		case store.SectionRelated:
			ci.SK = recordSK(skRelated, w.Record.Ref())
		default:
			return op("WriteCard", fmt.Errorf("unknown card section %q", w.Section))
		}
		it, err := s.cardItem(pk, ci)
		if err != nil {
			return op("WriteCard", err)
		}
		reqs = append(reqs, putRequest(it))
	}
	return op("WriteCard", s.batchWrite(ctx, dedupe(reqs)))
}

// GetCard reads a card with one consistent Query.
func (s *Store) GetCard(ctx context.Context, tenantID, contactID string) (store.Card, error) {
	items, err := s.query(ctx, cardPK(tenantID, contactID), "")
	if err != nil {
		return store.Card{}, op("GetCard", err)
	}
	now := s.Now()
	card := store.Card{TenantID: tenantID, ContactID: contactID, Current: []store.CardRecord{}, Related: []store.CardRecord{}, Jobs: []store.JobSummary{}}
	var current, related, jobs []cardItem
	found := false
	for _, raw := range items {
		var ci cardItem
		if err := attributevalue.UnmarshalMap(raw, &ci); err != nil {
			return store.Card{}, op("GetCard", err)
		}
		if ci.expired(now) {
			continue
		}
		found = true
		switch {
		case ci.SK == skMeta:
			card.ConfigurationID = ci.ConfigurationID
		case strings.HasPrefix(ci.SK, skCurrent) && ci.Record != nil:
			current = append(current, ci)
		case strings.HasPrefix(ci.SK, skRelated) && ci.Record != nil:
			related = append(related, ci)
		case strings.HasPrefix(ci.SK, skJobSummary) && ci.Job != nil:
			jobs = append(jobs, ci)
		}
	}
	if !found {
		return store.Card{}, op("GetCard", store.ErrNotFound)
	}
	isCurrent := map[crm.Ref]bool{}
	for _, ci := range current {
		isCurrent[ci.Record.Ref()] = true
	}
	related = slices.DeleteFunc(related, func(ci cardItem) bool { return isCurrent[ci.Record.Ref()] })
	for _, l := range [][]cardItem{current, related, jobs} {
		slices.SortFunc(l, cardItem.before)
	}
	for _, ci := range current {
		r := *ci.Record
		r.Pinned = ci.Pinned
		card.Current = append(card.Current, r)
	}
	for _, ci := range related {
		card.Related = append(card.Related, *ci.Record)
	}
	for _, ci := range jobs {
		card.Jobs = append(card.Jobs, *ci.Job)
	}
	return card, nil
}

// SetPinned moves a record between the sections in one transaction: pinning
// writes it as a pinned CUR item and drops its REL item, unpinning writes it
// back as a REL item and drops its CUR item. Its place in the order is kept.
func (s *Store) SetPinned(ctx context.Context, tenantID, contactID string, ref crm.Ref, pinned bool) error {
	pk := cardPK(tenantID, contactID)
	cur, rel := key{pk, recordSK(skCurrent, ref)}, key{pk, recordSK(skRelated, ref)}
	res, err := s.db.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
		{Get: &types.Get{TableName: &s.table, Key: cur.av()}},
		{Get: &types.Get{TableName: &s.table, Key: rel.av()}},
	}})
	if err != nil {
		return op("SetPinned", err)
	}
	now := s.Now()
	var source *cardItem
	for _, r := range res.Responses {
		if len(r.Item) == 0 {
			continue
		}
		var ci cardItem
		if err := attributevalue.UnmarshalMap(r.Item, &ci); err != nil {
			return op("SetPinned", err)
		}
		if !ci.expired(now) && ci.Record != nil {
			source = &ci
			break // the CUR item, when there is one, is what the card shows
		}
	}
	if source == nil {
		return op("SetPinned", store.ErrNotFound)
	}
	next := *source
	next.Pinned = pinned
	next.TTL = now.Add(store.CardTTL).Unix()
	drop := rel
	next.SK = cur.sk
	if !pinned {
		next.SK, drop = rel.sk, cur
	}
	it, err := s.cardItem(pk, next)
	if err != nil {
		return op("SetPinned", err)
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: it}},
		{Delete: &types.Delete{TableName: &s.table, Key: drop.av()}},
	}})
	return op("SetPinned", err)
}

// jobSummaryItem is the card's view of a job.
func (s *Store) jobSummaryItem(j store.Job, now time.Time) (map[string]types.AttributeValue, error) {
	return s.cardItem(cardPK(j.TenantID, j.ContactID), cardItem{
		SK: skJobSummary + j.ID,
		Job: &store.JobSummary{
			JobID: j.ID, Action: j.Action, Status: j.Status,
			CRMRecordIDs: j.CRMRecordIDs, Error: j.LastError,
		},
		Written: j.Created.UnixNano(),
		TTL:     now.Add(store.CardTTL).Unix(),
	})
}
