package oracle

import (
	"strings"
	"testing"
)

func TestResourceList(t *testing.T) {
	s := start(t, Options{})
	a := s.call("GET", "/services/rest/connect/v1.4/", "", nil)
	items, _ := a.body["items"].([]any)
	if a.status != 200 || len(items) < 5 {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	first := items[0].(map[string]any)
	links := first["links"].([]any)
	if first["name"] != "contacts" || links[0].(map[string]any)["rel"] != "canonical" ||
		!strings.HasSuffix(links[0].(map[string]any)["href"].(string), "/services/rest/connect/v1.4/contacts") {
		t.Fatalf("first item %v", first)
	}
	if a := s.call("GET", "/services/rest/connect/v1.4/", "", map[string]string{"Authorization": "Basic eDp5"}); a.status != 401 {
		t.Fatalf("unauthenticated list: %d", a.status)
	}
	if a := s.call("POST", "/services/rest/connect/v1.4/", "{}", nil); a.status != 405 {
		t.Fatalf("post to the list: %d", a.status)
	}
}

func TestMetadataCatalog(t *testing.T) {
	s := start(t, Options{})
	a := s.call("GET", "/services/rest/connect/v1.4/metadata-catalog", "", nil)
	items, _ := a.body["items"].([]any)
	if a.status != 200 || len(items) < 5 {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	rels := map[string]string{}
	for _, l := range items[0].(map[string]any)["links"].([]any) {
		m := l.(map[string]any)
		rels[m["rel"].(string)], _ = m["mediaType"].(string)
	}
	if rels["alternate"] != "application/schema+json" || rels["canonical"] != "application/json" {
		t.Fatalf("links %v", rels)
	}
	if _, ok := rels["describes"]; !ok {
		t.Fatalf("no describes link: %v", rels)
	}

	a = s.call("GET", "/services/rest/connect/v1.4/metadata-catalog/contacts", "", map[string]string{"Accept": "application/schema+json"})
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "application/schema+json") {
		t.Fatalf("%d %s %s", a.status, a.header.Get("Content-Type"), a.raw)
	}
	rec := a.body["definitions"].(map[string]any)["singularResource"].(map[string]any)
	props := rec["properties"].(map[string]any)
	name := props["name"].(map[string]any)["properties"].(map[string]any)
	if name["first"].(map[string]any)["label"] != "First" || props["id"].(map[string]any)["isAvailableForPATCH"] != false {
		t.Fatalf("contact schema %v", props)
	}
	emails := props["emails"].(map[string]any)
	if emails["type"] != "array" || emails["items"].(map[string]any)["properties"].(map[string]any)["address"] == nil {
		t.Fatalf("emails %v", emails)
	}
	if a := s.call("GET", "/services/rest/connect/v1.4/metadata-catalog/CO.CallNote", "", nil); a.status != 200 {
		t.Fatalf("custom object schema: %d", a.status)
	}
	a = s.call("GET", "/services/rest/connect/v1.4/metadata-catalog/contact", "", nil)
	if a.status != 404 || a.body["o:errorCode"] != CodeNotFound {
		t.Fatalf("unknown resource: %d %v", a.status, a.body)
	}
}

// TestUnknownProperty: a property the resource does not have is refused
// the way a real site does (400, OSC-CREST-00013, "Unrecognized
// resource", "Invalid property specified: …").
func TestUnknownProperty(t *testing.T) {
	s := start(t, Options{})
	for _, body := range []string{`{"test":"content"}`, `{"name":{"nick":"x"}}`} {
		a := s.call("POST", "/services/rest/connect/v1.4/contacts", body, nil)
		if a.status != 400 || a.body["o:errorCode"] != CodeNotFound || a.body["title"] != "Unrecognized resource" ||
			!strings.HasPrefix(a.body["detail"].(string), "Invalid property specified: ") ||
			!strings.HasSuffix(a.body["type"].(string), "/services/rest/connect/exceptions/OSC-CREST-00013") {
			t.Errorf("%s: %d %v", body, a.status, a.body)
		}
	}
}

func TestTableNameIsTheResource(t *testing.T) {
	s := start(t, Options{})
	if _, tb := s.roql("SELECT id FROM CONTACTS"); tb.TableName != "contacts" {
		t.Fatalf("tableName %q", tb.TableName)
	}
}
