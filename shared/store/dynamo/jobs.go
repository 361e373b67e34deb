package dynamo

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/crmflow/crmflow/shared/store"
)

func jobKey(tenantID, id string) key { return key{tenantPK(tenantID) + "#JOB#" + id, "JOB"} }

// The jobs-by-status index (ListJobs): a job item carries its tenant and
// status as the index's partition and store.JobListOrder as its sort key.
const (
	jobsByStatus  = "jobsByStatus"
	attrJobList   = "jobList"
	attrJobOrder  = "jobOrder"
	jobListSuffix = "#JOBS#"
)

func jobListPK(tenantID, status string) string { return tenantPK(tenantID) + jobListSuffix + status }

func (s *Store) jobItem(j store.Job) (map[string]types.AttributeValue, error) {
	it, err := item(jobKey(j.TenantID, j.ID), j)
	if err != nil {
		return nil, err
	}
	it[attrTTL] = ttlAV(s.Now().Add(store.JobTTL))
	it[attrJobList] = &types.AttributeValueMemberS{Value: jobListPK(j.TenantID, j.Status)}
	it[attrJobOrder] = &types.AttributeValueMemberS{Value: store.JobListOrder(j)}
	return it, nil
}

// ListJobs queries the jobs-by-status index newest first (store.Jobs.ListJobs).
// The index is eventually consistent: a job that changed status a moment ago
// may still be listed under its old one.
func (s *Store) ListJobs(ctx context.Context, tenantID, status string, limit int, cursor string) (store.JobPage, error) {
	if limit <= 0 {
		limit = 1000
	}
	str := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(jobsByStatus),
		KeyConditionExpression:    aws.String(attrJobList + " = :list"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":list": str(jobListPK(tenantID, status))},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(min(limit+1, 1001))),
	}
	if cursor != "" {
		order, jobID, err := store.ParseJobCursor(cursor)
		if err != nil {
			return store.JobPage{}, err
		}
		k := jobKey(tenantID, jobID)
		in.ExclusiveStartKey = map[string]types.AttributeValue{
			attrPK: str(k.pk), attrSK: str(k.sk), attrJobList: str(jobListPK(tenantID, status)), attrJobOrder: str(order),
		}
	}
	var page store.JobPage
	for len(page.Jobs) <= limit {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return store.JobPage{}, op("ListJobs", err)
		}
		for _, it := range res.Items {
			var j store.Job
			if err := attributevalue.UnmarshalMap(it, &j); err != nil {
				return store.JobPage{}, op("ListJobs", err)
			}
			page.Jobs = append(page.Jobs, j)
		}
		if len(res.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
	if len(page.Jobs) > limit {
		page.Jobs = page.Jobs[:limit]
		page.Next = store.JobCursor(page.Jobs[limit-1])
	}
	return page, nil
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
