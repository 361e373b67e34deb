// Package memory is an in-memory store.Store with the same semantics as the
// DynamoDB adapter (the storetest suite runs against both). Unit tests use it;
// it counts reads and writes so tests can prove what a request costs.
package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

// Store keeps everything in maps behind one mutex.
type Store struct {
	// Now is the clock (card and job expiry); time.Now when nil.
	Now func() time.Time

	mu      sync.Mutex
	tenants map[string]store.Tenant
	keys    map[string]store.APIKey // by hash
	confs   map[string]store.Configuration
	wfs     map[string]store.Workflow
	dms     map[string]store.DataMapping
	ddms    map[string]store.DynamicDataMapping
	cards   map[string]*card // tenant/contact
	jobs    map[string]store.Job
	seq     int64
	reads   atomic.Int64
	writes  atomic.Int64
}

type cardItem struct {
	rec     store.CardRecord
	current bool
	pinned  bool
	order   int64
	expires time.Time
}

type card struct {
	configurationID string
	expires         time.Time
	items           map[string]*cardItem // "CUR#e#id" / "REL#e#id"
	jobs            map[string]store.JobSummary
	jobOrder        map[string]int64
}

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{tenants: map[string]store.Tenant{}, keys: map[string]store.APIKey{}, confs: map[string]store.Configuration{},
		wfs: map[string]store.Workflow{}, dms: map[string]store.DataMapping{}, ddms: map[string]store.DynamicDataMapping{},
		cards: map[string]*card{}, jobs: map[string]store.Job{}}
}

// Reads counts read operations (one per method call that reads).
func (s *Store) Reads() int64 { return s.reads.Load() }

// Writes counts write operations (one per method call that writes).
func (s *Store) Writes() int64 { return s.writes.Load() }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func k(parts ...string) string { return strings.Join(parts, "\x00") }

func (s *Store) read() func()  { s.reads.Add(1); s.mu.Lock(); return s.mu.Unlock }
func (s *Store) write() func() { s.writes.Add(1); s.mu.Lock(); return s.mu.Unlock }

// PutTenant stores a tenant.
func (s *Store) PutTenant(_ context.Context, t store.Tenant) error {
	defer s.write()()
	s.tenants[t.ID] = t
	return nil
}

// GetTenant reads a tenant.
func (s *Store) GetTenant(_ context.Context, id string) (store.Tenant, error) {
	defer s.read()()
	return lookup(s.tenants, id)
}

// PutKey stores a key hash; ErrExists if the hash is taken.
func (s *Store) PutKey(_ context.Context, key store.APIKey) error {
	defer s.write()()
	if _, ok := s.keys[key.Hash]; ok {
		return store.ErrExists
	}
	s.keys[key.Hash] = key
	return nil
}

// KeyByHash finds a key by its hash.
func (s *Store) KeyByHash(_ context.Context, hash string) (store.APIKey, error) {
	defer s.read()()
	return lookup(s.keys, hash)
}

// DeleteKey removes a tenant's key.
func (s *Store) DeleteKey(_ context.Context, tenantID, keyID string) error {
	defer s.write()()
	for h, key := range s.keys {
		if key.TenantID == tenantID && key.ID == keyID {
			delete(s.keys, h)
			return nil
		}
	}
	return store.ErrNotFound
}

// PutConfiguration creates or replaces a configuration and bumps its version.
func (s *Store) PutConfiguration(_ context.Context, c *store.Configuration) error {
	defer s.write()()
	id := k(c.TenantID, c.ID)
	c.Version = s.confs[id].Version + 1
	s.confs[id] = *c
	return nil
}

// GetConfiguration reads a configuration.
func (s *Store) GetConfiguration(_ context.Context, tenantID, id string) (store.Configuration, error) {
	defer s.read()()
	return lookup(s.confs, k(tenantID, id))
}

