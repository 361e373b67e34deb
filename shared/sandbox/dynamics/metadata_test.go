package dynamics

import (
	"net/http"
	"strings"
	"testing"
)

// TestEntityDefinitions: a table's definition as the reference shows it:
// selected properties and MetadataId, labels as Label complex types, the
// common attribute properties under $expand=Attributes($select=…).
func TestEntityDefinitions(t *testing.T) {
	e := start(t, Options{Empty: true})
	res, body := e.call(http.MethodGet, "EntityDefinitions(LogicalName='contact')?$select=LogicalName,EntitySetName,DisplayName,PrimaryIdAttribute"+
		"&$expand=Attributes($select=LogicalName,DisplayName,AttributeType)", nil)
	if res.StatusCode != 200 || body["LogicalName"] != "contact" || body["EntitySetName"] != "contacts" ||
		body["PrimaryIdAttribute"] != "contactid" || body["MetadataId"] == nil || body["SchemaName"] != nil {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	if ctx, _ := body["@odata.context"].(string); !strings.HasSuffix(ctx, "/api/data/v9.2/$metadata#EntityDefinitions/$entity") {
		t.Fatalf("context %q", ctx)
	}
	label := body["DisplayName"].(map[string]any)["UserLocalizedLabel"].(map[string]any)
	if label["Label"] != "Contact" || label["LanguageCode"] != float64(1033) {
		t.Fatalf("label %v", label)
	}
	types := map[string]string{}
	for _, a := range body["Attributes"].([]any) {
		a := a.(map[string]any)
		if a["MetadataId"] == nil {
			t.Fatalf("attribute without MetadataId: %v", a)
		}
		types[a["LogicalName"].(string)] = a["AttributeType"].(string)
	}
	for name, typ := range map[string]string{"emailaddress1": "String", "description": "Memo", "contactid": "Uniqueidentifier",
		"parentcustomerid": "Customer", "ownerid": "Owner", "statecode": "State", "birthdate": "DateTime"} {
		if types[name] != typ {
			t.Errorf("%s: %q, want %q", name, types[name], typ)
		}
	}
	if _, ok := types["_parentcustomerid_value"]; ok {
		t.Error("lookup listed by its read form")
	}
	for path, code := range map[string]string{
		"EntityDefinitions(LogicalName='new_missing')":          "0x80041102",
		"EntityDefinitions(LogicalName='contact')?$select=Nope": codeQuery,
		"EntityDefinitions(LogicalName='contact')?$expand=Keys": codeQuery,
		"EntityDefinitions(LogicalName='contact')?$filter=x":    codeSelect,
		"EntityDefinitions(contact)":                            codeQuery,
	} {
		res, body := e.call(http.MethodGet, path, nil)
		if got, _ := errorOf(body); got != code || res.StatusCode < 400 {
			t.Errorf("%s: %d %v", path, res.StatusCode, body)
		}
	}
}
