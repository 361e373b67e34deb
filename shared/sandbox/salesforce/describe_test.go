package salesforce

import "testing"

// TestDescribe: sObject Describe answers as the reference documents it
// (name, label, keyPrefix, fields[].name/label/type), whatever case the
// path uses; an unknown object is 404 NOT_FOUND.
func TestDescribe(t *testing.T) {
	o := newOrg(t, Options{})
	var d struct {
		Name      string `json:"name"`
		Label     string `json:"label"`
		KeyPrefix string `json:"keyPrefix"`
		Fields    []struct {
			Name, Label, Type      string
			Createable, Updateable bool
		} `json:"fields"`
	}
	if status, _ := o.call("GET", "/services/data/v62.0/sobjects/contact/describe", nil, &d); status != 200 {
		t.Fatalf("describe: %d", status)
	}
	if d.Name != "Contact" || d.Label != "Contact" || d.KeyPrefix != "003" || len(d.Fields) < 20 || d.Fields[0].Name != "Id" {
		t.Fatalf("%+v", d)
	}
	want := map[string][3]string{"Id": {"Contact ID", "id"}, "Phone": {"Business Phone", "phone"}, "MobilePhone": {"Mobile Phone", "phone"},
		"Email": {"Email", "email"}, "AccountId": {"Account ID", "reference"}, "Name": {"Full Name", "string"}}
	for _, f := range d.Fields {
		if w, ok := want[f.Name]; ok {
			if f.Label != w[0] || f.Type != w[1] {
				t.Errorf("%s: %+v, want %v", f.Name, f, w)
			}
			if (f.Name == "Name" || f.Name == "Id") == f.Createable {
				t.Errorf("%s: createable %v", f.Name, f.Createable)
			}
			delete(want, f.Name)
		}
	}
	if len(want) != 0 {
		t.Errorf("missing %v", want)
	}
	o.wantError("GET", "/services/data/v62.0/sobjects/Nope__c/describe", nil, 404, "NOT_FOUND")
	o.wantError("POST", "/services/data/v62.0/sobjects/Contact/describe", map[string]any{}, 405, "METHOD_NOT_ALLOWED")
}

// TestResourcesByVersion: GET /services/data/{version}/ lists the
// version's resources, and needs a session.
func TestResourcesByVersion(t *testing.T) {
	o := newOrg(t, Options{})
	var res map[string]string
	if status, _ := o.call("GET", "/services/data/v62.0/", nil, &res); status != 200 || res["sobjects"] != "/services/data/v62.0/sobjects" || res["query"] == "" {
		t.Fatalf("%d %v", status, res)
	}
	o.token = "expired"
	o.wantError("GET", "/services/data/v62.0/", nil, 401, "INVALID_SESSION_ID")
}
