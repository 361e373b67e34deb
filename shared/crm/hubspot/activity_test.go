package hubspot

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func TestCallProperties(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		name string
		a    crm.Activity
		want map[string]string
	}{
		{"outbound with outcome", crm.Activity{Key: "k1", Direction: "outbound", Phone: "+14155550100", Start: start,
			End: start.Add(90 * time.Second), Disposition: "No Answer", MediaType: "voice"},
			map[string]string{"crmflow_key": "k1", "hs_call_title": "Outbound call", "hs_call_status": "COMPLETED",
				"hs_timestamp": "2026-11-23T08:00:00.000Z", "hs_call_direction": "OUTBOUND", "hs_call_to_number": "+14155550100",
				"hs_call_duration": "90000", "hs_call_disposition": "73a0d17f-1163-4015-bdd5-ec830791da20", "hs_call_body": "Channel: voice"}},
		{"outcome id and notes as HTML", crm.Activity{Key: "k2", Subject: "Billing", Description: "Said <b>hi</b> & left\r\nTwo lines",
			Disposition: "F240BBAC-87C9-4F6E-BF70-924B57D47DB7", End: start, RecordingURL: "https://rec.example/1.wav", AgentName: "Ann"},
			map[string]string{"crmflow_key": "k2", "hs_call_title": "Billing", "hs_call_status": "COMPLETED",
				"hs_timestamp": "2026-11-23T08:00:00.000Z", "hs_call_disposition": "f240bbac-87c9-4f6e-bf70-924b57d47db7",
				"hs_call_recording_url": "https://rec.example/1.wav",
				"hs_call_body":          "Said &lt;b&gt;hi&lt;/b&gt; &amp; left<br>Two lines<br>Agent: Ann"}},
		{"chat without times", crm.Activity{Key: "k3", Direction: "inbound", MediaType: "chat", Disposition: "Resolved",
			RecordingURL: "http://insecure.example/x", ContactID: "500"},
			map[string]string{"crmflow_key": "k3", "hs_call_title": "Inbound chat", "hs_call_status": "COMPLETED",
				"hs_timestamp": "2026-11-23T10:05:00.000Z", "hs_call_direction": "INBOUND",
				"hs_call_body": "Disposition: Resolved<br>Channel: chat<br>Contact ID: 500"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := callProperties(tc.a, testNow)
			for _, k := range sortedKeys(got) {
				if got[k] != tc.want[k] {
					t.Errorf("%s = %q, want %q", k, got[k], tc.want[k])
				}
			}
			for k := range tc.want {
				if _, ok := got[k]; !ok {
					t.Errorf("%s missing", k)
				}
			}
		})
	}
}

func TestAddActivityAssociatesLinks(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	jane := sb.IDs("contacts")[0]
	acme := sb.IDs("companies")[0]
	ticket := sb.Associations("contacts", jane, "tickets")[0]
	device := sb.IDs("2-9001")[0]
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-77", Direction: "inbound", Phone: crmtest.JaneANI,
		Links: []crm.Ref{{Entity: "contacts", ID: jane}, {Entity: "0-1", ID: jane}, {Entity: "companies", ID: acme},
			{Entity: "tickets", ID: ticket}, {Entity: "2-9001", ID: device}}})
	if err != nil {
		t.Fatal(err)
	}
	call := res.Records[0]
	if call.Entity != "calls" {
		t.Fatalf("%+v", res)
	}
	for typ, want := range map[string]string{"contacts": jane, "companies": acme, "tickets": ticket, "2-9001": device} {
		if got := sb.Associations("calls", call.ID, typ); !slices.Equal(got, []string{want}) {
			t.Errorf("call → %s: %v, want %s", typ, got, want)
		}
	}
	// One create with inline associations, one default association for the custom object.
	if sb.Calls("POST /crm/v3/objects/calls") != 1 || sb.CallsPrefix("PUT /crm/v4/objects/calls/"+call.ID+"/associations/default/2-9001/") != 1 {
		t.Fatal("unexpected requests")
	}
	props, _ := sb.Object("calls", call.ID)
	if props[keyProperty] != "job-77" || props["hs_call_from_number"] != crmtest.JaneANI {
		t.Fatalf("stored %v", props)
	}
}

func TestAddActivityRefusesBadInput(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	for name, a := range map[string]crm.Activity{
		"no key":       {},
		"long key":     {Key: strings.Repeat("k", 256)},
		"bad link id":  {Key: "k", Links: []crm.Ref{{Entity: "contacts", ID: "1 OR 1=1"}}},
		"bad link obj": {Key: "k", Links: []crm.Ref{{Entity: "People", ID: "1"}}},
	} {
		_, err := c.AddActivity(ctx(t), a)
		if crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%s: %v", name, err)
		}
	}
	if sb.TotalCalls() != 0 {
		t.Fatalf("%d requests for refused input", sb.TotalCalls())
	}
	// A link to a record HubSpot does not have is its VALIDATION_ERROR.
	_, err := c.AddActivity(ctx(t), crm.Activity{Key: "k", Links: []crm.Ref{{Entity: "contacts", ID: "123"}}})
	wantCode(t, err, crm.InvalidArgument)
	if sb.Count("calls") != 1 {
		t.Fatal("a call was written with a broken association")
	}
}
