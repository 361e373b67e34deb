package oracle

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

// realFile reads a recorded or published answer (testdata/real/SOURCES.md).
func realFile(t *testing.T, name string) []byte {
	t.Helper()
	return crmtest.RealFile(t, name)
}

// replay is a site that answers every request with one recorded answer.
func replay(t *testing.T, status int, header http.Header, body []byte) *connector {
	t.Helper()
	c := fakeSite(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	c.pageSize = 100
	return c
}

// TestRealFilesAreListed: every file under testdata/real is named in
// SOURCES.md and decoded by a test here.
func TestRealFilesAreListed(t *testing.T) { crmtest.CheckRealFilesListed(t) }

// TestRealResourceList: Ping takes a real site's resource list, every
// standard object the driver names is a resource of a real site, and the
// site's custom objects are taken as they are spelled.
func TestRealResourceList(t *testing.T) {
	body := realFile(t, "resource-list.json")
	if err := replay(t, 200, http.Header{"Content-Type": {"application/json"}}, body).Ping(ctx(t)); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	var list struct {
		Items []struct{ Name string } `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range list.Items {
		names = append(names, it.Name)
	}
	for _, o := range standardObjects {
		if !slices.Contains(names, o.resource) {
			t.Errorf("%s is not in a real site's resource list", o.resource)
		}
	}
	for _, n := range names {
		canon, err := canonicalEntity(n)
		switch {
		case isCustomObject(n) && (err != nil || canon != n):
			t.Errorf("custom object %s: %q, %v", n, canon, err)
		case err == nil && canon != n:
			t.Errorf("resource %s canonical as %q", n, canon)
		}
	}
	if err := replay(t, 200, nil, []byte(`{"items":[]}`)).Ping(ctx(t)); crm.CodeOf(err) != crm.Internal {
		t.Fatalf("empty list: %v", err)
	}
}

var serviceProductColumns = []string{"id", "lookupName", "createdTime", "updatedTime", "displayOrder", "name", "parent"}

// TestRealQueryResults: the row decoder reads real queryResults answers:
// strings, nulls, and no rows.
func TestRealQueryResults(t *testing.T) {
	fields := serviceProductColumns[4:]
	t.Run("one row", func(t *testing.T) {
		c := replay(t, 200, nil, realFile(t, "query-one-row.json"))
		found, err := c.selectRecords(ctx(t), "op", "serviceProducts", serviceProductColumns, "id = 100", "id", 10)
		if err != nil || len(found) != 1 {
			t.Fatalf("%+v %v", found, err)
		}
		rec := c.record("serviceProducts", serviceProductColumns, found[0], fields)
		if rec.ID != "100" || rec.Display != "QR404" || !rec.Updated.IsZero() || rec.Entity != "serviceProducts" ||
			rec.Fields["displayOrder"] != "3" || rec.Fields["parent"] != "99" || rec.Fields["name"] != "QR404" {
			t.Fatalf("record %+v", rec)
		}
	})
	t.Run("rows with nulls", func(t *testing.T) {
		c := replay(t, 200, nil, realFile(t, "query-rows-with-nulls.json"))
		found, err := c.selectRecords(ctx(t), "op", "serviceProducts", serviceProductColumns, "", "id", 100)
		if err != nil || len(found) != 23 {
			t.Fatalf("%d records, %v", len(found), err)
		}
		rec := c.record("serviceProducts", serviceProductColumns, found[0], fields)
		if _, has := rec.Fields["parent"]; rec.ID != "94" || rec.Display != "DVR/NVR" || has {
			t.Fatalf("first record %+v", rec)
		}
	})
	t.Run("ids", func(t *testing.T) {
		c := replay(t, 200, nil, realFile(t, "query-ids.json"))
		rows, err := c.query(ctx(t), "op", "SELECT id FROM serviceProducts")
		if err != nil || len(rows) != 9 || *rows[0][0] != "2112" || *rows[8][0] != "2130" {
			t.Fatalf("%v %v", rows, err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		c := replay(t, 200, nil, realFile(t, "query-empty.json"))
		_, err := c.Get(ctx(t), crm.Ref{Entity: "ServiceProduct", ID: "1"}, nil)
		wantCode(t, err, crm.NotFound)
		rec, found, err := c.Sample(ctx(t), "serviceProducts")
		if err != nil || found {
			t.Fatalf("sample of none: %+v %v %v", rec, found, err)
		}
	})
}

// TestRealCreateAndUpdate: a real 201 (Location and the full resource)
// and a real 200 with an empty body.
func TestRealCreateAndUpdate(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json"},
		"Location": {"https://test-interface.custhelp.com/services/rest/connect/v1.3/serviceProducts/2130"}}
	c := replay(t, 201, h, realFile(t, "create-201.json"))
	rec, err := c.Create(ctx(t), "ServiceProduct", map[string]any{"name": "PRODUCT-TEST", "parent.id": "102"})
	if err != nil || rec.ID != "2130" || rec.Display != "PRODUCT-TEST" || rec.Entity != "serviceProducts" ||
		rec.Fields["name"] != "PRODUCT-TEST" || rec.Fields["parent.id"] != "102" {
		t.Fatalf("create: %+v %v", rec, err)
	}
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "serviceProducts", Fields: map[string]any{"name": "PRODUCT-TEST"}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "serviceProducts", ID: "2130"}) {
		t.Fatalf("memorialize: %+v %v", res, err)
	}
	c = replay(t, 200, http.Header{"Content-Length": {"0"}, "Content-Type": {"application/json"}}, realFile(t, "update-200-empty.txt"))
	if err := c.Update(ctx(t), crm.Ref{Entity: "serviceProducts", ID: "2112"}, map[string]any{"name": "PRODUCT-TEST-updated"}); err != nil {
		t.Fatalf("update: %v", err)
	}
}

// TestRealErrors: the site's refusals keep its status, code and human
// message; throttling is retryable after osvc-crest-next-request-after.
func TestRealErrors(t *testing.T) {
	problem := http.Header{"Content-Type": {"application/problem+json"}}
	cases := []struct {
		file      string
		status    int
		header    http.Header
		code      crm.Code
		crmCode   string
		message   string
		retryWait time.Duration
	}{
		{"error-unknown-property-400.json", 400, problem, crm.InvalidArgument, "OSC-CREST-00013",
			"Unrecognized resource: Invalid property specified: test", 0},
		{"error-write-failed-400.json", 400, problem, crm.InvalidArgument, "OSC-CREST-00006",
			"An attempt to write a resource failed: ...Invalid ID: No such Contact with ID = 209", 0},
		{"documented-throttled-503.json", 503, http.Header{"Content-Type": {"application/problem+json"}, "Osvc-Crest-Next-Request-After": {"1500"}},
			crm.ResourceExhausted, "OSC-CREST-00035", "Too many requests", 1500 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			c := replay(t, tc.status, tc.header, realFile(t, tc.file))
			_, err := c.Create(ctx(t), "contacts", map[string]any{"name.first": "Jane"})
			e := wantCode(t, err, tc.code)
			if e.IsRefusal() || e.Status != tc.status || e.CRMCode != tc.crmCode || e.Message != tc.message ||
				e.RetryAfter != tc.retryWait || e.Retryable != tc.code.Retryable() {
				t.Fatalf("%+v", e)
			}
		})
	}
}

// TestSandboxCatalogMatchesTheReference: the sandbox's metadata catalog
// list has the documented shape: each item a name and the alternate,
// canonical and describes links with the documented media types.
func TestSandboxCatalogMatchesTheReference(t *testing.T) {
	shape := func(body []byte) map[string]string {
		var list struct {
			Items []struct {
				Name  string `json:"name"`
				Links []struct {
					Rel, Href, MediaType string
				} `json:"links"`
			} `json:"items"`
		}
		if err := json.Unmarshal(body, &list); err != nil || len(list.Items) == 0 {
			t.Fatalf("catalog %s: %v", body, err)
		}
		rels := map[string]string{}
		for _, l := range list.Items[0].Links {
			rels[l.Rel] = l.MediaType
			if !strings.Contains(l.Href, "/services/rest/connect/v1.4/") {
				t.Errorf("link %s outside the API: %s", l.Rel, l.Href)
			}
		}
		return rels
	}
	want := shape(realFile(t, "metadata-catalog-list.json"))
	c, _ := startSandbox(t, nil, osvcsandbox.Options{})
	r, err := c.api.Do(ctx(t), crmhttp.Call{Op: "op", Method: http.MethodGet, Path: "metadata-catalog"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := shape(r.Body); len(got) != len(want) || got["alternate"] != want["alternate"] || got["canonical"] != want["canonical"] {
		t.Fatalf("sandbox catalog links %v, reference %v", got, want)
	}
}
