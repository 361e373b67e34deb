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