// ListConfigurations lists a tenant's configurations by id.
func (s *Store) ListConfigurations(_ context.Context, tenantID string) ([]store.Configuration, error) {
	defer s.read()()
	var out []store.Configuration
	for _, c := range s.confs {
		if c.TenantID == tenantID {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b store.Configuration) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// DeleteConfiguration removes a configuration with its workflows and mappings.
func (s *Store) DeleteConfiguration(_ context.Context, tenantID, id string) error {
	defer s.write()()
	if _, ok := s.confs[k(tenantID, id)]; !ok {
		return store.ErrNotFound
	}
	delete(s.confs, k(tenantID, id))
	prefix := k(tenantID, id) + "\x00"
	for key := range s.wfs {
		if strings.HasPrefix(key, prefix) {
			delete(s.wfs, key)
		}
	}
	for key := range s.dms {
		if strings.HasPrefix(key, prefix) {
			delete(s.dms, key)
		}
	}
	for key := range s.ddms {
		if strings.HasPrefix(key, prefix) {
			delete(s.ddms, key)
		}
	}
	return nil
}

// PutWorkflows stores workflows.
func (s *Store) PutWorkflows(_ context.Context, ws ...store.Workflow) error {
	defer s.write()()
	for _, w := range ws {
		s.wfs[k(w.TenantID, w.ConfigurationID, w.ID)] = w
	}
	return nil
}

// GetWorkflow reads a workflow.
func (s *Store) GetWorkflow(_ context.Context, tenantID, configurationID, id string) (store.Workflow, error) {
	defer s.read()()
	return lookup(s.wfs, k(tenantID, configurationID, id))
}

// ListWorkflows lists a configuration's workflows by id.
func (s *Store) ListWorkflows(_ context.Context, tenantID, configurationID string) ([]store.Workflow, error) {
	defer s.read()()
	return listOf(s.wfs, tenantID, configurationID), nil
}

// ListDataMappings lists a configuration's data mappings, by id.
func (s *Store) ListDataMappings(_ context.Context, tenantID, configurationID string) ([]store.DataMapping, error) {
	defer s.read()()
	return listOf(s.dms, tenantID, configurationID), nil
}

// ListDynamicDataMappings lists a configuration's dynamic data mappings, by id.
func (s *Store) ListDynamicDataMappings(_ context.Context, tenantID, configurationID string) ([]store.DynamicDataMapping, error) {
	defer s.read()()
	return listOf(s.ddms, tenantID, configurationID), nil
}

// listOf returns the items of a configuration kept in m under
// k(tenant, configuration, id), sorted by key (so by id).
func listOf[T any](m map[string]T, tenantID, configurationID string) []T {
	prefix := k(tenantID, configurationID) + "\x00"
	keys := make([]string, 0)
	for key := range m {
		if strings.HasPrefix(key, prefix) {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	out := make([]T, 0, len(keys))
	for _, key := range keys {
		out = append(out, m[key])
	}
	return out
}

// DeleteWorkflow removes a workflow.
func (s *Store) DeleteWorkflow(_ context.Context, tenantID, configurationID, id string) error {
	defer s.write()()
	return remove(s.wfs, k(tenantID, configurationID, id))
}

// ListKeys lists a tenant's keys, by id.
func (s *Store) ListKeys(_ context.Context, tenantID string) ([]store.APIKey, error) {
	defer s.read()()
	out := []store.APIKey{}
	for _, key := range s.keys {
		if key.TenantID == tenantID {
			out = append(out, key)
		}
	}
	slices.SortFunc(out, func(a, b store.APIKey) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// PutDataMapping stores a memorialization mapping.
func (s *Store) PutDataMapping(_ context.Context, m store.DataMapping) error {
	defer s.write()()
	s.dms[k(m.TenantID, m.ConfigurationID, m.ID)] = m
	return nil
}

// GetDataMapping reads a memorialization mapping.
func (s *Store) GetDataMapping(_ context.Context, tenantID, configurationID, id string) (store.DataMapping, error) {
	defer s.read()()
	return lookup(s.dms, k(tenantID, configurationID, id))
}

// DeleteDataMapping removes a memorialization mapping.
func (s *Store) DeleteDataMapping(_ context.Context, tenantID, configurationID, id string) error {
	defer s.write()()
	return remove(s.dms, k(tenantID, configurationID, id))
}

// PutDynamicDataMapping stores a dynamic data mapping.
func (s *Store) PutDynamicDataMapping(_ context.Context, m store.DynamicDataMapping) error {
	defer s.write()()
	s.ddms[k(m.TenantID, m.ConfigurationID, m.ID)] = m
	return nil
}

// GetDynamicDataMapping reads a dynamic data mapping.
func (s *Store) GetDynamicDataMapping(_ context.Context, tenantID, configurationID, id string) (store.DynamicDataMapping, error) {
	defer s.read()()
	return lookup(s.ddms, k(tenantID, configurationID, id))
}

// DeleteDynamicDataMapping removes a dynamic data mapping.
func (s *Store) DeleteDynamicDataMapping(_ context.Context, tenantID, configurationID, id string) error {
	defer s.write()()
	return remove(s.ddms, k(tenantID, configurationID, id))
}

// lookup reads one item of a map; store.ErrNotFound when it is not there.
func lookup[T any](m map[string]T, key string) (T, error) {
	v, ok := m[key]
	if !ok {
		var zero T
		return zero, store.ErrNotFound
	}
	return v, nil
}

// remove deletes one item of a map; store.ErrNotFound when it is not there.
func remove[T any](m map[string]T, key string) error {
	if _, ok := m[key]; !ok {
		return store.ErrNotFound
	}
	delete(m, key)
	return nil
}

func itemKey(current bool, r crm.Ref) string {
	if current {
		return "CUR#" + r.Entity + "#" + r.ID
	}
	return "REL#" + r.Entity + "#" + r.ID
}

// WriteCard adds records to a card and renews its expiry.
func (s *Store) WriteCard(_ context.Context, tenantID, contactID, configurationID string, ws []store.CardWrite) error {
	for i, w := range ws {
		if w.Section != store.SectionCurrent && w.Section != store.SectionRelated {
			return fmt.Errorf("card write %d: unknown section %q", i, w.Section)
		}
	}
	defer s.write()()
	now := s.now()
	exp := now.Add(store.CardTTL)
	c := s.cards[k(tenantID, contactID)]
	if c == nil || !now.Before(c.expires) && len(c.items) == 0 {
		c = &card{items: map[string]*cardItem{}, jobs: map[string]store.JobSummary{}, jobOrder: map[string]int64{}}
		s.cards[k(tenantID, contactID)] = c
	}
	c.configurationID, c.expires = configurationID, exp
	base := now.UnixNano() * 1000
	for i, w := range ws {
		cur := w.Section == store.SectionCurrent
		rec := w.Record
		// As in DynamoDB, where these attributes are not stored
		// (dynamodbav:"-"): the card holds no search explanation.
		rec.Pinned, rec.Match, rec.Source = false, nil, ""
		c.items[itemKey(cur, rec.Ref())] = &cardItem{rec: rec, current: cur, pinned: cur && w.Pinned, order: base + int64(i), expires: exp}
	}
	return nil
}

// GetCard reads a card.
func (s *Store) GetCard(_ context.Context, tenantID, contactID string) (store.Card, error) {
	defer s.read()()
	now := s.now()
	c := s.cards[k(tenantID, contactID)]
	if c == nil {
		return store.Card{}, store.ErrNotFound
	}
	out := store.Card{TenantID: tenantID, ContactID: contactID, Current: []store.CardRecord{}, Related: []store.CardRecord{}, Jobs: []store.JobSummary{}}
	live := now.Before(c.expires)
	if live {
		out.ConfigurationID = c.configurationID
	}
	var cur, rel []*cardItem
	for _, it := range c.items {
		if !now.Before(it.expires) {
			continue
		}
		if it.current {
			cur = append(cur, it)
		} else if _, shadowed := c.items[itemKey(true, it.rec.Ref())]; !shadowed || !now.Before(c.items[itemKey(true, it.rec.Ref())].expires) {
			rel = append(rel, it)
		}
	}
	byOrder := func(a, b *cardItem) int { return cmp.Compare(a.order, b.order) }
	slices.SortFunc(cur, byOrder)
	slices.SortFunc(rel, byOrder)
	for _, it := range cur {
		r := it.rec
		r.Pinned = it.pinned
		out.Current = append(out.Current, r)
	}
	for _, it := range rel {
		out.Related = append(out.Related, it.rec)
	}
	ids := make([]string, 0, len(c.jobs))
	for id := range c.jobs {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(c.jobOrder[a], c.jobOrder[b]) })
	for _, id := range ids {
		out.Jobs = append(out.Jobs, c.jobs[id])
	}
	if len(out.Current)+len(out.Related)+len(out.Jobs) == 0 && !live {
		return store.Card{}, store.ErrNotFound
	}
	return out, nil
}

// SetPinned pins or unpins a record on the card.
func (s *Store) SetPinned(_ context.Context, tenantID, contactID string, ref crm.Ref, pinned bool) error {
	defer s.write()()
	now := s.now()
	c := s.cards[k(tenantID, contactID)]
	if c == nil {
		return store.ErrNotFound
	}
	live := func(key string) *cardItem {
		if it := c.items[key]; it != nil && now.Before(it.expires) {
			return it
		}
		return nil
	}
	it := live(itemKey(true, ref))
	if it == nil {
		it = live(itemKey(false, ref))
	}
	if it == nil {
		return store.ErrNotFound
	}
	exp := now.Add(store.CardTTL)
	delete(c.items, itemKey(!pinned, ref))
	c.items[itemKey(pinned, ref)] = &cardItem{rec: it.rec, current: pinned, pinned: pinned, order: it.order, expires: exp}
	c.expires = exp
	return nil
}

// PutJobIfAbsent stores a new job, or returns the stored one with ErrExists.
func (s *Store) PutJobIfAbsent(_ context.Context, j store.Job) (store.Job, error) {
	defer s.write()()
	key := k(j.TenantID, j.ID)
	if old, ok := s.jobs[key]; ok {
		return old, store.ErrExists
	}
	s.jobs[key] = j
	return j, nil
}

// GetJob reads a job.
func (s *Store) GetJob(_ context.Context, tenantID, jobID string) (store.Job, error) {
	defer s.read()()
	return lookup(s.jobs, k(tenantID, jobID))
}

// UpdateJob replaces a job and mirrors its summary onto the card.
func (s *Store) UpdateJob(_ context.Context, j store.Job) error {
	defer s.write()()
	if _, ok := s.jobs[k(j.TenantID, j.ID)]; !ok {
		return store.ErrNotFound
	}
	s.jobs[k(j.TenantID, j.ID)] = j
	s.mirrorJob(j)
	return nil
}

// ClaimJob takes a claimable job under owner's lease (store.Jobs.ClaimJob).
func (s *Store) ClaimJob(_ context.Context, tenantID, jobID, owner string, now time.Time, lease time.Duration) (store.Job, error) {
	defer s.write()()
	j, ok := s.jobs[k(tenantID, jobID)]
	switch {
	case !ok:
		return store.Job{}, store.ErrNotFound
	case j.Finished():
		return j, store.ErrJobDone
	case !j.Claimable(now):
		return j, store.ErrLeased
	}
	j.Status, j.LeaseOwner, j.LeaseUntilMs = store.JobRunning, owner, now.Add(lease).UnixMilli()
	j.Attempts++
	j.Updated = now
	s.jobs[k(tenantID, jobID)] = j
	return j, nil
}

// FinishJob ends owner's attempt (store.Jobs.FinishJob).
func (s *Store) FinishJob(_ context.Context, j store.Job, owner string) error {
	defer s.write()()
	old, ok := s.jobs[k(j.TenantID, j.ID)]
	if !ok || old.Status != store.JobRunning || old.LeaseOwner != owner {
		return store.ErrLeaseLost
	}
	j.LeaseOwner, j.LeaseUntilMs = "", 0
	s.jobs[k(j.TenantID, j.ID)] = j
	s.mirrorJob(j)
	return nil
}

// RequeueJob puts a stuck or dead-lettered job back to queued.
func (s *Store) RequeueJob(_ context.Context, tenantID, jobID string, now time.Time) (store.Job, error) {
	return s.requeue(tenantID, jobID, now, false)
}

// RetryJob is RequeueJob that also takes a failed job back.
func (s *Store) RetryJob(_ context.Context, tenantID, jobID string, now time.Time) (store.Job, error) {
	return s.requeue(tenantID, jobID, now, true)
}

func (s *Store) requeue(tenantID, jobID string, now time.Time, failedToo bool) (store.Job, error) {
	defer s.write()()
	j, ok := s.jobs[k(tenantID, jobID)]
	switch {
	case !ok:
		return store.Job{}, store.ErrNotFound
	case j.Status == store.JobSucceeded || (j.Status == store.JobFailed && !failedToo):
		return j, store.ErrJobDone
	case j.Status == store.JobRunning && j.LeaseUntilMs >= now.UnixMilli():
		return j, store.ErrLeased
	}
	j.Status, j.LeaseOwner, j.LeaseUntilMs, j.Updated = store.JobQueued, "", 0, now
	s.jobs[k(tenantID, jobID)] = j
	s.mirrorJob(j)
	return j, nil
}

// DeadletterJob marks a job as read dead-lettered (store.Jobs.DeadletterJob).
func (s *Store) DeadletterJob(_ context.Context, read store.Job, now time.Time, reason string) (store.Job, error) {
	defer s.write()()
	j, ok := s.jobs[k(read.TenantID, read.ID)]
	switch {
	case !ok:
		return store.Job{}, store.ErrNotFound
	case j.Finished():
		return j, store.ErrJobDone
	case j.Status != read.Status || j.Attempts != read.Attempts ||
		(j.Status == store.JobRunning && j.LeaseUntilMs >= now.UnixMilli()):
		return j, store.ErrLeased
	}
	j.Status, j.LastError, j.LeaseOwner, j.LeaseUntilMs, j.Updated = store.JobDeadlettered, reason, "", 0, now
	s.jobs[k(read.TenantID, read.ID)] = j
	s.mirrorJob(j)
	return j, nil
}

// ListJobs lists a tenant's jobs in one status (store.Jobs.ListJobs).
func (s *Store) ListJobs(_ context.Context, tenantID, status string, limit int, cursor string) (store.JobPage, error) {
	after := ""
	if cursor != "" {
		order, _, err := store.ParseJobCursor(cursor)
		if err != nil {
			return store.JobPage{}, err
		}
		after = order
	}
	defer s.read()()
	var all []store.Job
	for _, j := range s.jobs {
		if j.TenantID == tenantID && j.Status == status && (after == "" || store.JobListOrder(j) < after) {
			all = append(all, j)
		}
	}
	slices.SortFunc(all, func(a, b store.Job) int { return cmp.Compare(store.JobListOrder(b), store.JobListOrder(a)) })
	var page store.JobPage
	if limit > 0 && len(all) > limit {
		all = all[:limit]
		page.Next = store.JobCursor(all[limit-1])
	}
	page.Jobs = all
	return page, nil
}

// mirrorJob puts a job's summary on its contact's card; s.mu is held.
func (s *Store) mirrorJob(j store.Job) {
	now := s.now()
	c := s.cards[k(j.TenantID, j.ContactID)]
	if c == nil {
		c = &card{items: map[string]*cardItem{}, jobs: map[string]store.JobSummary{}, jobOrder: map[string]int64{}}
		s.cards[k(j.TenantID, j.ContactID)] = c
	}
	if _, ok := c.jobOrder[j.ID]; !ok {
		s.seq++
		c.jobOrder[j.ID] = s.seq
	}
	c.jobs[j.ID] = store.JobSummary{JobID: j.ID, Action: j.Action, Status: j.Status, CRMRecordIDs: j.CRMRecordIDs, Error: j.LastError}
	c.expires = now.Add(store.CardTTL)
	if c.configurationID == "" {
		c.configurationID = j.ConfigurationID
	}
}
