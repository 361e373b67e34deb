package connections

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmfake"
	"github.com/crmflow/crmflow/shared/tracing"
)

func TestOutcome(t *testing.T) {
	live := context.Background()
	gone, cancel := context.WithCancel(live)
	cancel()
	wrapped := func(c crm.Code) error { return fmt.Errorf("salesforce: create Task: %w", crm.Errorf(c, "x")) }
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		want breaker.Outcome
	}{
		{"ok", live, nil, breaker.Success},
		{"unavailable", live, wrapped(crm.Unavailable), breaker.Failure},
		{"too slow", live, wrapped(crm.DeadlineExceeded), breaker.Failure},
		{"rate limited", live, wrapped(crm.ResourceExhausted), breaker.Failure},
		{"bare deadline", live, context.DeadlineExceeded, breaker.Failure},
		{"refused input", live, wrapped(crm.InvalidArgument), breaker.Success},
		{"not found", live, wrapped(crm.NotFound), breaker.Success},
		{"forbidden", live, wrapped(crm.PermissionDenied), breaker.Success},
		{"bad credentials", live, wrapped(crm.Unauthenticated), breaker.Success},
		{"unreadable answer", live, wrapped(crm.Internal), breaker.Ignore},
		{"caller gone", gone, wrapped(crm.DeadlineExceeded), breaker.Ignore},
		{"not a CRM error", live, errors.New("render"), breaker.Ignore},
	} {
		if got := outcome(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: outcome %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestGuardedFailsFast: an open breaker answers every call with a
// retryable Unavailable that carries the rest of the cool-down and wraps
// the breaker's refusal, without calling the connector.
func TestGuardedFailsFast(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	fake := crmfake.New()
	conn := guard(fake, breaker.Options{Failures: 2, CoolDown: 10 * time.Second, Now: func() time.Time { return now }}, "cfg")
	ctx := context.Background()
	fake.FailNext(crm.Errorf(crm.Unavailable, "down"), crm.Errorf(crm.Unavailable, "down"))
	for range 2 {
		if _, err := conn.Create(ctx, "Case", nil); crm.CodeOf(err) != crm.Unavailable {
			t.Fatalf("Create: %v", err)
		}
	}
	total := func() (n int) {
		for _, m := range []string{"SearchByPhone", "SearchByEmail", "Search", "RelatedOpen", "Get", "Create", "Update", "AddActivity", "WriteRecord", "FindWrite", "Ping", "Sample", "Describe"} {
			n += fake.Calls(m)
		}
		return n
	}
	before := total()
	calls := []func() error{
		func() error { _, err := conn.SearchByPhone(ctx, crm.PhoneSearch{}); return err },
		func() error { _, err := conn.SearchByEmail(ctx, crm.EmailSearch{}); return err },
		func() error { _, err := conn.Search(ctx, crm.Query{}); return err },
		func() error { _, err := conn.RelatedOpen(ctx, crm.Ref{}, 5); return err },
		func() error { _, err := conn.Get(ctx, crm.Ref{}, nil); return err },
		func() error { _, err := conn.Create(ctx, "Case", nil); return err },
		func() error { return conn.Update(ctx, crm.Ref{}, nil) },
		func() error { _, err := conn.AddActivity(ctx, crm.Activity{}); return err },
		func() error { _, err := conn.WriteRecord(ctx, crm.Memorialization{}); return err },
		func() error { _, _, err := conn.FindWrite(ctx, crm.WriteLookup{}); return err },
		func() error { return conn.(crm.Inspector).Ping(ctx) },
		func() error { _, _, err := conn.(crm.Inspector).Sample(ctx, "Case"); return err },
		func() error { _, err := conn.(crm.Inspector).Describe(ctx, "Case"); return err },
	}
	for i, f := range calls {
		err := f()
		ce, ok := crm.AsError(err)
		if !ok || ce.Code != crm.Unavailable || !ce.Retryable || ce.RetryAfter != 10*time.Second || !errors.Is(err, breaker.ErrOpen) {
			t.Errorf("call %d: %v, want a retryable Unavailable with RetryAfter 10s wrapping ErrOpen", i, err)
		}
	}
	if total() != before || before != 2 {
		t.Errorf("the connector was called while the breaker was open")
	}
	if conn.Type() != fake.Type() || conn.Capabilities() != fake.Capabilities() {
		t.Error("Type and Capabilities must pass through")
	}
	if guard(fake, breaker.Options{Failures: -1}, "cfg") != crm.Connector(fake) {
		t.Error("Failures < 0 must leave the connector unguarded")
	}
}

// Every connector operation is a span carrying the CRM type, the operation
// and, when it fails, the portable code.
func TestGuardedCallsAreSpans(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	if err := tracing.Use(exp, "create"); err != nil {
		t.Fatal(err)
	}
	defer tracing.Off()
	fake := crmfake.New()
	conn := guard(fake, breaker.Options{Failures: 5, CoolDown: time.Second}, "cfg")
	ctx, end := tracing.Begin(context.Background(), "POST /v1/workflows/create")
	fake.FailNext(crm.Errorf(crm.InvalidArgument, "Phone must be in E.164 format: 555"))
	if _, err := conn.Create(ctx, "Case", nil); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("Create: %v", err)
	}
	end()
	spans := exp.GetSpans()
	if len(spans) != 2 || spans[0].Name != "crm create" {
		t.Fatalf("spans %+v", spans)
	}
	got := map[string]string{}
	for _, a := range spans[0].Attributes {
		got[string(a.Key)] = a.Value.Emit()
	}
	if got["crm.type"] != string(fake.Type()) || got["crm.operation"] != "create" || got["crm.code"] != string(crm.InvalidArgument) {
		t.Errorf("attributes %v", got)
	}
	if spans[0].Status.Description != string(crm.InvalidArgument) {
		t.Errorf("status %q: the code, never the CRM's words", spans[0].Status.Description)
	}
}
