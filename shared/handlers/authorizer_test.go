package handlers

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/store"
)

// keysByHash is the one port the authorizer uses.
type keysByHash map[string]store.APIKey

func (k keysByHash) PutKey(context.Context, store.APIKey) error { return nil }
func (k keysByHash) ListKeys(context.Context, string) ([]store.APIKey, error) {
	return nil, errors.New("the authorizer never lists keys")
}
func (k keysByHash) DeleteKey(context.Context, string, string) error {
	return nil
}
func (k keysByHash) KeyByHash(_ context.Context, h string) (store.APIKey, error) {
	if h == "broken" {
		return store.APIKey{}, errors.New("dynamodb down")
	}
	v, ok := k[h]
	if !ok {
		return store.APIKey{}, store.ErrNotFound
	}
	return v, nil
}

func TestAuthorizer(t *testing.T) {
	key, hash := ids.NewKey()
	revoked, _ := ids.NewKey()
	auth := Authorizer(keysByHash{hash: {ID: "key_1", TenantID: "tn_1", Role: store.RoleStudio, Hash: hash}})
	tests := []struct {
		header string
		tenant string
		role   string
	}{
		{"Bearer " + key, "tn_1", "studio"},
		{"bearer  " + key + " ", "tn_1", "studio"},
		{"", "", ""},
		{"Basic " + key, "", ""},
		{"Bearer not-a-key", "", ""},
		{"Bearer " + revoked, "", ""},
	}
	for _, tt := range tests {
		ev := events.APIGatewayV2CustomAuthorizerV2Request{Headers: map[string]string{"authorization": tt.header}}
		res, err := auth(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if !res.IsAuthorized || res.Context[httpapi.CtxTenantID] != tt.tenant || res.Context[httpapi.CtxRole] != tt.role {
			t.Errorf("%q: %+v", tt.header, res)
		}
	}
}
