package localrun_test

import (
	"strings"
	"testing"
)

// TestListRoutes: an admin lists its tenant's keys (never a key or hash),
// data mappings and dynamic data mappings; another tenant's are 404.
func TestListRoutes(t *testing.T) {
	e := newEnv(t)
	a := e.newTenant("Acme")
	b := e.newTenant("Globex")
	keys := e.must(200, e.do("GET", "/v1/tenants/"+a.id+"/keys", a.admin, nil))
	list, _ := keys.Body["keys"].([]any)
	if len(list) != 3 {
		t.Fatalf("keys: %s", keys.Raw)
	}
	for _, secret := range []string{a.admin, a.studio, a.agent} {
		if strings.Contains(keys.Raw, secret) {
			t.Fatal("a key listing shows a key")
		}
	}
	for _, k := range list {
		m := k.(map[string]any)
		if m["keyId"] == "" || m["role"] == "" || m["created"] == "" || len(m) != 3 {
			t.Fatalf("key view %v, want keyId, role, created only", m)
		}
	}
	e.must(200, e.do("GET", "/v1/tenants/"+a.id+"/keys", e.platform, nil))
	e.must(404, e.do("GET", "/v1/tenants/"+b.id+"/keys", a.admin, nil))

	e.must(200, e.do("PUT", "/v1/configurations/sf-main/data-mappings/notes", a.admin, map[string]any{
		"entity": "Task", "fields": []map[string]any{{"source": "agentName", "target": "Subject"}}}))
	e.must(200, e.do("PUT", "/v1/configurations/sf-main/dynamic-data-mappings/card", a.admin, map[string]any{
		"entities": []map[string]any{{"entity": "Contact", "searchFields": []string{"Phone"}}}}))
	dm := e.must(200, e.do("GET", "/v1/configurations/sf-main/data-mappings", a.admin, nil))
	if l, _ := dm.Body["dataMappings"].([]any); len(l) != 1 || l[0].(map[string]any)["dataMappingId"] != "notes" {
		t.Fatalf("data mappings: %s", dm.Raw)
	}
	ddm := e.must(200, e.do("GET", "/v1/configurations/sf-main/dynamic-data-mappings", a.admin, nil))
	if l, _ := ddm.Body["dynamicDataMappings"].([]any); len(l) != 1 {
		t.Fatalf("dynamic data mappings: %s", ddm.Raw)
	}
	// b has a configuration of the same id and no mappings: each tenant sees its own.
	if l, _ := e.must(200, e.do("GET", "/v1/configurations/sf-main/data-mappings", b.admin, nil)).Body["dataMappings"].([]any); len(l) != 0 {
		t.Fatalf("b sees a's mappings: %v", l)
	}
	e.must(404, e.do("GET", "/v1/configurations/nope/data-mappings", a.admin, nil))
	e.must(404, e.do("GET", "/v1/configurations/nope/dynamic-data-mappings", a.admin, nil))
}
