package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/crmflow/crmflow/shared/store"
)

func confKey(tenantID, id string) key { return key{tenantPK(tenantID), "CONF#" + id} }

// maxVersionAttempts bounds PutConfiguration's retries when another writer
// bumps the version between its read and its write.
const maxVersionAttempts = 5

// PutConfiguration creates or replaces c with Version = stored version + 1
// (1 when new). The write is conditional on the version it read, so two
// concurrent puts never get the same version.
func (s *Store) PutConfiguration(ctx context.Context, c *store.Configuration) error {
	k := confKey(c.TenantID, c.ID)
	for range maxVersionAttempts {
		var stored struct {
			Version int64 `dynamodbav:"version"`
		}
		cond, vals := ifAbsent, map[string]types.AttributeValue(nil)
		switch err := s.get(ctx, k, &stored); {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return op("PutConfiguration", err)
		default:
			cond = aws.String("version = :v")
			vals = map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(stored.Version, 10)}}
		}
		next := *c
		next.Version = stored.Version + 1
		it, err := item(k, next)
		if err != nil {
			return op("PutConfiguration", err)
		}
		_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: it, ConditionExpression: cond, ExpressionAttributeValues: vals})
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			continue // someone else wrote in between: read the new version
		}
		if err != nil {
			return op("PutConfiguration", err)
		}
		c.Version = next.Version
		return nil
	}
	return op("PutConfiguration", fmt.Errorf("version changed concurrently %d times", maxVersionAttempts))
}

// GetConfiguration reads a configuration.
func (s *Store) GetConfiguration(ctx context.Context, tenantID, id string) (store.Configuration, error) {
	var c store.Configuration
	return c, op("GetConfiguration", s.get(ctx, confKey(tenantID, id), &c))
}

// ListConfigurations returns a tenant's configurations ordered by id.
func (s *Store) ListConfigurations(ctx context.Context, tenantID string) ([]store.Configuration, error) {
	items, err := s.query(ctx, tenantPK(tenantID), "CONF#")
	if err != nil {
		return nil, op("ListConfigurations", err)
	}
	out := make([]store.Configuration, 0, len(items))
	if err := attributevalue.UnmarshalListOfMaps(items, &out); err != nil {
		return nil, op("ListConfigurations", err)
	}
	return out, nil
}

// DeleteConfiguration removes the configuration's workflows and mappings and
// then the configuration itself, so a failed delete can be retried.
func (s *Store) DeleteConfiguration(ctx context.Context, tenantID, id string) error {
	k := confKey(tenantID, id)
	var c store.Configuration
	if err := s.get(ctx, k, &c); err != nil {
		return op("DeleteConfiguration", err)
	}
	var reqs []types.WriteRequest
	for _, prefix := range []string{wfPrefix(id), dmPrefix(id), ddmPrefix(id)} {
		items, err := s.query(ctx, tenantPK(tenantID), prefix)
		if err != nil {
			return op("DeleteConfiguration", err)
		}
		for _, it := range items {
			reqs = append(reqs, deleteRequest(it))
		}
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return op("DeleteConfiguration", err)
	}
	return op("DeleteConfiguration", s.deleteExisting(ctx, k))
}
