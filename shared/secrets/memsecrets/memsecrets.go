// Package memsecrets is an in-memory secrets.Secrets for tests. It counts
// reads, so tests can prove that warm requests do not reach Secrets Manager.
package memsecrets

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/secrets"
)

// Store holds secrets in a map.
type Store struct {
	mu    sync.Mutex
	m     map[string]crm.Credentials
	reads atomic.Int64
}

var _ secrets.Secrets = (*Store)(nil)

// New returns an empty store.
func New() *Store { return &Store{m: map[string]crm.Credentials{}} }

// Get reads a credential set.
func (s *Store) Get(_ context.Context, name string) (crm.Credentials, error) {
	s.reads.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.m[name]
	if !ok {
		return crm.Credentials{}, secrets.ErrNotFound
	}
	return c, nil
}

// Put stores a credential set.
func (s *Store) Put(_ context.Context, name string, c crm.Credentials) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[name] = c
	return nil
}

// Delete removes a credential set.
func (s *Store) Delete(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, name)
	return nil
}

// Reads counts Get calls.
func (s *Store) Reads() int64 { return s.reads.Load() }
