package kustomer

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

func TestAppHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, Driver().AppHostAllowed, map[string]bool{
		"acme.kustomerapp.com": true, "ACME.KustomerApp.com": true, "acme-eu.prod2.kustomerapp.com": true,
		"acme.prod4.kustomerapp.com": true,
		"api.kustomerapp.com":        false, "acme.api.kustomerapp.com": false, "api.prod2.kustomerapp.com": false,
		"prod2.kustomerapp.com": false, "kustomerapp.com": false, "acme.kustomerapp.com.evil.example": false,
		"a.b.kustomerapp.com": false, "-x.kustomerapp.com": false, "acme.staging.kustomerapp.com": false, "": false,
	})
}

// The app address comes from the configuration: appUrl, else the org of a
// per-org API host, else a loopback http baseUrl; never from a call.
func TestAppBase(t *testing.T) {
	for _, tc := range []struct{ appURL, base, want string }{
		{"", "https://acme.api.kustomerapp.com", "https://acme.kustomerapp.com"},
		{"", "https://api.kustomerapp.com", ""},
		{"", "https://api.prod2.kustomerapp.com", ""},
		{"", "https://acme.api.prod2.kustomerapp.com", ""}, // the regional app host is not documented
		{"https://acme.prod2.kustomerapp.com", "https://acme.api.prod2.kustomerapp.com", "https://acme.prod2.kustomerapp.com"},
		{"https://Globex.kustomerapp.com/", "https://api.kustomerapp.com", "https://globex.kustomerapp.com"},
		{"", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"", "http://localhost:9", "http://localhost:9"},
		{"", "http://kus.example", ""},
		{"http://127.0.0.1:7000", "http://127.0.0.1:8080", "http://127.0.0.1:7000"},
	} {
		c, err := newConnector(crm.Config{BaseURL: tc.base, AppURL: tc.appURL, Auth: crm.Auth{Type: crm.AuthBearerToken},
			Credentials: crm.Credentials{Token: "k"}}, nil)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if c.app != tc.want {
			t.Errorf("appUrl %q, baseUrl %q: app %q, want %q", tc.appURL, tc.base, c.app, tc.want)
		}
		want := ""
		if tc.want != "" {
			want = tc.want + "/app/customers/5f3a1c2b9d8e7f0012a4b004"
		}
		if got := c.RecordURL(crm.Ref{Entity: "customers", ID: "5f3a1c2b9d8e7f0012a4b004"}); got != want {
			t.Errorf("%+v: RecordURL %q, want %q", tc, got, want)
		}
	}
	for _, bad := range []string{"ftp://acme.kustomerapp.com", "https://acme.kustomerapp.com/app", "acme.kustomerapp.com"} {
		if _, err := newConnector(crm.Config{BaseURL: "https://api.kustomerapp.com", AppURL: bad,
			Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: "k"}}, nil); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("appUrl %q: %v", bad, err)
		}
	}
}

func TestRecordURL(t *testing.T) {
	c, sb := startAs(t, nil, "https://api.kustomerapp.com", kussandbox.Options{},
		func(cfg *crm.Config) { cfg.AppURL = "https://acme.kustomerapp.com" })
	jane := crm.Ref{Entity: "customer", ID: sb.IDs("customer")[0]}
	base := "https://acme.kustomerapp.com/app/customers/" + jane.ID
	if u := c.RecordURL(jane); u != base {
		t.Fatalf("URL %q, want %q", u, base)
	}
	before := sb.TotalCalls()
	open, err := c.RelatedOpen(ctx(t), jane, 5)
	if err != nil || len(open) != 2 {
		t.Fatalf("%d open, %v", len(open), err)
	}
	if n := sb.TotalCalls() - before; n != 1 {
		t.Fatalf("%d calls for one list: record URLs must make none", n)
	}
	conv := crm.Ref{Entity: "conversation", ID: open[0].ID}
	for ref, want := range map[crm.Ref]string{
		conv:                                   base + "/event/" + conv.ID,
		{Entity: "conversations", ID: conv.ID}: base + "/event/" + conv.ID,
		{Entity: "conversation", ID: "5f3a1c2b9d8e7f00ffffffff"}: "", // customer not known
		{Entity: "company", ID: sb.IDs("company")[0]}:            "",
		{Entity: "customer", ID: "../x"}:                         "",
		{Entity: "kobject.", ID: jane.ID}:                        "",
	} {
		if got := c.RecordURL(ref); got != want {
			t.Errorf("RecordURL(%v) = %q, want %q", ref, got, want)
		}
	}
	if open[0].URL != base+"/event/"+conv.ID {
		t.Fatalf("record URL %q", open[0].URL)
	}
}
