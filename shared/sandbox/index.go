package sandbox

import (
	"maps"
	"sync"
	"time"
)

// Index is a sandbox's search index with the lag real CRMs have: a record
// created or changed at t is found by a search with its new values only
// from t+Lag on; until then a search sees the version indexed before (a new
// record not at all, a changed one with its old values, a deleted one
// still). Reads by id and lookups of a unique key never go through an Index:
// they are immediate on every CRM here, as on the real ones. Lag 0 (the
// default) indexes at once.
//
// Real lags, as each driver's doc.go cites them: HubSpot's CRM search shows
// new and changed objects after "a few moments", Zendesk's Search API after
// a few minutes, Salesforce SOSL after "about 15 minutes or more" (Large
// Data Volumes guide); Kustomer publishes no figure (its search is a separate
// index). ServiceNow's Table API reads rows directly: no Index there.
// An Index keeps the newest indexed version of every record it was told of,
// whatever its lag, so SetLag may come at any time.
type Index struct {
	mu       sync.Mutex
	lag      time.Duration
	now      func() time.Time
	versions map[string][]version
}

type version struct {
	visible time.Time // when the search sees it: written + the lag then
	rec     map[string]any
	deleted bool
}

// NewIndex returns an index with lag, on the clock now (time.Now if nil).
func NewIndex(lag time.Duration, now func() time.Time) *Index {
	if now == nil {
		now = time.Now
	}
	return &Index{lag: lag, now: now, versions: map[string][]version{}}
}

// SetLag changes the lag for what is written from now on.
func (x *Index) SetLag(d time.Duration) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.lag = d
}

// Lag is the index's lag.
func (x *Index) Lag() time.Duration {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.lag
}

// Put records that id was written (created or changed) with rec now.
func (x *Index) Put(id string, rec map[string]any) { x.add(id, version{rec: maps.Clone(rec)}) }

// Delete records that id was deleted now.
func (x *Index) Delete(id string) { x.add(id, version{deleted: true}) }

func (x *Index) add(id string, v version) {
	x.mu.Lock()
	defer x.mu.Unlock()
	// Kept at lag 0 too, so a lag switched on later hides a change behind
	// the version indexed before it.
	now := x.now()
	v.visible = now.Add(x.lag)
	vs := x.versions[id]
	// Versions the search sees already: only the newest of them matters.
	keep := 0
	for i, old := range vs {
		if !now.Before(old.visible) {
			keep = i
		}
	}
	x.versions[id] = append(vs[keep:], v)
}

// Searchable is the version of id a search sees now, given its current
// record: current itself when every write is indexed, else the newest
// version indexed by now (written at least the lag of its time ago), and
// ok false when there is none (a record not yet indexed, or indexed as
// deleted).
func (x *Index) Searchable(id string, current map[string]any) (rec map[string]any, ok bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	vs, pending := x.versions[id]
	if !pending {
		return current, current != nil
	}
	now := x.now()
	if last := vs[len(vs)-1]; !now.Before(last.visible) {
		// All indexed: keep the newest only, the one a later change hides.
		x.versions[id] = vs[len(vs)-1:]
		return current, current != nil && !last.deleted
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if !now.Before(vs[i].visible) {
			return vs[i].rec, !vs[i].deleted
		}
	}
	return nil, false // not indexed yet
}

// Deleted lists the ids deleted within the lag that a search still finds,
// with the version it finds, so a search over the current records can add
// them.
func (x *Index) Deleted() map[string]map[string]any {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	out := map[string]map[string]any{}
	for id, vs := range x.versions {
		last := vs[len(vs)-1]
		if !last.deleted || !now.Before(last.visible) {
			continue
		}
		for i := len(vs) - 2; i >= 0; i-- {
			if !now.Before(vs[i].visible) && !vs[i].deleted {
				out[id] = vs[i].rec
				break
			}
		}
	}
	return out
}
