package hubspot

import (
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

// TestSetUpWriteKeys: a new account has no key property, so writes fail
// until the configuration test makes it on calls and the mappings'
// objects; a second run makes nothing.
func TestSetUpWriteKeys(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{Empty: true})
	_, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-1", Direction: "inbound"})
	if e := wantCode(t, err, crm.InvalidArgument); !strings.Contains(e.Message, "PROPERTY_DOESNT_EXIST") {
		t.Fatalf("%+v", e)
	}
	made, err := c.SetUpWriteKeys(ctx(t), []string{"ticket", "tickets", "2-9001", "p_devices"})
	// p_devices is 2-9001 by its name: made already when its turn comes.
	want := []string{"calls.crmflow_key", "tickets.crmflow_key", "2-9001.crmflow_key"}
	if err != nil || !slices.Equal(made, want) {
		t.Fatalf("made %v, %v", made, err)
	}
	for _, obj := range []string{"calls", "tickets", "2-9001"} {
		code, body := sbGet(t, c, "/crm/v3/properties/"+obj+"/crmflow_key")
		if code != 200 || body["hasUniqueValue"] != true || body["type"] != "string" || body["groupName"] == "" {
			t.Fatalf("%s: %d %v", obj, code, body)
		}
	}
	sb.ResetCalls()
	made, err = c.SetUpWriteKeys(ctx(t), []string{"tickets"})
	if err != nil || len(made) != 0 {
		t.Fatalf("second run made %v, %v", made, err)
	}
	if sb.CallsPrefix("POST ") != 0 {
		t.Fatal("a second run wrote")
	}
	if _, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-1", Direction: "inbound"}); err != nil {
		t.Fatal(err)
	}
	// Objects without unique properties are refused before any call.
	sb.ResetCalls()
	_, err = c.SetUpWriteKeys(ctx(t), []string{"tickets", "notes"})
	if e := wantCode(t, err, crm.InvalidArgument); e.Field != "entities[1]" || sb.TotalCalls() != 0 {
		t.Fatalf("%+v, %d calls", e, sb.TotalCalls())
	}
}

// TestSetUpWriteKeysRefusesPlainProperty: a crmflow_key without unique
// values cannot hold the key, and HubSpot cannot make it unique later.
func TestSetUpWriteKeysRefusesPlainProperty(t *testing.T) {
	c, _ := startSandbox(t, nil, hssandbox.Options{Empty: true})
	if _, err := c.api.Do(ctx(t), crmhttp.Call{Op: "test", Method: "POST", Path: "/crm/v3/properties/calls",
		Body: map[string]any{"name": keyProperty, "label": "k", "type": "string", "fieldType": "text", "groupName": "callinformation"}}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.SetUpWriteKeys(ctx(t), nil)
	if e := wantCode(t, err, crm.InvalidArgument); !strings.Contains(e.Message, "without unique values") {
		t.Fatalf("%+v", e)
	}
}

// TestCreateWithLostAnswer: a create whose answer was lost is refused as a
// duplicate when sent again; the driver then answers with the record the
// first attempt made, so a job writes once.
func TestCreateWithLostAnswer(t *testing.T) {
	c, sb := startSandbox(t, nil, hssandbox.Options{})
	first, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-lost", Direction: "inbound"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-lost", Direction: "inbound"})
	if err != nil || !slices.Equal(again.Records, first.Records) {
		t.Fatalf("%+v, %v", again, err)
	}
	n := 0
	for _, id := range sb.IDs("calls") {
		if p, _ := sb.Object("calls", id); p[keyProperty] == "job-lost" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d calls carry the key", n)
	}
	// Another refusal stays the caller's error.
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-t", Entity: "tickets", Fields: map[string]any{"subject": "No stage"}})
	wantCode(t, err, crm.InvalidArgument)
}

// sbGet reads a JSON answer through the connector's API client.
func sbGet(t *testing.T, c *connector, path string) (int, map[string]any) {
	t.Helper()
	var out map[string]any
	r, err := c.api.Do(ctx(t), crmhttp.Call{Op: "test", Method: "GET", Path: path}, &out)
	if err != nil {
		t.Fatal(err)
	}
	return r.Status, out
}
