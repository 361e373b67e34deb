package servicenow

import (
	"fmt"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// An encoded query has a fixed shape: ^NQ-separated queries, each an AND
// (^) of clauses, each clause an OR (^OR) of conditions; ^OR binds only the
// conditions next to it and there are no parentheses. A portable filter of
// any nesting is brought to that shape: any of conditions becomes one
// clause, all becomes the clauses side by side, and any of larger parts
// becomes separate ^NQ queries, multiplying out an all over several of
// them. The result is bounded so that a small filter cannot grow into a
// huge query.
type (
	clause  []string  // conditions joined by ^OR
	andPart []clause  // clauses joined by ^
	orQuery []andPart // queries joined by ^NQ
)

// Bounds of a compiled filter.
const (
	maxQueries    = 16
	maxConditions = 128
)

// compileFilter turns a validated portable filter into an encoded query.
// Errors name the part of the filter that cannot be expressed.
func compileFilter(f crm.Filter) (string, error) {
	q, err := shape(f, "")
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, len(q))
	for _, p := range q {
		clauses := make([]string, 0, len(p))
		for _, c := range p {
			clauses = append(clauses, strings.Join(c, "^OR"))
		}
		parts = append(parts, strings.Join(clauses, "^"))
	}
	return strings.Join(parts, "^NQ"), nil
}

func shape(f crm.Filter, path string) (orQuery, error) {
	at := func(p string) string {
		if path == "" {
			return p
		}
		return path + "." + p
	}
	switch {
	case f.All != nil:
		out := orQuery{andPart{}}
		for i, sub := range f.All {
			q, err := shape(sub, at(fmt.Sprintf("all[%d]", i)))
			if err != nil {
				return nil, err
			}
			if out, err = and(out, q); err != nil {
				return nil, fmt.Errorf("%s: %w", at("all"), err)
			}
		}
		return out, nil
	case f.Any != nil:
		var merged clause
		var out orQuery
		for i, sub := range f.Any {
			q, err := shape(sub, at(fmt.Sprintf("any[%d]", i)))
			if err != nil {
				return nil, err
			}
			if len(q) == 1 && len(q[0]) == 1 {
				// A single clause joins the others with ^OR.
				merged = append(merged, q[0][0]...)
				continue
			}
			out = append(out, q...)
		}
		if merged != nil {
			out = append(orQuery{{merged}}, out...)
		}
		return out, bounded(out)
	}
	c, err := condition(f)
	if err != nil {
		if path == "" {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return orQuery{{{c}}}, nil
}

// and multiplies two queries out: every part of a with every part of b.
func and(a, b orQuery) (orQuery, error) {
	out := make(orQuery, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			part := make(andPart, 0, len(x)+len(y))
			out = append(out, append(append(part, x...), y...))
		}
	}
	return out, bounded(out)
}

func bounded(q orQuery) error {
	n := 0
	for _, p := range q {
		for _, c := range p {
			n += len(c)
		}
	}
	if len(q) > maxQueries || n > maxConditions {
		return fmt.Errorf("too complex for a ServiceNow encoded query (at most %d alternatives and %d conditions once expanded)", maxQueries, maxConditions)
	}
	return nil
}
