package dynamo

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/crmflow/crmflow/shared/store"
)

func jobKey(tenantID, id string) key { return key{tenantPK(tenantID) + "#JOB#" + id, "JOB"} }

func (s *Store) jobItem(j store.Job) (map[string]types.AttributeValue, error) {
	it, err := item(jobKey(j.TenantID, j.ID), j)
	if err != nil {
		return nil, err
	}
	it[attrTTL] = ttlAV(s.Now().Add(store.JobTTL))
	return it, nil
}

// PutJobIfAbsent stores a new job; if its id is taken it returns the stored
// job and store.ErrExists, which makes enqueueing idempotent.
func (s *Store) PutJobIfAbsent(ctx context.Context, j store.Job) (store.Job, error) {
	it, err := s.jobItem(j)
	if err != nil {
		return store.Job{}, op("PutJobIfAbsent", err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table, Item: it, ConditionExpression: ifAbsent,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		if err != nil {
			return store.Job{}, op("PutJobIfAbsent", err)
		}
		return j, nil
	}
	var stored store.Job
	if len(ccf.Item) > 0 {
		err = attributevalue.UnmarshalMap(ccf.Item, &stored)
	} else {
		err = s.get(ctx, jobKey(j.TenantID, j.ID), &stored)
	}
	if err != nil {
		return store.Job{}, op("PutJobIfAbsent", err)
	}
	return stored, store.ErrExists
}

// GetJob reads a job.
func (s *Store) GetJob(ctx context.Context, tenantID, jobID string) (store.Job, error) {
	var j store.Job
	return j, op("GetJob", s.get(ctx, jobKey(tenantID, jobID), &j))
}

// UpdateJob replaces an existing job and, when it belongs to a contact, its
// summary on the contact's card, in one transaction; store.ErrNotFound if the
// job does not exist.
func (s *Store) UpdateJob(ctx context.Context, j store.Job) error {
	it, err := s.jobItem(j)
	if err != nil {
		return op("UpdateJob", err)
	}
	tx := []types.TransactWriteItem{{Put: &types.Put{TableName: &s.table, Item: it, ConditionExpression: ifPresent}}}
	if j.ContactID != "" {
		summary, err := s.jobSummaryItem(j, s.Now())
		if err != nil {
			return op("UpdateJob", err)
		}
		tx = append(tx, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: summary}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	if _, ok := transactionConditionFailed(err); ok {
		return store.ErrNotFound
	}
	return op("UpdateJob", err)
}
