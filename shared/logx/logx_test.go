package logx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestContextAttrsOnEveryLine(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, "search")
	ctx := With(context.Background(), "requestId", "r1", "tenantId", "t1", "empty", "")
	ctx = With(ctx, "contactId", "c1")
	l.InfoContext(ctx, "hello")
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"requestId": "r1", "tenantId": "t1", "contactId": "c1", "function": "search", "msg": "hello"} {
		if m[k] != v {
			t.Errorf("%s = %v, want %s", k, m[k], v)
		}
	}
	if _, ok := m["empty"]; ok {
		t.Error("empty attribute logged")
	}
}

func TestScopeCarriesLaterIDsUp(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "search")
	outer := With(Scope(context.Background()), "requestId", "r1")
	inner := With(outer, "contactId", "5001234")
	log.InfoContext(inner, "inner")
	log.InfoContext(outer, "request")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatal(buf.String())
	}
	for _, l := range lines {
		if !strings.Contains(l, `"requestId":"r1"`) || strings.Count(l, `"contactId":"5001234"`) != 1 {
			t.Errorf("line lacks ids: %s", l)
		}
	}
}

func TestLambdaLogLevel(t *testing.T) {
	for _, tc := range []struct{ lambda, plain, want string }{
		{"DEBUG", "", "debug"}, {"TRACE", "error", "debug"}, {"WARN", "debug", "warn"}, {"FATAL", "", "error"},
		{"", "warn", "warn"}, {"", "", "info"}, {"nonsense", "", "info"},
	} {
		t.Setenv("AWS_LAMBDA_LOG_LEVEL", tc.lambda)
		t.Setenv("LOG_LEVEL", tc.plain)
		var buf bytes.Buffer
		l := New(&buf, "f")
		ctx := context.Background()
		l.DebugContext(ctx, "debug")
		l.InfoContext(ctx, "info")
		l.WarnContext(ctx, "warn")
		l.ErrorContext(ctx, "error")
		first := strings.SplitN(buf.String(), "\n", 2)[0]
		if !strings.Contains(first, `"msg":"`+tc.want+`"`) {
			t.Errorf("AWS_LAMBDA_LOG_LEVEL=%q LOG_LEVEL=%q: first line %s, want level %s", tc.lambda, tc.plain, first, tc.want)
		}
	}
}

func TestInvocationIDs(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "crmflow-dev-search")
	coldStart.Store(true)
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "8f5e…req"})
	ctx = context.WithValue(ctx, "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
	var buf bytes.Buffer
	l := New(&buf, "search")
	l.InfoContext(Invocation(ctx), "first")
	l.InfoContext(Invocation(ctx), "second")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var first, second map[string]any
	_ = json.Unmarshal([]byte(lines[0]), &first)
	_ = json.Unmarshal([]byte(lines[1]), &second)
	if first["awsRequestId"] != "8f5e…req" || first["traceId"] != "1-5759e988-bd862e3fe1be46a994272793" || first["coldStart"] != true {
		t.Errorf("first invocation line: %v", first)
	}
	if _, ok := second["coldStart"]; ok || second["awsRequestId"] != "8f5e…req" {
		t.Errorf("second invocation line: %v", second)
	}
}

// A CRM error logged as a value, wrapped or not, logs its operation and
// codes, never the CRM's message.
func TestErrorsLoggedAsValuesAreRedacted(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "test")
	ce := &crm.Error{Code: crm.InvalidArgument, Status: 400, CRMCode: "FIELD_INVALID", Op: "salesforce: create Contact",
		Message: "Jane Doe's phone 4155550100 is invalid"}
	log.Info("write failed", "error", fmt.Errorf("job: %w", ce), "bare", ce, "plain", errors.New("store: throttled"))
	out := buf.String()
	if strings.Contains(out, "Jane Doe") || strings.Contains(out, "4155550100") {
		t.Fatalf("CRM message logged: %s", out)
	}
	for _, want := range []string{`salesforce: create Contact: INVALID_ARGUMENT (status 400, crm code \"FIELD_INVALID\")`, `"plain":"store: throttled"`, `"crmCode":"FIELD_INVALID"`} {
		if !strings.Contains(out, want) {
			t.Errorf("%s missing: %s", want, out)
		}
	}
}
