// Package crmfake is an in-memory crm.Connector for use-case tests: it keeps
// records, matches phones by digits and emails case-insensitively, counts
// calls, and fails or stalls on demand. Drivers are tested against sandboxes
// instead; this fake stands at the port for shared/workflow.
package crmfake

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
)

// ParentField links a record to the person it belongs to (for RelatedOpen).
const ParentField = "_parent"

// Connector is the fake. Set fields before use; methods are safe for concurrent use.
type Connector struct {
	Caps  crm.Capabilities
	Delay time.Duration // each call waits this long (or until ctx ends)
	// Labels are the field labels Describe reports, by entity and field;
	// a field without one is labelled with its name.
	Labels map[string]map[string]string

	mu      sync.Mutex
	records []crm.Record
	writes  map[string]crm.WriteResult
	calls   map[string]int
	fail    []error
	nextID  int
}

var _ crm.Connector = (*Connector)(nil)

// New returns a fake holding recs.
func New(recs ...crm.Record) *Connector {
	return &Connector{records: recs, Caps: crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}}
}

// Driver returns a crm.Driver whose connectors are c, for a registry in tests.
func Driver(t crm.Type, c *Connector, entities ...crm.EntityDef) crm.Driver {
	return crm.Driver{Type: t, Label: "Fake " + string(t), HostAllowed: func(string) bool { return true },
		AuthTypes:        []crm.AuthType{crm.AuthClientCredentials, crm.AuthBasic, crm.AuthBearerToken, crm.AuthAPIToken, crm.AuthJWTBearer},
		StandardEntities: entities,
		New:              func(crm.Config, *http.Client) (crm.Connector, error) { return c, nil }}
}

// FailNext makes the next calls return errs in order.
func (c *Connector) FailNext(errs ...error) {
	c.mu.Lock()
	c.fail = append(c.fail, errs...)
	c.mu.Unlock()
}

// Calls returns how often method was called.
func (c *Connector) Calls(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[method]
}

// Records returns a copy of the stored records.
func (c *Connector) Records() []crm.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]crm.Record(nil), c.records...)
}

func (c *Connector) enter(ctx context.Context, method string) error {
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[method]++
	var err error
	if len(c.fail) > 0 {
		err, c.fail = c.fail[0], c.fail[1:]
	}
	c.mu.Unlock()
	if c.Delay > 0 {
		t := time.NewTimer(c.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return &crm.Error{Code: crm.DeadlineExceeded, Retryable: true, Op: "fake: " + method, Err: ctx.Err()}
		}
	}
	return err
}

func (c *Connector) Type() crm.Type                 { return "fake" }
func (c *Connector) Capabilities() crm.Capabilities { return c.Caps }

func (c *Connector) RecordURL(r crm.Ref) string {
	return "https://fake.example.com/" + r.Entity + "/" + r.ID
}

func (c *Connector) match(limit int, keep func(crm.Record) bool) []crm.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []crm.Record
	for _, r := range c.records {
		if _, child := r.Fields[ParentField]; child {
			continue
		}
		if keep(r) && (limit <= 0 || len(out) < limit) {
			out = append(out, r)
		}
	}
	return out
}

func (c *Connector) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	if err := c.enter(ctx, "SearchByPhone"); err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, v := range s.Variants {
		want[phone.Digits(v)] = true
	}
	return c.match(s.Limit, func(r crm.Record) bool {
		for _, v := range r.Fields {
			if str, ok := v.(string); ok && want[phone.Digits(str)] && phone.Digits(str) != "" {
				return true
			}
		}
		return false
	}), nil
}

func (c *Connector) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	if err := c.enter(ctx, "SearchByEmail"); err != nil {
		return nil, err
	}
	return c.match(s.Limit, func(r crm.Record) bool {
		for _, v := range r.Fields {
			if str, ok := v.(string); ok && strings.EqualFold(str, s.Email) {
				return true
			}
		}
		return false
	}), nil
}

// Search supports eq conditions combined with all, which is what use-case tests need.
func (c *Connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	if err := c.enter(ctx, "Search"); err != nil {
		return nil, err
	}
	var conds []crm.Filter
	unsupported := false
	q.Filter.Conditions(func(f crm.Filter) {
		conds = append(conds, f)
		unsupported = unsupported || f.Op != crm.OpEq
	})
	if unsupported || q.Filter.Any != nil {
		return nil, crm.Errorf(crm.InvalidArgument, "fake: only eq conditions under all")
	}
	return c.match(q.Limit, func(r crm.Record) bool {
		if r.Entity != q.Entity {
			return false
		}
		for _, f := range conds {
			if fmt.Sprint(r.Fields[f.Field]) != fmt.Sprint(f.Value) {
				return false
			}
		}
		return true
	}), nil
}

