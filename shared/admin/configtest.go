package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

// Connections gives the configuration test a configuration's live connector:
// the same cached one (and token) the workflows use. *connections.Pool is one.
type Connections interface {
	Connection(ctx context.Context, tenantID, configurationID string) (crm.Connector, store.Configuration, error)
	// Forget drops a cached connection, so a test right after a change
	// tests the configuration as it now is.
	Forget(tenantID, configurationID string)
}

// Check is one line of a configuration test's report.
type Check struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Message string `json:"message,omitempty"`
}

// TestReport is the answer of POST /v1/configurations/{id}/test.
type TestReport struct {
	ConfigurationID string  `json:"configurationId"`
	OK              bool    `json:"ok"`
	Checks          []Check `json:"checks"`
}

// testBudget bounds a whole configuration test, well inside the admin
// function's timeout; each CRM call also has the configuration's timeoutMs.
const testBudget = 20 * time.Second

// TestConfiguration is what an admin runs before going live: it
// authenticates, reads one record of each entity the configuration's
// workflows and mappings use, and checks every mapping's entity and fields
// against the CRM's metadata (what only the CRM knows: custom fields, the
// fields of custom objects). It writes nothing but the write-key fields a
// CRM needs and lacks (crm.WriteKeySetter: HubSpot's key property). Each
// check says what it found; the report is 200 whatever the CRM says, a missing configuration 404.
func (s *Service) TestConfiguration(ctx context.Context, tenantID, id string) (TestReport, error) {
	if s.Connections == nil {
		return TestReport{}, errors.New("admin: no connections to test a configuration with")
	}
	cfg, err := s.Store.GetConfiguration(ctx, tenantID, id)
	if err != nil {
		return TestReport{}, missing(err, "configurationId", "configuration")
	}
	plan, err := s.testPlan(ctx, tenantID, id)
	if err != nil {
		return TestReport{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, testBudget)
	defer cancel()
	r := &TestReport{ConfigurationID: id}
	s.Connections.Forget(tenantID, id)
	conn, _, err := s.Connections.Connection(ctx, tenantID, id)
	if err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.NotFound {
			return TestReport{}, err
		}
		r.add("connect", err)
		return r.done(), nil
	}
	in, ok := conn.(crm.Inspector)
	if !ok {
		r.add("connect", fmt.Errorf("the %s driver cannot inspect its CRM", cfg.CRM))
		return r.done(), nil
	}
	timeout := time.Duration(cfg.TimeoutMs) * time.Millisecond
	call := func(f func(context.Context) error) error {
		cctx, cancel := context.WithTimeout(ctx, max(timeout, time.Second))
		defer cancel()
		return f(cctx)
	}
	if err := call(in.Ping); err != nil {
		r.add("authenticate", err)
		return r.done(), nil // nothing else can work
	}
	r.add("authenticate", nil)
	if ks, ok := conn.(crm.WriteKeySetter); ok {
		var made []string
		err := call(func(c context.Context) (err error) { made, err = ks.SetUpWriteKeys(c, plan.created); return err })
		switch {
		case errors.Is(err, crm.ErrNoWriteKeySetup):
		case err != nil:
			r.add("write keys", err)
		case len(made) > 0:
			r.Checks = append(r.Checks, Check{Name: "write keys", OK: true, Message: "made " + strings.Join(made, ", ")})
		default:
			r.Checks = append(r.Checks, Check{Name: "write keys", OK: true, Message: "in place"})
		}
	}

	metas := map[string]crm.EntityMeta{}
	metaErrs := map[string]error{}
	describe := func(entity string) (crm.EntityMeta, error) {
		if m, ok := metas[entity]; ok {
			return m, nil
		}
		if err, ok := metaErrs[entity]; ok {
			return crm.EntityMeta{}, err
		}
		var m crm.EntityMeta
		err := call(func(c context.Context) (err error) { m, err = in.Describe(c, entity); return err })
		if err != nil {
			metaErrs[entity] = err
			return crm.EntityMeta{}, err
		}
		metas[entity] = m
		return m, nil
	}
	for _, entity := range plan.entities {
		var found bool
		err := call(func(c context.Context) (err error) { _, found, err = in.Sample(c, entity); return err })
		name := "read " + entity
		switch {
		case err != nil:
			r.add(name, err)
		case !found:
			r.Checks = append(r.Checks, Check{Name: name, OK: true, Message: "readable; it holds no record yet"})
		default:
			r.add(name, nil)
		}
	}
	for _, m := range plan.data {
		prefix := "data mapping " + m.ID
		meta, err := describe(m.Entity)
		if err != nil {
			r.add(prefix+": entity "+m.Entity, err)
			continue
		}
		r.add(prefix+": entity "+m.Entity, nil)
		for i, f := range m.Fields {
			r.field(prefix+": fields["+strconv.Itoa(i)+"].target "+f.Target, meta, f.Target)
		}
	}
	for _, m := range plan.dynamic {
		for i, e := range m.Entities {
			prefix := "dynamic data mapping " + m.ID + ": entities[" + strconv.Itoa(i) + "]"
			meta, err := describe(e.Entity)
			if err != nil {
				r.add(prefix+" "+e.Entity, err)
				continue
			}
			r.add(prefix+" "+e.Entity, nil)
			for j, f := range e.SearchFields {
				r.field(prefix+".searchFields["+strconv.Itoa(j)+"] "+f, meta, f)
			}
			for j, f := range e.DisplayFields {
				r.field(prefix+".displayFields["+strconv.Itoa(j)+"].name "+f.Name, meta, f.Name)
			}
		}
	}
	return r.done(), nil
}

