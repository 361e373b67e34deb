// Package secretsmanager stores CRM credentials in AWS Secrets Manager, one
// JSON secret per configuration.
package secretsmanager

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/secrets"
)

// API is the part of the Secrets Manager client the adapter uses.
type API interface {
	GetSecretValue(ctx context.Context, in *sm.GetSecretValueInput, opts ...func(*sm.Options)) (*sm.GetSecretValueOutput, error)
	CreateSecret(ctx context.Context, in *sm.CreateSecretInput, opts ...func(*sm.Options)) (*sm.CreateSecretOutput, error)
	PutSecretValue(ctx context.Context, in *sm.PutSecretValueInput, opts ...func(*sm.Options)) (*sm.PutSecretValueOutput, error)
	DeleteSecret(ctx context.Context, in *sm.DeleteSecretInput, opts ...func(*sm.Options)) (*sm.DeleteSecretOutput, error)
}

// Store is the Secrets Manager adapter.
type Store struct{ api API }

var _ secrets.Secrets = (*Store)(nil)

// New returns an adapter on api.
func New(api API) *Store { return &Store{api: api} }

// Get reads and decodes a credential set.
func (s *Store) Get(ctx context.Context, name string) (crm.Credentials, error) {
	out, err := s.api.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return crm.Credentials{}, mapErr("read secret", err)
	}
	var c crm.Credentials
	if out.SecretString == nil {
		return crm.Credentials{}, fmt.Errorf("read secret: value is not a string")
	}
	if err := json.Unmarshal([]byte(*out.SecretString), &c); err != nil {
		// The decoder's message could quote the secret; say only what failed.
		return crm.Credentials{}, fmt.Errorf("read secret: value is not a JSON credential set")
	}
	return c, nil
}

// Put writes a new version, creating the secret the first time.
func (s *Store) Put(ctx context.Context, name string, c crm.Credentials) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode secret: %w", err)
	}
	_, err = s.api.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String(name), SecretString: aws.String(string(b))})
	if err == nil {
		return nil
	}
	if !errors.Is(mapErr("", err), secrets.ErrNotFound) {
		return mapErr("write secret", err)
	}
	_, err = s.api.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(string(b)),
		Description: aws.String("crmflow CRM credentials")})
	var exists *types.ResourceExistsException
	if errors.As(err, &exists) { // created by a concurrent Put meanwhile
		_, err = s.api.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String(name), SecretString: aws.String(string(b))})
	}
	if err != nil {
		return mapErr("create secret", err)
	}
	return nil
}

// Delete removes a secret at once (no recovery window: the configuration it
// belonged to is gone, and a new one with the same id must be able to start).
func (s *Store) Delete(ctx context.Context, name string) error {
	_, err := s.api.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String(name), ForceDeleteWithoutRecovery: aws.Bool(true)})
	if err != nil {
		return mapErr("delete secret", err)
	}
	return nil
}

func mapErr(op string, err error) error {
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		return secrets.ErrNotFound
	}
	return fmt.Errorf("%s: %w", op, err)
}
