package dynamo

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/crmflow/crmflow/shared/store"
)

// The idempotency ledger lives on the job item itself: ClaimJob and
// FinishJob are conditional writes on its status and lease attributes, so two
// consumers holding the same job can never both run it.

// claimCondition is store.Job.Claimable as a DynamoDB condition.
const claimCondition = "attribute_exists(pk) AND (#status IN (:queued, :deadlettered) OR (#status = :running AND leaseUntil < :now))"

// ClaimJob takes a claimable job under owner's lease (store.Jobs.ClaimJob)
// with one conditional UpdateItem.
func (s *Store) ClaimJob(ctx context.Context, tenantID, jobID, owner string, now time.Time, lease time.Duration) (store.Job, error) {
	updated, err := attributevalue.Marshal(now)
	if err != nil {
		return store.Job{}, op("ClaimJob", err)
	}
	str := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	num := func(v int64) types.AttributeValue {
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
	}
	res, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &s.table,
		Key:                 jobKey(tenantID, jobID).av(),
		ConditionExpression: aws.String(claimCondition),
		UpdateExpression: aws.String("SET #status = :running, leaseOwner = :owner, leaseUntil = :until, " +
			"attempts = if_not_exists(attempts, :zero) + :one, updated = :updated, #ttl = :ttl, " +
			attrJobList + " = :list, " + attrJobOrder + " = :order"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#ttl": attrTTL},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":queued": str(store.JobQueued), ":deadlettered": str(store.JobDeadlettered), ":running": str(store.JobRunning),
			":now": num(now.UnixMilli()), ":owner": str(owner), ":until": num(now.Add(lease).UnixMilli()),
			":zero": num(0), ":one": num(1), ":updated": updated, ":ttl": ttlAV(s.Now().Add(store.JobTTL)),
			":list":  str(jobListPK(tenantID, store.JobRunning)),
			":order": str(store.JobListOrder(store.Job{ID: jobID, Updated: now})),
		},
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return s.refusedClaim(ctx, tenantID, jobID, ccf.Item)
	}
	if err != nil {
		return store.Job{}, op("ClaimJob", err)
	}
	var j store.Job
	return j, op("ClaimJob", attributevalue.UnmarshalMap(res.Attributes, &j))
}

// refusedClaim says why a claim's condition failed, from the item the
// failure returned (or a fresh read when the service sent none).
func (s *Store) refusedClaim(ctx context.Context, tenantID, jobID string, old map[string]types.AttributeValue) (store.Job, error) {
	var j store.Job
	var err error
	if len(old) > 0 {
		err = attributevalue.UnmarshalMap(old, &j)
	} else {
		err = s.get(ctx, jobKey(tenantID, jobID), &j)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Job{}, op("ClaimJob", store.ErrNotFound)
	case err != nil:
		return store.Job{}, op("ClaimJob", err)
	case j.Finished():
		return j, op("ClaimJob", store.ErrJobDone)
	}
	return j, op("ClaimJob", store.ErrLeased)
}

