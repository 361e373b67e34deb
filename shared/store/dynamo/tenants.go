package dynamo

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/crmflow/crmflow/shared/store"
)

func tenantKey(tenantID string) key { return key{tenantPK(tenantID), "TENANT"} }

// keyHashKey is the item the authorizer reads: one GetItem per request.
func keyHashKey(hash string) key { return key{"KEY#" + hash, "KEY"} }

// keyIDKey is the tenant's handle on a key; it holds the hash so DeleteKey finds the other item.
func keyIDKey(tenantID, keyID string) key { return key{tenantPK(tenantID), "KEYID#" + keyID} }

// PutTenant creates or replaces a tenant.
func (s *Store) PutTenant(ctx context.Context, t store.Tenant) error {
	return op("PutTenant", s.put(ctx, tenantKey(t.ID), t, nil, nil))
}

// GetTenant reads a tenant.
func (s *Store) GetTenant(ctx context.Context, tenantID string) (store.Tenant, error) {
	var t store.Tenant
	return t, op("GetTenant", s.get(ctx, tenantKey(tenantID), &t))
}

// PutKey stores a key's two items in one transaction, only if neither its
// hash nor its id is taken; store.ErrExists otherwise.
func (s *Store) PutKey(ctx context.Context, k store.APIKey) error {
	byHash, err := item(keyHashKey(k.Hash), k)
	if err != nil {
		return op("PutKey", err)
	}
	byID, err := item(keyIDKey(k.TenantID, k.ID), k)
	if err != nil {
		return op("PutKey", err)
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: byHash, ConditionExpression: ifAbsent}},
		{Put: &types.Put{TableName: &s.table, Item: byID, ConditionExpression: ifAbsent}},
	}})
	if _, ok := transactionConditionFailed(err); ok {
		return store.ErrExists
	}
	return op("PutKey", err)
}

// KeyByHash reads the key whose secret hashes to hash.
func (s *Store) KeyByHash(ctx context.Context, hash string) (store.APIKey, error) {
	var k store.APIKey
	return k, op("KeyByHash", s.get(ctx, keyHashKey(hash), &k))
}

// ListKeys lists a tenant's keys by id, from the tenant's handles on them.
func (s *Store) ListKeys(ctx context.Context, tenantID string) ([]store.APIKey, error) {
	return list[store.APIKey](ctx, s, "ListKeys", tenantID, "KEYID#")
}

// DeleteKey removes both items of a tenant's key.
func (s *Store) DeleteKey(ctx context.Context, tenantID, keyID string) error {
	var k store.APIKey
	if err := s.get(ctx, keyIDKey(tenantID, keyID), &k); err != nil {
		return op("DeleteKey", err)
	}
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Delete: &types.Delete{TableName: &s.table, Key: keyIDKey(tenantID, keyID).av(), ConditionExpression: ifPresent}},
		{Delete: &types.Delete{TableName: &s.table, Key: keyHashKey(k.Hash).av()}},
	}})
	if _, ok := transactionConditionFailed(err); ok {
		return store.ErrNotFound // deleted concurrently
	}
	return op("DeleteKey", err)
}
