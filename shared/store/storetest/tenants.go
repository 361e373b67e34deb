package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/crmflow/crmflow/shared/store"
)

func testTenants(t *testing.T, h *harness) {
	ctx := context.Background()
	_, err := h.GetTenant(ctx, tenantA)
	wantErr(t, "GetTenant before PutTenant", err, store.ErrNotFound)

	for _, name := range []string{"Acme", "Acme Renamed"} {
		want := store.Tenant{ID: tenantA, Name: name, Created: start}
		must(t, h.PutTenant(ctx, want))
		got, err := h.GetTenant(ctx, tenantA)
		must(t, err)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GetTenant = %+v, want %+v", got, want)
		}
	}
}

func apiKey(tenantID, id, hash string) store.APIKey {
	return store.APIKey{ID: id, TenantID: tenantID, Role: store.RoleAdmin, Hash: hash, Created: start}
}

func testKeys(t *testing.T, h *harness) {
	ctx := context.Background()
	k := apiKey(tenantA, "key-1", "hash-1")
	must(t, h.PutKey(ctx, k))
	got, err := h.KeyByHash(ctx, "hash-1")
	must(t, err)
	if !reflect.DeepEqual(got, k) {
		t.Errorf("KeyByHash = %+v, want %+v", got, k)
	}
	_, err = h.KeyByHash(ctx, "hash-unknown")
	wantErr(t, "KeyByHash of an unknown hash", err, store.ErrNotFound)

	// Listing: by id, this tenant's only, with the hash kept for the store.
	must(t, h.PutKey(ctx, apiKey(tenantA, "key-0", "hash-0")))
	must(t, h.PutKey(ctx, apiKey(tenantB, "key-9", "hash-9")))
	keys, err := h.ListKeys(ctx, tenantA)
	must(t, err)
	if len(keys) != 2 || keys[0].ID != "key-0" || !reflect.DeepEqual(keys[1], k) {
		t.Errorf("ListKeys = %+v, want key-0 then key-1", keys)
	}
	must(t, h.DeleteKey(ctx, tenantA, "key-0"))
	must(t, h.DeleteKey(ctx, tenantB, "key-9"))

	wantErr(t, "DeleteKey of an unknown id", h.DeleteKey(ctx, tenantA, "key-unknown"), store.ErrNotFound)
	must(t, h.DeleteKey(ctx, tenantA, "key-1"))
	_, err = h.KeyByHash(ctx, "hash-1")
	wantErr(t, "KeyByHash after DeleteKey", err, store.ErrNotFound)
	wantErr(t, "DeleteKey twice", h.DeleteKey(ctx, tenantA, "key-1"), store.ErrNotFound)

	// A deleted key's hash is free again.
	must(t, h.PutKey(ctx, apiKey(tenantA, "key-2", "hash-1")))
}

func testKeyHashUnique(t *testing.T, h *harness) {
	ctx := context.Background()
	first := apiKey(tenantA, "key-1", "hash-1")
	must(t, h.PutKey(ctx, first))
	for _, k := range []store.APIKey{
		apiKey(tenantA, "key-2", "hash-1"), // same tenant
		apiKey(tenantB, "key-9", "hash-1"), // another tenant
	} {
		wantErr(t, "PutKey of a taken hash by "+k.TenantID, h.PutKey(ctx, k), store.ErrExists)
	}
	got, err := h.KeyByHash(ctx, "hash-1")
	must(t, err)
	if !reflect.DeepEqual(got, first) {
		t.Errorf("KeyByHash after refused PutKeys = %+v, want the first key %+v", got, first)
	}
	// The refused keys left nothing behind.
	wantErr(t, "DeleteKey of a refused key", h.DeleteKey(ctx, tenantA, "key-2"), store.ErrNotFound)
	wantErr(t, "DeleteKey of a refused key", h.DeleteKey(ctx, tenantB, "key-9"), store.ErrNotFound)
}