// FinishJob ends owner's attempt (store.Jobs.FinishJob): the job and its card
// summary in one transaction, conditional on owner's lease.
func (s *Store) FinishJob(ctx context.Context, j store.Job, owner string) error {
	j.LeaseOwner, j.LeaseUntilMs = "", 0
	it, err := s.jobItem(j)
	if err != nil {
		return op("FinishJob", err)
	}
	tx := []types.TransactWriteItem{{Put: &types.Put{
		TableName: &s.table, Item: it,
		ConditionExpression:      aws.String("#status = :running AND leaseOwner = :owner"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":running": &types.AttributeValueMemberS{Value: store.JobRunning},
			":owner":   &types.AttributeValueMemberS{Value: owner},
		},
	}}}
	if j.ContactID != "" {
		summary, err := s.jobSummaryItem(j, s.Now())
		if err != nil {
			return op("FinishJob", err)
		}
		tx = append(tx, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: summary}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	if failed, ok := transactionConditionFailed(err); ok && len(failed) > 0 && failed[0] == 0 {
		return op("FinishJob", store.ErrLeaseLost)
	}
	return op("FinishJob", err)
}

// RequeueJob puts a stuck or dead-lettered job back to queued
// (store.Jobs.RequeueJob): a consistent read, then the job and its card
// summary in one transaction on condition that status and attempts are still
// those read — a claim in between changes both, and wins.
func (s *Store) RequeueJob(ctx context.Context, tenantID, jobID string, now time.Time) (store.Job, error) {
	return s.requeue(ctx, tenantID, jobID, now, false)
}

// RetryJob is RequeueJob that also takes a failed job back.
func (s *Store) RetryJob(ctx context.Context, tenantID, jobID string, now time.Time) (store.Job, error) {
	return s.requeue(ctx, tenantID, jobID, now, true)
}

func (s *Store) requeue(ctx context.Context, tenantID, jobID string, now time.Time, failedToo bool) (store.Job, error) {
	j, err := s.GetJob(ctx, tenantID, jobID)
	if err != nil {
		return store.Job{}, err
	}
	switch {
	case j.Status == store.JobSucceeded || (j.Status == store.JobFailed && !failedToo):
		return j, store.ErrJobDone
	case j.Status == store.JobRunning && j.LeaseUntilMs >= now.UnixMilli():
		return j, store.ErrLeased
	}
	read := j
	j.Status, j.LeaseOwner, j.LeaseUntilMs, j.Updated = store.JobQueued, "", 0, now
	it, err := s.jobItem(j)
	if err != nil {
		return store.Job{}, op("RequeueJob", err)
	}
	tx := []types.TransactWriteItem{{Put: &types.Put{
		TableName: &s.table, Item: it,
		ConditionExpression:      aws.String("#status = :status AND attempts = :attempts"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":status":   &types.AttributeValueMemberS{Value: read.Status},
			":attempts": &types.AttributeValueMemberN{Value: strconv.Itoa(read.Attempts)},
		},
	}}}
	if j.ContactID != "" {
		summary, err := s.jobSummaryItem(j, now)
		if err != nil {
			return store.Job{}, op("RequeueJob", err)
		}
		tx = append(tx, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: summary}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	if failed, ok := transactionConditionFailed(err); ok && len(failed) > 0 && failed[0] == 0 {
		// Claimed (or finished) meanwhile: report what it is now.
		cur, gerr := s.GetJob(ctx, tenantID, jobID)
		if gerr != nil {
			return store.Job{}, gerr
		}
		if cur.Finished() {
			return cur, store.ErrJobDone // finished meanwhile, by another attempt
		}
		return cur, store.ErrLeased
	}
	if err != nil {
		return store.Job{}, op("RequeueJob", err)
	}
	return j, nil
}

// DeadletterJob marks a job as read dead-lettered
// (store.Jobs.DeadletterJob): the job and its card summary in one
// transaction on condition that status and attempts are still those read.
func (s *Store) DeadletterJob(ctx context.Context, read store.Job, now time.Time, reason string) (store.Job, error) {
	switch {
	case read.Finished():
		return read, store.ErrJobDone
	case read.Status == store.JobRunning && read.LeaseUntilMs >= now.UnixMilli():
		return read, store.ErrLeased
	}
	j := read
	j.Status, j.LastError, j.LeaseOwner, j.LeaseUntilMs, j.Updated = store.JobDeadlettered, reason, "", 0, now
	it, err := s.jobItem(j)
	if err != nil {
		return store.Job{}, op("DeadletterJob", err)
	}
	tx := []types.TransactWriteItem{{Put: &types.Put{
		TableName: &s.table, Item: it,
		ConditionExpression:      aws.String("#status = :status AND attempts = :attempts"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":status":   &types.AttributeValueMemberS{Value: read.Status},
			":attempts": &types.AttributeValueMemberN{Value: strconv.Itoa(read.Attempts)},
		},
	}}}
	if j.ContactID != "" {
		summary, err := s.jobSummaryItem(j, now)
		if err != nil {
			return store.Job{}, op("DeadletterJob", err)
		}
		tx = append(tx, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: summary}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	if failed, ok := transactionConditionFailed(err); ok && len(failed) > 0 && failed[0] == 0 {
		cur, gerr := s.GetJob(ctx, read.TenantID, read.ID)
		switch {
		case gerr != nil:
			return store.Job{}, gerr
		case cur.Finished():
			return cur, store.ErrJobDone
		}
		return cur, store.ErrLeased
	}
	if err != nil {
		return store.Job{}, op("DeadletterJob", err)
	}
	return j, nil
}
