// Package crmsearch holds the orchestration drivers share around their
// searches: the limit a search is held to, and running one search per
// entity (table, resource) and merging what they find.
package crmsearch

import "github.com/crmflow/crmflow/shared/crm"

// Limit is n held to 1…max: def when n is not positive, max when it is more.
func Limit(n, def, max int) int {
	switch {
	case n <= 0:
		return def
	case n > max:
		return max
	}
	return n
}

// Collect runs search on each plan in order, asking each for the records
// still missing of limit, until limit records are in. With key set, a
// record whose key is "" or was seen before is dropped, for plans that can
// find the same record twice.
func Collect[P any](plans []P, limit int, key func(crm.Record) string, search func(p P, want int) ([]crm.Record, error)) ([]crm.Record, error) {
	var out []crm.Record
	seen := map[string]bool{}
	for _, p := range plans {
		found, err := search(p, limit-len(out))
		if err != nil {
			return nil, err
		}
		for _, rec := range found {
			if key != nil {
				k := key(rec)
				if k == "" || seen[k] {
					continue
				}
				seen[k] = true
			}
			out = append(out, rec)
		}
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}