func (c *Connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	if err := c.enter(ctx, "RelatedOpen"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []crm.Record
	for _, r := range c.records {
		if r.Fields[ParentField] == person.ID && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (c *Connector) Get(ctx context.Context, ref crm.Ref, _ []string) (crm.Record, error) {
	if err := c.enter(ctx, "Get"); err != nil {
		return crm.Record{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.records {
		if r.Entity == ref.Entity && r.ID == ref.ID {
			return r, nil
		}
	}
	return crm.Record{}, &crm.Error{Code: crm.NotFound, Status: 404, CRMCode: "NOT_FOUND", Message: "no such record"}
}

func (c *Connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	if err := c.enter(ctx, "Create"); err != nil {
		return crm.Record{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	r := crm.Record{Entity: entity, ID: fmt.Sprintf("fake%04d", c.nextID), Fields: fields}
	r.URL = "https://fake.example.com/" + entity + "/" + r.ID
	c.records = append(c.records, r)
	return r, nil
}

func (c *Connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	if err := c.enter(ctx, "Update"); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, r := range c.records {
		if r.Entity == ref.Entity && r.ID == ref.ID {
			if c.records[i].Fields == nil {
				c.records[i].Fields = map[string]any{}
			}
			for k, v := range fields {
				c.records[i].Fields[k] = v
			}
			return nil
		}
	}
	return &crm.Error{Code: crm.NotFound, Status: 404, CRMCode: "NOT_FOUND", Message: "no such record"}
}

func (c *Connector) write(ctx context.Context, method, key, entity string, fields map[string]any) (crm.WriteResult, error) {
	if err := c.enter(ctx, method); err != nil {
		return crm.WriteResult{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	ref := crm.Ref{Entity: entity, ID: fmt.Sprintf("fake%04d", c.nextID)}
	c.records = append(c.records, crm.Record{Entity: entity, ID: ref.ID, Fields: fields})
	res := crm.WriteResult{Records: []crm.Ref{ref}}
	if c.writes == nil {
		c.writes = map[string]crm.WriteResult{}
	}
	c.writes[key] = res
	return res, nil
}

func (c *Connector) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	return c.write(ctx, "AddActivity", a.Key, "Activity", map[string]any{"Subject": a.Subject, ParentField: "activity"})
}

func (c *Connector) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	return c.write(ctx, "WriteRecord", m.Key, m.Entity, m.Fields)
}

func (c *Connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	if err := c.enter(ctx, "FindWrite"); err != nil {
		return crm.WriteResult{}, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	res, ok := c.writes[l.Key]
	return res, ok, nil
}

var _ crm.Inspector = (*Connector)(nil)

// Ping answers like a CRM that takes the credentials (or fails on demand).
func (c *Connector) Ping(ctx context.Context) error { return c.enter(ctx, "Ping") }

// Sample returns the first stored record of entity.
func (c *Connector) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	if err := c.enter(ctx, "Sample"); err != nil {
		return crm.Record{}, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.records {
		if r.Entity == entity {
			return r, true, nil
		}
	}
	return crm.Record{}, false, nil
}

// Describe lists the fields the stored records of entity have; an entity
// with no record is unknown (NotFound), as a CRM answers for a missing object.
func (c *Connector) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	if err := c.enter(ctx, "Describe"); err != nil {
		return crm.EntityMeta{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m := crm.EntityMeta{Entity: entity}
	seen := map[string]bool{}
	for _, r := range c.records {
		if r.Entity != entity {
			continue
		}
		for name := range r.Fields {
			if !seen[name] {
				seen[name] = true
				label := c.Labels[entity][name]
				if label == "" {
					label = name
				}
				m.Fields = append(m.Fields, crm.FieldMeta{Name: name, Label: label})
			}
		}
	}
	if len(seen) == 0 {
		return crm.EntityMeta{}, &crm.Error{Code: crm.NotFound, Status: http.StatusNotFound, Op: "fake: describe", Message: "no such entity " + entity}
	}
	return m, nil
}
