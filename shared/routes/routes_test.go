package routes

import "testing"

func TestMatch(t *testing.T) {
	r, p, ok := Match("PUT", "/v1/contacts/c1/pins/Contact/003xx")
	if !ok || r.Function != Card || p["contactId"] != "c1" || p["entity"] != "Contact" || p["recordId"] != "003xx" {
		t.Fatalf("got %+v %v %v", r, p, ok)
	}
	if _, _, ok := Match("POST", "/v1/contacts/c1/card"); ok {
		t.Fatal("wrong method matched")
	}
	if !PathExists("/v1/contacts/c1/card") || PathExists("/v1/nothing") {
		t.Fatal("PathExists")
	}
	if _, _, ok := Match("POST", "/v1/jobs//retry"); ok {
		t.Fatal("empty parameter matched")
	}
}

func TestEveryFunctionHasARouteOrQueue(t *testing.T) {
	served := map[string]bool{Authorizer: true, Timeline: true, Memorialize: true}
	for _, r := range All {
		served[r.Function] = true
	}
	for _, f := range AllFunctions {
		if !served[f] {
			t.Errorf("function %s serves nothing", f)
		}
	}
}

func TestPublicRoutesAreStatic(t *testing.T) {
	// A route without a key must never reach tenant data: only the web
	// function (embedded files) serves them, and it serves nothing else.
	for _, r := range All {
		if r.Public != (r.Function == Web) {
			t.Errorf("%s: public=%v served by %s", r.Key(), r.Public, r.Function)
		}
		if r.Public && r.Method != "GET" {
			t.Errorf("%s: a public route only reads", r.Key())
		}
	}
}

func TestEveryRouteSaysWhoMayCallIt(t *testing.T) {
	known := map[string]bool{"platform": true, "admin": true, "studio": true, "agent": true}
	seen := map[string]bool{}
	for _, r := range All {
		if seen[r.Key()] {
			t.Errorf("%s: listed twice", r.Key())
		}
		seen[r.Key()] = true
		if r.Public != (len(r.Roles) == 0) {
			t.Errorf("%s: public=%v with roles %v: a keyed route names its roles, a public one none", r.Key(), r.Public, r.Roles)
		}
		for _, role := range r.Roles {
			if !known[role] {
				t.Errorf("%s: unknown role %q", r.Key(), role)
			}
		}
		if got, ok := Lookup(r.Key()); !ok || got.Function != r.Function {
			t.Errorf("Lookup(%q) = %+v, %v", r.Key(), got, ok)
		}
	}
	if _, ok := Lookup("GET /nothing"); ok {
		t.Error("Lookup found a route that is not there")
	}
	for _, f := range AllFunctions {
		if _, ok := Needs[f]; !ok {
			t.Errorf("function %s: Needs says nothing of its environment", f)
		}
	}
}