// testPlan is what a configuration test looks at: the entities of its create
// workflows and mappings, and the mappings themselves.
type testPlan struct {
	entities []string
	// created are the entities of create-mode data mappings: the ones
	// memorialization writes new records into.
	created []string
	data    []store.DataMapping
	dynamic []store.DynamicDataMapping
}

// maxTestEntities bounds the reads of one test (each is one CRM call).
const maxTestEntities = 20

func (s *Service) testPlan(ctx context.Context, tenantID, id string) (testPlan, error) {
	var p testPlan
	ws, err := s.Store.ListWorkflows(ctx, tenantID, id)
	if err != nil {
		return p, err
	}
	if p.data, err = s.Store.ListDataMappings(ctx, tenantID, id); err != nil {
		return p, err
	}
	if p.dynamic, err = s.Store.ListDynamicDataMappings(ctx, tenantID, id); err != nil {
		return p, err
	}
	add := func(e string) {
		if e != "" && !slices.Contains(p.entities, e) && len(p.entities) < maxTestEntities {
			p.entities = append(p.entities, e)
		}
	}
	for _, m := range p.dynamic {
		for _, e := range m.Entities {
			add(e.Entity)
		}
	}
	for _, m := range p.data {
		add(m.Entity)
		if m.Mode != crm.ModeUpdate && !slices.Contains(p.created, m.Entity) {
			p.created = append(p.created, m.Entity)
		}
	}
	for _, w := range ws {
		add(w.Entity)
	}
	return p, nil
}

// add records a check: passed when err is nil, else failed with the reason.
// A CRM's answer is the CRM's own words (the admin reads them, they are not
// logged); ours is the driver's.
func (r *TestReport) add(name string, err error) {
	c := Check{Name: name, OK: err == nil}
	if err != nil {
		c.Message = checkMessage(err)
	}
	r.Checks = append(r.Checks, c)
}

// field checks that a mapping's field is one the CRM's metadata lists.
func (r *TestReport) field(name string, meta crm.EntityMeta, field string) {
	if f, ok := meta.Field(field); ok {
		msg := ""
		if f.Label != "" {
			msg = "label " + strconv.Quote(f.Label)
		}
		r.Checks = append(r.Checks, Check{Name: name, OK: true, Message: msg})
		return
	}
	r.Checks = append(r.Checks, Check{Name: name, Message: fmt.Sprintf("%s has no field %q (the CRM lists %d fields)", meta.Entity, field, len(meta.Fields))})
}

func (r *TestReport) done() TestReport {
	r.OK = true
	for _, c := range r.Checks {
		r.OK = r.OK && c.OK
	}
	if r.Checks == nil {
		r.Checks = []Check{}
	}
	return *r
}

func checkMessage(err error) string {
	if e, ok := crm.AsError(err); ok {
		msg := e.Message
		if msg == "" {
			msg = string(e.Code)
		}
		if e.Status != 0 {
			msg = fmt.Sprintf("the CRM answered %d %s: %s", e.Status, e.CRMCode, msg)
		}
		return msg
	}
	if ae, ok := apperr.As(err); ok {
		return ae.Message
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the CRM did not answer in time"
	}
	return err.Error()
}
