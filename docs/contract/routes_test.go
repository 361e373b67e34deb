package contract_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/crmflow/crmflow/docs/contract"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/routes"
)

// operations returns every documented operation by route key ("GET /v1/jobs/{jobId}").
func operations(t *testing.T) map[string]*openapi3.Operation {
	t.Helper()
	doc, err := contract.Document()
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[method+" "+path] = op
		}
	}
	return ops
}

// TestDocumentMatchesRouteTable: every route of shared/routes is documented
// and nothing else is, each under the function that serves it; public
// routes, and only they, take no key.
func TestDocumentMatchesRouteTable(t *testing.T) {
	ops := operations(t)
	want := map[string]routes.Route{}
	for _, r := range routes.All {
		want[r.Key()] = r
	}
	for key, r := range want {
		op, ok := ops[key]
		if !ok {
			t.Errorf("route %s is not documented", key)
			continue
		}
		if fn, _ := op.Extensions["x-function"].(string); fn != r.Function {
			t.Errorf("%s: x-function %q, the route table says %q", key, fn, r.Function)
		}
		public := op.Security != nil && len(*op.Security) == 0
		if public != r.Public {
			t.Errorf("%s: documented without a key: %v, public in the route table: %v", key, public, r.Public)
		}
		throttled, _ := op.Extensions["x-throttled"].(bool)
		if throttled != routes.Throttled[r.Function] {
			t.Errorf("%s: x-throttled %v, the route table says %v", key, throttled, routes.Throttled[r.Function])
		}
		// What the edge answers on every keyed route (shared/httpapi), and
		// the per-tenant throttle's answer.
		var edge []string
		if !r.Public {
			edge = []string{"401", "403", "413", "500"}
		}
		if throttled {
			edge = append(edge, "429")
		}
		for _, status := range edge {
			if op.Responses.Value(status) == nil {
				t.Errorf("%s: no %s answer documented", key, status)
			}
		}
	}
	var extra []string
	for key := range ops {
		if _, ok := want[key]; !ok {
			extra = append(extra, key)
		}
	}
	sort.Strings(extra)
	for _, key := range extra {
		t.Errorf("documented operation %s is no route of shared/routes", key)
	}
	if len(ops) != len(routes.All) {
		t.Errorf("%d operations documented, %d routes", len(ops), len(routes.All))
	}
}

// TestDocumentedRolesAreTheHandlers: each operation's x-roles are the roles
// its handler lets in (shared/handlers), so the document never promises a
// role a 403 that the API does not give, nor the reverse.
func TestDocumentedRolesAreTheHandlers(t *testing.T) {
	ops := operations(t)
	// The services are not called: only the route tables are read.
	all := httpapi.Routes{}
	for _, rs := range []httpapi.Routes{
		handlers.Admin(nil), handlers.Search(nil), handlers.Create(nil), handlers.Update(nil),
		handlers.Enqueue(nil), handlers.Card(nil, nil), handlers.Jobs(nil),
	} {
		for k, v := range rs {
			all[k] = v
		}
	}
	for _, r := range routes.All {
		op := ops[r.Key()]
		if op == nil {
			continue // TestDocumentMatchesRouteTable reports it
		}
		var documented []string
		if rs, ok := op.Extensions["x-roles"].([]any); ok {
			for _, x := range rs {
				s, _ := x.(string)
				documented = append(documented, s)
			}
		}
		h, ok := all[r.Key()]
		if r.Public {
			if ok || len(documented) != 0 {
				t.Errorf("%s: public, yet roles %v documented or a keyed handler serves it", r.Key(), documented)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: no handler in shared/handlers", r.Key())
			continue
		}
		var served []string
		for _, role := range h.Roles {
			served = append(served, string(role))
		}
		slices.Sort(documented)
		slices.Sort(served)
		if !slices.Equal(documented, served) {
			t.Errorf("%s: x-roles %v, the handler lets in %v", r.Key(), documented, served)
		}
		desc := strings.ToLower(op.Description)
		for _, role := range served {
			if !strings.Contains(desc, role) {
				t.Errorf("%s: description does not name role %s: %q", r.Key(), role, op.Description)
			}
		}
	}
}
