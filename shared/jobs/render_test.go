package jobs

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/cxone"
	"github.com/crmflow/crmflow/shared/store"
)

func TestRender(t *testing.T) {
	start := time.Date(2026, 1, 15, 23, 30, 0, 0, time.FixedZone("PST", -8*3600))
	secs := 125
	c := cxone.Contact{AgentName: "Sam", StartTime: &start, CallDurationInSeconds: &secs, Tags: []string{"vip", "billing"},
		DispositionNotes: strings.Repeat("é", 2100), ScriptVariables: map[string]string{"orderId": "A-17"}}
	cases := []struct {
		crm    crm.Type
		entity string
		fields []store.FieldMapping
		want   map[string]any
	}{
		{crm.Salesforce, "Task", []store.FieldMapping{
			{Source: "cxoneContact.startTime", Target: "ActivityDate"},
			{Source: "startTime", Target: "Custom_Start__c"},
			{Source: "callDurationInSeconds", Target: "CallDurationInSeconds"},
			{Source: "tags", Target: "Tags__c"},
			{Source: "scriptVariables.orderId", Target: "Order__c"},
			{Source: "agentName", Target: "Subject", Template: "{{agentName}} / {{scriptVariables.orderId}}"},
			{Source: "dnis", Target: "Dnis__c"},
		}, map[string]any{"ActivityDate": "2026-01-16", "Custom_Start__c": "2026-01-16T07:30:00Z", "CallDurationInSeconds": 125,
			"Tags__c": "vip, billing", "Order__c": "A-17", "Subject": "Sam / A-17"}},
		{crm.Dynamics, "phonecall", []store.FieldMapping{
			{Source: "callDurationInSeconds", Target: "actualdurationminutes"},
			{Source: "dispositionNotes", Target: "description"},
		}, map[string]any{"actualdurationminutes": 3, "description": strings.Repeat("é", 2000)}},
		{crm.HubSpot, "calls", []store.FieldMapping{{Source: "callDurationInSeconds", Target: "hs_call_duration"}},
			map[string]any{"hs_call_duration": 125000}},
		{crm.Zendesk, "ticket", []store.FieldMapping{{Source: "callDurationInSeconds", Target: "custom_fields.duration"}},
			map[string]any{"custom_fields.duration": 125}},
	}
	for _, tc := range cases {
		got, err := Render(driverOf(t, tc.crm), store.DataMapping{ID: "dm", Entity: tc.entity, Fields: tc.fields}, c)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.crm, tc.entity, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: Render = %v, want %v", tc.crm, tc.entity, got, tc.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	for _, f := range []store.FieldMapping{
		{Source: "cxoneContact.shoeSize", Target: "Subject"},
		{Source: "agentName", Target: "Subject", Template: "{{nope}}"},
		{Source: "agentName", Target: "Sub ject"},
	} {
		_, err := Render(driverOf(t, crm.Salesforce), store.DataMapping{ID: "dm-9", Entity: "Task", Fields: []store.FieldMapping{f}}, cxone.Contact{})
		var re *RenderError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "data mapping dm-9") {
			t.Errorf("%+v: err = %v, want a RenderError naming the mapping", f, err)
		}
	}
}

func TestBackoff(t *testing.T) {
	s := New(Options{Jitter: func(d time.Duration) time.Duration { return d }}) // the top of each range
	for _, c := range []struct {
		receives int
		err      error
		want     time.Duration
	}{
		{1, nil, 2 * time.Second},
		{3, nil, 8 * time.Second},
		{20, nil, DefaultMaxBackoff},
		{1, &crm.Error{Code: crm.ResourceExhausted, Retryable: true, RetryAfter: 42 * time.Second}, 84 * time.Second},
		{1, &crm.Error{Code: crm.ResourceExhausted, Retryable: true, RetryAfter: time.Hour}, maxRetryAfter + DefaultMaxBackoff},
	} {
		if got := s.backoff(c.receives, c.err); got != c.want {
			t.Errorf("backoff(%d, %v) = %s, want %s", c.receives, c.err, got, c.want)
		}
	}
}

// TestBackoffJitter: with the default jitter, waits fall anywhere in their
// range, so jobs that failed at once come back spread out.
func TestBackoffJitter(t *testing.T) {
	s := New(Options{})
	held := &crm.Error{Code: crm.Unavailable, Retryable: true, RetryAfter: 30 * time.Second}
	seen, seenHeld := map[time.Duration]bool{}, map[time.Duration]bool{}
	for range 200 {
		d := s.backoff(3, nil)
		if d < 0 || d > 8*time.Second {
			t.Fatalf("backoff(3) = %s, want within [0, 8s]", d)
		}
		seen[d] = true
		h := s.backoff(1, held)
		if h < 30*time.Second || h > 60*time.Second {
			t.Fatalf("held backoff %s, want within [30s, 60s]", h)
		}
		seenHeld[h] = true
	}
	if len(seen) < 100 || len(seenHeld) < 100 {
		t.Fatalf("only %d and %d distinct waits in 200: not jittered", len(seen), len(seenHeld))
	}
}

func TestJobID(t *testing.T) {
	a := JobID("tn_1", "conf", "c1", store.ActionTimeline, "wf")
	if a != JobID("tn_1", "conf", "c1", store.ActionTimeline, "wf") || len(a) != 30 || !strings.HasPrefix(a, "job_") {
		t.Fatalf("JobID = %q", a)
	}
	for _, b := range []string{
		JobID("tn_2", "conf", "c1", store.ActionTimeline, "wf"),
		JobID("tn_1", "conf", "c2", store.ActionTimeline, "wf"),
		JobID("tn_1", "conf", "c1", store.ActionDataMemorialization, "wf"),
		JobID("tn_1", "conf", "c1", store.ActionTimeline, "wf2"),
		JobID("tn_1", "con", "fc1", store.ActionTimeline, "wf"),
	} {
		if b == a {
			t.Errorf("JobID collision %s", b)
		}
	}
}

func TestPermanent(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&crm.Error{Code: crm.InvalidArgument}, true},
		{&crm.Error{Code: crm.NotFound}, true},
		{&crm.Error{Code: crm.PermissionDenied}, true},
		{&crm.Error{Code: crm.Unauthenticated}, false},
		{&crm.Error{Code: crm.Unavailable, Retryable: true}, false},
		{&crm.Error{Code: crm.DeadlineExceeded, Retryable: true}, false},
		{&RenderError{}, true},
		{errors.New("dynamodb: timeout"), false},
	} {
		if got := permanent(c.err); got != c.want {
			t.Errorf("permanent(%v) = %v", c.err, got)
		}
	}
}

func driverOf(t *testing.T, typ crm.Type) crm.Driver {
	t.Helper()
	d, ok := drivers.Registry().Driver(typ)
	if !ok {
		t.Fatalf("no %s driver", typ)
	}
	return d
}
