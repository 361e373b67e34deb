// Package secrets keeps CRM credentials. They are write-only through the API:
// admin writes them, functions read them, nothing returns or logs them.
// Adapters: secrets/secretsmanager (AWS Secrets Manager, moto) and
// secrets/memsecrets (tests).
package secrets

import (
	"context"
	"errors"

	"github.com/crmflow/crmflow/shared/crm"
)

// ErrNotFound: no secret of that name.
var ErrNotFound = errors.New("secret not found")

// Secrets stores one credential set per configuration.
type Secrets interface {
	// Get reads a credential set; ErrNotFound if there is none.
	Get(ctx context.Context, name string) (crm.Credentials, error)
	// Put creates or replaces a credential set.
	Put(ctx context.Context, name string, c crm.Credentials) error
	// Delete removes a credential set; deleting a missing one is not an error
	// (Secrets Manager's forced delete behaves so).
	Delete(ctx context.Context, name string) error
}

// DefaultPrefix is where crmflow's secrets live; the stack grants access to
// this prefix only.
const DefaultPrefix = "crmflow/"

// Name is the secret name of a configuration's credentials:
// {prefix}{tenantId}/{configurationId}, e.g. crmflow/prod/t_1/c_2.
func Name(prefix, tenantID, configurationID string) string {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return prefix + tenantID + "/" + configurationID
}
