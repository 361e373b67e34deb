package oracle

import (
	"net/http"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

func TestInspectAgainstTheSandbox(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	if err := c.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if sb.CallsPrefix("GET /services/rest/connect/v1.4/") != 1 {
		t.Fatal("Ping is not one GET of the resource list")
	}
	rec, found, err := c.Sample(ctx(t), "Incident")
	if err != nil || !found || rec.Entity != "incidents" || rec.ID != "1" {
		t.Fatalf("sample: %+v %v %v", rec, found, err)
	}
	meta, err := c.Describe(ctx(t), "Contact")
	if err != nil || meta.Entity != "contacts" || meta.Label != "Contact" {
		t.Fatalf("describe: %+v %v", meta, err)
	}
	for name, label := range map[string]string{"name.first": "First", "emails.address": "Address", "organization": "Organization",
		"contactType": "Contact Type", "phones.rawNumber": "Raw Number"} {
		if f, ok := meta.Field(name); !ok || f.Label != label {
			t.Errorf("field %s: %+v %v", name, f, ok)
		}
	}
	if f, _ := meta.Field("id"); f.Type != "integer" {
		t.Errorf("id type %q", f.Type)
	}
	if sb.CallsPrefix("GET /services/rest/connect/v1.4/metadata-catalog/contacts") != 1 {
		t.Fatal("Describe is not GET metadata-catalog/contacts")
	}
	if _, err := c.Describe(ctx(t), "CO.CallNote"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Describe(ctx(t), "CO.Missing")
	wantCode(t, err, crm.NotFound)
}

// TestDescribeSchemaShapes: a collection schema (the record under
// definitions.singularResource) and a record schema (properties at the
// top) both describe their fields; titles stand in for labels.
func TestDescribeSchemaShapes(t *testing.T) {
	collection := `{"$schema":"x","type":"object","properties":{"items":{"type":"array"}},"definitions":{"singularResource":
		{"type":"object","title":"Incident","properties":{"subject":{"type":["string","null"],"label":"Subject","maxLength":240},
		"severity":{"type":["object","null"],"$ref":"https://x/metadata-catalog/namedIDs","isEnumerable":true,"label":"Severity"},
		"customFields":{"type":"object","properties":{"c":{"type":"object","properties":{"call_id":{"type":"string","title":"Call ID"}}}}},
		"threads":{"type":"array","items":{"type":"object","properties":{"text":{"type":"string"}}}},"links":{"type":"array"}}}}}`
	meta, ok := describeSchema("incidents", []byte(collection))
	if !ok || meta.Label != "Incident" {
		t.Fatalf("%+v %v", meta, ok)
	}
	want := map[string]string{"subject": "string", "severity": "object", "customFields.c.call_id": "string", "threads.text": "string"}
	for name, typ := range want {
		if f, ok := meta.Field(name); !ok || f.Type != typ {
			t.Errorf("%s: %+v %v", name, f, ok)
		}
	}
	if f, _ := meta.Field("customFields.c.call_id"); f.Label != "Call ID" {
		t.Errorf("label from title: %+v", f)
	}
	if _, ok := meta.Field("links"); ok {
		t.Error("links is no field")
	}
	record := `{"type":"object","properties":{"id":{"type":"integer"},"primaryContact":{"$ref":"https://x/metadata-catalog/contacts"}}}`
	meta, ok = describeSchema("incidents", []byte(record))
	if f, _ := meta.Field("primaryContact"); !ok || f.Type != "reference" || meta.Label != "Incident" {
		t.Fatalf("%+v", meta)
	}
	for _, bad := range []string{`{}`, `[]`, `not json`, `{"properties":{}}`} {
		if _, ok := describeSchema("incidents", []byte(bad)); ok {
			t.Errorf("%s described", bad)
		}
	}
	c := fakeSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "application/schema+json") {
			t.Errorf("Accept %q", r.Header.Get("Accept"))
		}
		_, _ = w.Write([]byte(`{"oops":true}`))
	}))
	_, err := c.Describe(ctx(t), "incidents")
	wantCode(t, err, crm.Internal)
}
