package handlers

import (
	"maps"
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/routes"
)

// TestRoutesAreTheTables: each function serves exactly the route table's
// routes for it, each with the table's roles.
func TestRoutesAreTheTables(t *testing.T) {
	card := Card(nil, nil)
	maps.Copy(card, Jobs(nil))
	served := map[string]httpapi.Routes{
		routes.Admin: Admin(nil), routes.Search: Search(nil), routes.Create: Create(nil), routes.Update: Update(nil),
		routes.Enqueue: Enqueue(nil), routes.Card: card,
	}
	for fn, rs := range served {
		var want []string
		for _, r := range routes.All {
			if r.Function == fn {
				want = append(want, r.Key())
			}
		}
		got := slices.Sorted(maps.Keys(rs))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s serves %v; the route table gives it %v", fn, got, want)
		}
		for key, r := range rs {
			rt, _ := routes.Lookup(key)
			var roles []string
			for _, role := range r.Roles {
				roles = append(roles, string(role))
			}
			if len(roles) == 0 || !slices.Equal(roles, rt.Roles) {
				t.Errorf("%s: roles %v, the table says %v", key, roles, rt.Roles)
			}
		}
	}
	if _, ok := For(routes.Search, Services{}); ok {
		t.Error("For served search without its service")
	}
	if _, ok := For(routes.Timeline, Services{}); ok {
		t.Error("For served a queue function as HTTP")
	}
	if h, ok := For(routes.Web, Services{}); !ok || h == nil {
		t.Error("For must serve the static web function")
	}
	for _, fn := range routes.QueueFunctions {
		if a := ConsumerAction[fn]; a == "" {
			t.Errorf("queue function %s consumes no action", fn)
		}
	}
}
