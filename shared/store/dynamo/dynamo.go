package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/crmflow/crmflow/shared/store"
)

// API is the part of the DynamoDB client the store uses; *dynamodb.Client has it.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	TransactGetItems(ctx context.Context, in *dynamodb.TransactGetItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactGetItemsOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store keeps every repository of store.Store in one DynamoDB table.
type Store struct {
	db    API
	table string
	// Now is the clock for TTLs, card order and expiry; tests move it.
	Now func() time.Time
}

var _ store.Store = (*Store)(nil)

// New returns a store on table (created with CreateTable or by infra).
func New(db API, table string) *Store {
	return &Store{db: db, table: table, Now: time.Now}
}

// Item attribute names shared by every item.
const (
	attrPK  = "pk"
	attrSK  = "sk"
	attrTTL = "ttl"
)

type key struct{ pk, sk string }

func (k key) av() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: k.pk},
		attrSK: &types.AttributeValueMemberS{Value: k.sk},
	}
}

func tenantPK(tenantID string) string { return "T#" + tenantID }

// item marshals v and adds the key.
func item(k key, v any) (map[string]types.AttributeValue, error) {
	m, err := attributevalue.MarshalMap(v)
	if err != nil {
		return nil, err
	}
	m[attrPK] = &types.AttributeValueMemberS{Value: k.pk}
	m[attrSK] = &types.AttributeValueMemberS{Value: k.sk}
	return m, nil
}

func ttlAV(t time.Time) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: fmt.Sprint(t.Unix())}
}

// conditions used by conditional writes.
var (
	ifAbsent  = aws.String("attribute_not_exists(pk)")
	ifPresent = aws.String("attribute_exists(pk)")
)

// get reads one item into out (consistently); store.ErrNotFound if absent.
func (s *Store) get(ctx context.Context, k key, out any) error {
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: k.av(), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return err
	}
	if len(res.Item) == 0 {
		return store.ErrNotFound
	}
	return attributevalue.UnmarshalMap(res.Item, out)
}

// put writes v under k; cond (may be nil) guards it and its failure becomes condErr.
func (s *Store) put(ctx context.Context, k key, v any, cond *string, condErr error) error {
	it, err := item(k, v)
	if err != nil {
		return err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: it, ConditionExpression: cond})
	return mapCondition(err, condErr)
}

// deleteExisting deletes k; store.ErrNotFound if it was not there.
func (s *Store) deleteExisting(ctx context.Context, k key) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: k.av(), ConditionExpression: ifPresent})
	return mapCondition(err, store.ErrNotFound)
}

// query returns every item of pk whose sk begins with prefix ("" = all), consistently.
func (s *Store) query(ctx context.Context, pk, prefix string) ([]map[string]types.AttributeValue, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		ConsistentRead:            aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
	}
	if prefix != "" {
		in.KeyConditionExpression = aws.String("pk = :pk AND begins_with(sk, :prefix)")
		in.ExpressionAttributeValues[":prefix"] = &types.AttributeValueMemberS{Value: prefix}
	}
	var items []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		items = append(items, page.Items...)
	}
	return items, nil
}

// mapCondition turns a failed condition into want; other errors pass through.
func mapCondition(err, want error) error {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return want
	}
	return err
}

// transactionConditionFailed reports whether a transaction was cancelled by a
// failed condition and which of its items failed.
func transactionConditionFailed(err error) (failed []int, ok bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil, false
	}
	for i, r := range tce.CancellationReasons {
		if aws.ToString(r.Code) == "ConditionalCheckFailed" {
			failed = append(failed, i)
		}
	}
	return failed, len(failed) > 0
}

// op wraps err with the operation's name, leaving the portable errors matchable.
func op(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("dynamo: %s: %w", name, err)
}
