// Package storetest is the conformance suite of store.Store: every adapter
// (store/memory, store/dynamo) runs the same cases, so the API behaves the
// same against the fake as against DynamoDB.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return newAdapter(t) },
//			storetest.Options{SetNow: func(s store.Store, now func() time.Time) { s.(*memory.Store).Now = now }})
//	}
package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/store"
)

// Options tunes the suite for an adapter.
type Options struct {
	// SetNow points a store's clock (its Now field) at now. The suite then
	// runs each case on a fake clock it moves; without it the cases that
	// need time to pass (TTL expiry) are skipped.
	SetNow func(s store.Store, now func() time.Time)
}

// Run runs every case in its own parallel subtest, each on a new, empty
// store from newStore (the cases use fixed tenant ids).
func Run(t *testing.T, newStore func(t *testing.T) store.Store, opts ...Options) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	cases := []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"Tenants", testTenants},
		{"Keys", testKeys},
		{"KeyHashUnique", testKeyHashUnique},
		{"ConfigurationVersions", testConfigurationVersions},
		{"ListConfigurations", testListConfigurations},
		{"DeleteConfigurationCascade", testDeleteConfigurationCascade},
		{"Workflows", testWorkflows},
		{"DataMappings", testDataMappings},
		{"DynamicDataMappings", testDynamicDataMappings},
		{"TenantIsolation", testTenantIsolation},
		{"CardMissing", testCardMissing},
		{"CardSections", testCardSections},
		{"CardRelatedNeverDemotes", testCardRelatedNeverDemotes},
		{"CardCurrentPromotes", testCardCurrentPromotes},
		{"CardOrder", testCardOrder},
		{"CardDuplicateInOneWrite", testCardDuplicateInOneWrite},
		{"CardPin", testCardPin},
		{"CardTTL", testCardTTL},
		{"CardTTLPerRecord", testCardTTLPerRecord},
		{"JobPutIfAbsent", testJobPutIfAbsent},
		{"JobUpdateMirrorsCard", testJobUpdateMirrorsCard},
		{"JobClaim", testJobClaim},
		{"JobClaimRequeue", testJobClaimRequeue},
		{"JobClaimRace", testJobClaimRace},
		{"JobRequeue", testJobRequeue},
		{"JobRetry", testJobRetry},
		{"JobDeadletter", testJobDeadletter},
		{"JobList", testJobList},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := &harness{Store: newStore(t), clock: &clock{now: start}}
			if o.SetNow != nil {
				o.SetNow(h.Store, h.clock.Now)
				h.fake = true
			}
			c.run(t, h)
		})
	}
}

// start is the fake clock's first reading: whole seconds, so TTLs kept in
// seconds land exactly; in the recent past, so it is a plausible "now".
var start = time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)

// harness is one case's store and clock.
type harness struct {
	store.Store
	clock *clock
	fake  bool // the store reads clock; otherwise it reads the real time
}

// advance moves the fake clock; with the real clock time moves by itself.
func (h *harness) advance(d time.Duration) { h.clock.advance(d) }

// needClock skips a case that must make time pass.
func (h *harness) needClock(t *testing.T) {
	t.Helper()
	if !h.fake {
		t.Skip("adapter has no settable clock (Options.SetNow)")
	}
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Tenant ids the cases use: tenantA owns the data, tenantB probes it.
const (
	tenantA = "tenant-a"
	tenantB = "tenant-b"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error = %v, want %v", what, err, want)
	}
}
