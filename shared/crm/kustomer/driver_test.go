package kustomer

import (
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

func TestHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, hostAllowed, map[string]bool{
		"api.kustomerapp.com": true, "API.KustomerApp.com": true, "acme.api.kustomerapp.com": true,
		"api.prod2.kustomerapp.com": true, "api.prod4.kustomerapp.com": true, "acme-eu.api.prod2.kustomerapp.com": true,
		"kustomerapp.com": false, "acme.kustomerapp.com": false, "api.kustomerapp.com.evil.example": false,
		"evil.example/api.kustomerapp.com": false, "a.b.api.kustomerapp.com": false, "-x.api.kustomerapp.com": false,
		"api.staging.kustomerapp.com": false, "": false,
	})
}

func TestDriver(t *testing.T) {
	d := Driver()
	if d.Type != crm.Kustomer || d.Label != "Kustomer" || d.DefaultAPIVersion != "v1" || d.TokenHostAllowed != nil || d.New == nil {
		t.Fatalf("driver: %+v", d)
	}
	if !slices.Equal(d.AuthTypes, []crm.AuthType{crm.AuthBearerToken}) {
		t.Fatalf("auth types %v", d.AuthTypes)
	}
	var names []string
	for _, e := range d.StandardEntities {
		names = append(names, e.Entity)
		if _, err := resolve("test", e.Entity); err != nil {
			t.Errorf("standard entity %s: %v", e.Entity, err)
		}
		for _, f := range e.Fields {
			if !validPath(f) {
				t.Errorf("%s field %q", e.Entity, f)
			}
		}
	}
	if !slices.Equal(names, []string{"customer", "conversation"}) {
		t.Fatalf("standard entities %v", names)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	good := crm.Config{BaseURL: "https://acme.api.kustomerapp.com", Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "eyJhbGciOiJIUzI1NiJ9.e30.sig"}}
	if _, err := New(good, nil); err != nil {
		t.Fatalf("good config: %v", err)
	}
	crmtest.RejectsEdits(t, New, good, map[string]func(*crm.Config){
		"ftp scheme":       func(c *crm.Config) { c.BaseURL = "ftp://api.kustomerapp.com" },
		"path":             func(c *crm.Config) { c.BaseURL = "https://api.kustomerapp.com/v1" },
		"query":            func(c *crm.Config) { c.BaseURL = "https://api.kustomerapp.com?x=1" },
		"user info":        func(c *crm.Config) { c.BaseURL = "https://u:p@api.kustomerapp.com" },
		"api version":      func(c *crm.Config) { c.APIVersion = "v2" },
		"basic auth":       func(c *crm.Config) { c.Auth.Type = crm.AuthBasic },
		"no token":         func(c *crm.Config) { c.Credentials.Token = "" },
		"token with space": func(c *crm.Config) { c.Credentials.Token = "ey J" },
		"token with CRLF":  func(c *crm.Config) { c.Credentials.Token = "ey\r\nX-Evil: 1" },
	})
}

func TestRecordURL(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	jane := crm.Ref{Entity: "customer", ID: sb.IDs("customer")[0]}
	if u := c.RecordURL(jane); u != "" {
		t.Fatalf("URL before the org is known: %q", u)
	}
	open, err := c.RelatedOpen(ctx(t), jane, 5)
	if err != nil || len(open) != 2 {
		t.Fatalf("%d open, %v", len(open), err)
	}
	base := "https://acme.kustomerapp.com/app/customers/" + jane.ID
	if u := c.RecordURL(jane); u != base {
		t.Fatalf("URL %q, want %q", u, base)
	}
	conv := crm.Ref{Entity: "conversation", ID: open[0].ID}
	for ref, want := range map[crm.Ref]string{
		conv: base + "/event/" + conv.ID,
		{Entity: "conversation", ID: "5f3a1c2b9d8e7f00ffffffff"}: "", // customer not known
		{Entity: "company", ID: sb.IDs("company")[0]}:            "",
		{Entity: "customer", ID: "../x"}:                         "",
		{Entity: "contact", ID: jane.ID}:                         "",
	} {
		if got := c.RecordURL(ref); got != want {
			t.Errorf("RecordURL(%v) = %q, want %q", ref, got, want)
		}
	}
	if open[0].URL != base+"/event/"+conv.ID {
		t.Fatalf("record URL %q", open[0].URL)
	}
}

// A per-org API host names the org: no request is needed for URLs, and
// regional pods keep their label in the app host.
func TestOrgFromHost(t *testing.T) {
	for base, want := range map[string]string{
		"https://acme.api.kustomerapp.com":       "https://acme.kustomerapp.com/app/customers/5f3a1c2b9d8e7f0012a4b004",
		"https://acme.api.prod2.kustomerapp.com": "https://acme.prod2.kustomerapp.com/app/customers/5f3a1c2b9d8e7f0012a4b004",
	} {
		c, err := newConnector(crm.Config{BaseURL: base, Auth: crm.Auth{Type: crm.AuthBearerToken},
			Credentials: crm.Credentials{Token: "k"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.orgName(ctx(t)); err != nil {
			t.Fatal(err)
		}
		if got := c.RecordURL(crm.Ref{Entity: "customer", ID: "5f3a1c2b9d8e7f0012a4b004"}); got != want {
			t.Errorf("%s: %q, want %q", base, got, want)
		}
	}
}

func TestOrgReadOnce(t *testing.T) {
	var n atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/orgs/current", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		orgCurrent(w, r)
	})
	mux.HandleFunc("POST /v1/customers/search", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"meta":{"page":1,"pageSize":100,"total":1,"totalPages":1},"links":{"next":null},"data":[` +
			`{"type":"customer","id":"5f3a1c2b9d8e7f0012a4b00a","attributes":{"name":"A","updatedAt":"2026-01-02T03:04:05.678Z"}}]}`))
	})
	c := fakeAPI(t, mux)
	for range 3 {
		recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
		if err != nil {
			t.Fatal(err)
		}
		if recs[0].URL != "https://globex.kustomerapp.com/app/customers/5f3a1c2b9d8e7f0012a4b00a" || recs[0].Display != "A" {
			t.Fatalf("record %+v", recs[0])
		}
	}
	if n.Load() != 1 {
		t.Fatalf("org read %d times", n.Load())
	}
}

// An org name that does not fit a host name is refused, so a record URL
// never points elsewhere.
func TestOrgNameChecked(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/orgs/current", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":{"type":"org","id":"x","attributes":{"name":"evil.example/x"}}}`))
	})
	c := fakeAPI(t, mux)
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	wantCode(t, err, crm.Internal)
}

func TestResolveEntities(t *testing.T) {
	for entity, klass := range map[string]string{"customer": "", "company": "", "conversation": "", "message": "", "note": "",
		"kobject.order": "order", "kobject.shop_Order2": "shop_Order2"} {
		o, err := resolve("t", entity)
		if err != nil || o.klass != klass || o.entity != entity {
			t.Errorf("resolve(%q) = %+v, %v", entity, o, err)
		}
	}
	for _, entity := range []string{"customers", "Customer", "contact", "kobject.", "kobject.a/b", "kobject.1x", "kobject.a.b", ""} {
		if _, err := resolve("t", entity); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("resolve(%q): %v, want InvalidArgument", entity, err)
		}
	}
}
