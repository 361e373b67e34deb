package zendesk

import (
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

func TestHostAllowed(t *testing.T) {
	crmtest.WantHosts(t, hostAllowed, map[string]bool{
		"acme.zendesk.com": true, "ACME.Zendesk.com": true, "acme-support.zendesk.com": true,
		"zendesk.com": false, "acme.zendesk.com.evil.example": false, "evil-zendesk.com": false, "a.b.zendesk.com": false,
		"-acme.zendesk.com": false, "acme.zendesk.co": false, "": false,
	})
}

func TestDriver(t *testing.T) {
	d := Driver()
	if d.Type != crm.Zendesk || d.Label != "Zendesk" || d.DefaultAPIVersion != "v2" || d.TokenHostAllowed != nil || d.New == nil {
		t.Fatalf("driver: %+v", d)
	}
	if !slices.Equal(d.AuthTypes, []crm.AuthType{crm.AuthAPIToken, crm.AuthBearerToken, crm.AuthClientCredentials}) {
		t.Fatalf("auth types %v", d.AuthTypes)
	}
	var names []string
	for _, e := range d.StandardEntities {
		names = append(names, e.Entity)
		if _, ok := standard[e.Entity]; !ok {
			t.Errorf("standard entity %s has no resource", e.Entity)
		}
		for _, f := range e.Fields {
			if !validPath(f) {
				t.Errorf("%s field %q", e.Entity, f)
			}
		}
	}
	if !slices.Equal(names, []string{"ticket", "user", "organization"}) {
		t.Fatalf("standard entities %v", names)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	good := crm.Config{BaseURL: "https://acme.zendesk.com", Auth: crm.Auth{Type: crm.AuthAPIToken, Email: "agent@acme.example"},
		Credentials: crm.Credentials{APIToken: "abc123"}}
	if _, err := New(good, nil); err != nil {
		t.Fatalf("good config: %v", err)
	}
	crmtest.RejectsEdits(t, New, good, map[string]func(*crm.Config){
		"ftp scheme":        func(c *crm.Config) { c.BaseURL = "ftp://acme.zendesk.com" },
		"path":              func(c *crm.Config) { c.BaseURL = "https://acme.zendesk.com/api/v2" },
		"query":             func(c *crm.Config) { c.BaseURL = "https://acme.zendesk.com?x=1" },
		"user info":         func(c *crm.Config) { c.BaseURL = "https://u:p@acme.zendesk.com" },
		"api version":       func(c *crm.Config) { c.APIVersion = "v1" },
		"no email":          func(c *crm.Config) { c.Auth.Email = "" },
		"email with colon":  func(c *crm.Config) { c.Auth.Email = "a:b@acme.example" },
		"email with /token": func(c *crm.Config) { c.Auth.Email = "a@acme.example/token" },
		"no token":          func(c *crm.Config) { c.Credentials.APIToken = "" },
		"token with CRLF":   func(c *crm.Config) { c.Credentials.APIToken = "t\r\nX-Evil: 1" },
		"basic":             func(c *crm.Config) { c.Auth.Type = crm.AuthBasic },
		"bearer no token":   func(c *crm.Config) { c.Auth.Type = crm.AuthBearerToken },
		"cc no secret":      func(c *crm.Config) { c.Auth = crm.Auth{Type: crm.AuthClientCredentials, ClientID: "x"} },
		"cc token elsewhere": func(c *crm.Config) {
			c.Auth = crm.Auth{Type: crm.AuthClientCredentials, ClientID: "x", TokenURL: "https://evil.example/oauth/tokens"}
			c.Credentials.ClientSecret = "s"
		},
	})
}

func TestRecordURL(t *testing.T) {
	c, err := newConnector(crm.Config{BaseURL: "https://Acme.zendesk.com", Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "t"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[crm.Ref]string{
		{Entity: "user", ID: "381000000002"}:                    "https://acme.zendesk.com/agent/users/381000000002",
		{Entity: "ticket", ID: "42"}:                            "https://acme.zendesk.com/agent/tickets/42",
		{Entity: "organization", ID: "7"}:                       "https://acme.zendesk.com/agent/organizations/7",
		{Entity: "ticket", ID: "4/../x"}:                        "",
		{Entity: "Tickets", ID: "4"}:                            "https://acme.zendesk.com/agent/tickets/4",
		{Entity: "zen:user", ID: "5"}:                           "https://acme.zendesk.com/agent/users/5",
		{Entity: "call_note", ID: "01GB1Y8AR58M9Q1XD9N8GZ2FC5"}: "",
		{Entity: "groups", ID: "4"}:                             "",
	} {
		if got := c.RecordURL(ref); got != want {
			t.Errorf("RecordURL(%v) = %q, want %q", ref, got, want)
		}
	}
}

func TestGetFieldsAndPaths(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	rec, err := c.Get(ctx(t), crm.Ref{Entity: "user", ID: janeID(t, sb)}, []string{"user_fields.job_title", "organization_id", "email"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Fields["user_fields.job_title"] != "Office manager" || rec.Fields["email"] != "jane.doe@example.com" ||
		rec.Fields["organization_id"] == nil || rec.Updated.IsZero() || rec.Display != "Jane Doe" {
		t.Fatalf("record %+v", rec)
	}
	if _, err := c.Get(ctx(t), crm.Ref{Entity: "user", ID: "1"}, []string{"bad-field"}); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("bad field: %v", err)
	}
}

func TestCreateNestedFields(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	rec, err := c.Create(ctx(t), "user", map[string]any{"name": "Ann Lee", "email": "ann@example.com", "user_fields.job_title": "CFO"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Fields["user_fields.job_title"] != "CFO" {
		t.Fatalf("created %+v", rec)
	}
	tk, err := c.Create(ctx(t), "ticket", map[string]any{"subject": "S", "comment.body": "B", "custom_fields.360001": "gold"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx(t), crm.Ref{Entity: "ticket", ID: tk.ID}, []string{"custom_fields.360001", "custom_field_360001"})
	if err != nil || got.Fields["custom_fields.360001"] != "gold" || got.Fields["custom_field_360001"] != "gold" {
		t.Fatalf("custom field: %+v %v", got, err)
	}
	_ = sb
	for name, fields := range map[string]map[string]any{
		"conflict":         {"comment": "x", "comment.body": "y"},
		"bad path":         {"a..b": 1},
		"custom not an id": {"custom_fields.abc": 1},
	} {
		if _, err := c.Create(ctx(t), "ticket", fields); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := c.Create(ctx(t), "ticket", map[string]any{"subject": "no description"}); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("ticket without comment: %v", err)
	}
	_, err = c.Create(ctx(t), "user", map[string]any{"name": "Dup", "email": "jane.doe@example.com"})
	wantCode(t, err, crm.AlreadyExists)
}

func TestRelatedOpenOnlyUnsolved(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{PageSize: 1})
	recs, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "user", ID: janeID(t, sb)}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Display != "#1 Printer on fire" || recs[0].Fields["status"] != "open" {
		t.Fatalf("related %+v", recs)
	}
	if _, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "ticket", ID: "1"}, 5); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("ticket as person: %v", err)
	}
}

func TestSearchPagesAndMapping(t *testing.T) {
	c, _ := startSandbox(t, nil, zdsandbox.Options{PageSize: 1})
	recs, err := c.Search(ctx(t), crm.Query{Entity: "ticket", Fields: []string{"subject", "status"}, Limit: 10,
		Filter: crm.Filter{Field: "status", Op: crm.OpIn, Value: []any{"open", "pending"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("want 2 tickets, got %+v", recs)
	}
	recs, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+442079460958", "442079460958", "2079460958"},
		Entities: []crm.EntitySpec{{Entity: "user", DisplayFields: []string{"name", "phone"}}}})
	if err != nil || len(recs) != 1 || recs[0].Fields["phone"] != "+44 20 7946 0958" {
		t.Fatalf("international phone: %+v %v", recs, err)
	}
	if _, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"12"}}); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("short number: %v", err)
	}
}
