// Package admin holds the administration use cases: tenants and their keys,
// CRM configurations (credentials to Secrets Manager only), the built-in
// workflow catalog, workflows and mappings (SPEC §3.3).
package admin

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/secrets"
	"github.com/crmflow/crmflow/shared/store"
)

// PlatformTenant is the tenant that holds platform keys.
const PlatformTenant = "platform"

// Service runs administration use cases.
type Service struct {
	Store    store.Store
	Secrets  secrets.Secrets
	Registry *crm.Registry
	// SecretPrefix starts every secret name, e.g. "crmflow/prod/".
	SecretPrefix string
	// Local allows plain http CRM URLs on loopback (./scripts/dev).
	Local bool
	// Connections reach a configuration's CRM for a configuration test
	// (TestConfiguration); nil where no function tests configurations.
	Connections Connections
	// Changed is called after a configuration changes or goes (local mode uses
	// it to drop caches of functions sharing the process). May be nil.
	Changed func(tenantID, configurationID string)
	Now     func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Caller is who asks.
type Caller struct {
	TenantID string
	Role     store.Role
}

// CreateTenant makes a tenant (platform keys only: the route checks the role).
func (s *Service) CreateTenant(ctx context.Context, name string) (store.Tenant, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return store.Tenant{}, apperr.Field("name", "is required")
	}
	if len(name) > 200 {
		return store.Tenant{}, apperr.Field("name", "is longer than 200 characters")
	}
	t := store.Tenant{ID: ids.New("tn"), Name: name, Created: s.now()}
	if err := s.Store.PutTenant(ctx, t); err != nil {
		return store.Tenant{}, err
	}
	return t, nil
}

// NewKey is a created key: Key is shown once and never stored.
type NewKey struct {
	KeyID    string     `json:"keyId"`
	Key      string     `json:"key"`
	TenantID string     `json:"tenantId"`
	Role     store.Role `json:"role"`
}

// CreateKey makes a key of role for tenantID. The platform key makes keys of
// any role for any tenant (platform keys only in the platform tenant); an admin
// key makes admin, studio and agent keys of its own tenant. Another tenant's
// id answers 404 to an admin, as if it did not exist.
func (s *Service) CreateKey(ctx context.Context, c Caller, tenantID string, role store.Role) (NewKey, error) {
	if err := s.visibleTenant(ctx, c, tenantID); err != nil {
		return NewKey{}, err
	}
	if !role.Valid() {
		return NewKey{}, apperr.Field("role", "must be one of platform, admin, studio, agent")
	}
	if role == store.RolePlatform && (c.Role != store.RolePlatform || tenantID != PlatformTenant) {
		return NewKey{}, apperr.New(apperr.Forbidden, "platform keys are made by the platform, in the platform tenant")
	}
	key, hash := ids.NewKey()
	k := store.APIKey{ID: ids.New("key"), TenantID: tenantID, Role: role, Hash: hash, Created: s.now()}
	if err := s.Store.PutKey(ctx, k); err != nil {
		return NewKey{}, err
	}
	return NewKey{KeyID: k.ID, Key: key, TenantID: tenantID, Role: role}, nil
}

// DeleteKey revokes a key.
func (s *Service) DeleteKey(ctx context.Context, c Caller, tenantID, keyID string) error {
	if err := s.visibleTenant(ctx, c, tenantID); err != nil {
		return err
	}
	if err := s.Store.DeleteKey(ctx, tenantID, keyID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apperr.Missing("keyId", "key")
		}
		return err
	}
	return nil
}

// KeyView is a key as listing shows it: never the key, never its hash.
type KeyView struct {
	KeyID   string     `json:"keyId"`
	Role    store.Role `json:"role"`
	Created time.Time  `json:"created"`
}

// ListKeys lists a tenant's keys (platform: any tenant; admin: its own).
func (s *Service) ListKeys(ctx context.Context, c Caller, tenantID string) ([]KeyView, error) {
	if err := s.visibleTenant(ctx, c, tenantID); err != nil {
		return nil, err
	}
	ks, err := s.Store.ListKeys(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]KeyView, len(ks))
	for i, k := range ks {
		out[i] = KeyView{KeyID: k.ID, Role: k.Role, Created: k.Created}
	}
	return out, nil
}

// visibleTenant: the platform sees every existing tenant, an admin only its own.
func (s *Service) visibleTenant(ctx context.Context, c Caller, tenantID string) error {
	if c.Role != store.RolePlatform && tenantID != c.TenantID {
		return apperr.Missing("tenantId", "tenant")
	}
	if tenantID == PlatformTenant {
		if c.Role == store.RolePlatform {
			return nil
		}
		return apperr.Missing("tenantId", "tenant")
	}
	if _, err := s.Store.GetTenant(ctx, tenantID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apperr.Missing("tenantId", "tenant")
		}
		return err
	}
	return nil
}

// BootstrapPlatformKey stores a given platform key (./scripts/dev with
// CRMFLOW_PLATFORM_KEY, scripts/platform-key in AWS). Storing the same key
// twice is fine.
func (s *Service) BootstrapPlatformKey(ctx context.Context, key string) (store.APIKey, error) {
	if !ids.LooksLikeKey(key) {
		return store.APIKey{}, apperr.Field("key", "must look like cfk_ followed by at least 20 letters and digits")
	}
	k := store.APIKey{ID: "key_platform_" + ids.HashKey(key)[:12], TenantID: PlatformTenant, Role: store.RolePlatform, Hash: ids.HashKey(key), Created: s.now()}
	if err := s.Store.PutKey(ctx, k); err != nil && !errors.Is(err, store.ErrExists) {
		return store.APIKey{}, err
	}
	return k, nil
}
