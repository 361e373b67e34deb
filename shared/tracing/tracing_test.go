package tracing

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func record(t *testing.T) *tracetest.InMemoryExporter {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	if err := Use(exp, "search"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(Off)
	return exp
}

func attrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, a := range s.Attributes {
		m[a.Key] = a.Value
	}
	return m
}

func TestOffByDefault(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	if Enabled() {
		t.Fatal("enabled without an endpoint")
	}
	if err := Configure(t.Context(), "search"); err != nil {
		t.Fatal(err)
	}
	rt := http.DefaultTransport
	if Transport(rt) != rt {
		t.Fatal("the CRM transport is wrapped while tracing is off")
	}
	ctx, end := Begin(t.Context(), "GET /x")
	end()
	if trace.SpanContextFromContext(ctx).IsValid() {
		t.Fatal("a span while tracing is off")
	}
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318")
	if !Enabled() {
		t.Fatal("an endpoint does not turn it on")
	}
	t.Setenv("OTEL_SDK_DISABLED", "true")
	if Enabled() {
		t.Fatal("OTEL_SDK_DISABLED is not honoured")
	}
}

// The invocation's span continues the X-Ray trace Lambda started, and the
// end of the invocation exports everything.
func TestInvocationSpanJoinsTheXRayTrace(t *testing.T) {
	exp := record(t)
	header := "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	ctx := context.WithValue(t.Context(), "x-amzn-trace-id", header) //nolint:staticcheck // the Lambda runtime's key
	ctx, end := Begin(ctx, "POST /v1/workflows/search")
	_, endCRM := CRMCall(ctx, "salesforce", "search by phone")
	endCRM("", nil)
	end() // flushes
	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans exported at the end of the invocation", len(spans))
	}
	inv := spans[1]
	if inv.Name != "POST /v1/workflows/search" || inv.SpanKind != trace.SpanKindServer {
		t.Fatalf("invocation span %q %v", inv.Name, inv.SpanKind)
	}
	if got := inv.SpanContext.TraceID().String(); got != "5759e988bd862e3fe1be46a994272793" {
		t.Errorf("trace id %s, want the X-Ray root's", got)
	}
	if got := inv.Parent.SpanID().String(); got != "53995c3f42cd8ad8" || !inv.Parent.IsRemote() {
		t.Errorf("parent %s, want the Lambda segment 53995c3f42cd8ad8", got)
	}
	if spans[0].Parent.SpanID() != inv.SpanContext.SpanID() {
		t.Error("the CRM span is not the invocation's child")
	}
}

func TestParseXRayHeader(t *testing.T) {
	for _, bad := range []string{"", "Root=1-abc", "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
		"Root=1-5759e988-bd862e3fe1be46a994272793", "Parent=53995c3f42cd8ad8", "Root=1-5759e988-bd862e3fe1be46a99427279z;Parent=53995c3f42cd8ad8"} {
		if _, err := parseXRay(bad); err == nil {
			t.Errorf("parseXRay(%q) accepted", bad)
		}
	}
	sc, err := parseXRay("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")
	if err != nil || sc.IsSampled() {
		t.Fatalf("Sampled=0: %v %v", sc, err)
	}
}

func TestCRMCallCarriesTypeOperationAndCode(t *testing.T) {
	exp := record(t)
	ctx, end := Begin(t.Context(), "POST /v1/workflows/create")
	_, endCRM := CRMCall(ctx, "zendesk", "create")
	endCRM("INVALID_ARGUMENT", context.DeadlineExceeded)
	end()
	s := exp.GetSpans()[0]
	a := attrs(s)
	if a[AttrCRMType].AsString() != "zendesk" || a[AttrCRMOp].AsString() != "create" || a[AttrCRMCode].AsString() != "INVALID_ARGUMENT" {
		t.Errorf("attributes %v", a)
	}
	if s.Status.Code != codes.Error || s.Status.Description != "INVALID_ARGUMENT" {
		t.Errorf("status %+v: want the portable code, never the error's text", s.Status)
	}
}

// An HTTP exchange with a CRM becomes an otelhttp span without its query
// string (it carries the searched values), and the CRM gets the request
// whole, with no trace header.
func TestCRMTransportKeepsValuesOutOfSpans(t *testing.T) {
	exp := record(t)
	var gotQuery, gotTraceparent string
	crmSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery, gotTraceparent = r.URL.RawQuery, r.Header.Get("traceparent")+r.Header.Get("X-Amzn-Trace-Id")
		w.WriteHeader(404)
	}))
	defer crmSrv.Close()
	hc := &http.Client{Transport: Transport(http.DefaultTransport)}
	ctx, end := Begin(t.Context(), "POST /v1/workflows/search")
	req, _ := http.NewRequestWithContext(ctx, "GET", crmSrv.URL+"/services/data/v62.0/query?q=SELECT+Id+FROM+Contact+WHERE+Phone='4155550100'", nil)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	end()
	if !strings.Contains(gotQuery, "4155550100") {
		t.Fatalf("the CRM got query %q", gotQuery)
	}
	if gotTraceparent != "" {
		t.Errorf("trace headers sent to the CRM: %q", gotTraceparent)
	}
	spans := exp.GetSpans()
	if len(spans) != 2 || spans[0].Name != "CRM HTTP GET" || spans[0].SpanKind != trace.SpanKindClient {
		t.Fatalf("spans %+v", spans)
	}
	for _, s := range spans {
		for _, kv := range s.Attributes {
			if strings.Contains(kv.Value.Emit(), "4155550100") || strings.Contains(kv.Value.Emit(), "SELECT") {
				t.Errorf("span %s holds the query: %s=%s", s.Name, kv.Key, kv.Value.Emit())
			}
		}
	}
	if a := attrs(spans[0]); a["http.response.status_code"].AsInt64() != 404 {
		t.Errorf("client span attributes %v", a)
	}
}

func TestAWSCallsBecomeSpans(t *testing.T) {
	exp := record(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	AWS(&cfg)
	ctx, end := Begin(t.Context(), "GET /v1/jobs/{jobId}")
	_, err := dynamodb.NewFromConfig(cfg).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("t"),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "T#1"}}})
	if err != nil {
		t.Fatal(err)
	}
	end()
	spans := exp.GetSpans()
	if len(spans) < 2 || !strings.HasPrefix(spans[0].Name, "DynamoDB") {
		names := []string{}
		for _, s := range spans {
			names = append(names, s.Name)
		}
		t.Fatalf("spans %v, want a DynamoDB span", names)
	}
}

// Configure with the standard endpoint variable exports an invocation's
// spans in OTLP JSON to {endpoint}/v1/traces when the invocation ends.
func TestExportsOTLPJSON(t *testing.T) {
	got := make(chan otlpRequest, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req otlpRequest
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&req) != nil {
			t.Errorf("export %s %s", r.URL.Path, r.Header.Get("Content-Type"))
		}
		got <- req
	}))
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL+"/")
	if err := Configure(t.Context(), "search"); err != nil {
		t.Fatal(err)
	}
	defer Off()
	ctx := context.WithValue(t.Context(), "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1") //nolint:staticcheck
	ctx, end := Begin(ctx, "POST /v1/workflows/search")
	_, endCRM := CRMCall(ctx, "hubspot", "search by phone")
	endCRM("UNAVAILABLE", context.DeadlineExceeded)
	end()
	var req otlpRequest
	select {
	case req = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("nothing exported at the end of the invocation")
	}
	if len(req.ResourceSpans) != 1 || len(req.ResourceSpans[0].ScopeSpans) != 1 {
		t.Fatalf("request %+v", req)
	}
	res := map[string]string{}
	for _, kv := range req.ResourceSpans[0].Resource.Attributes {
		if kv.Value.StringValue != nil {
			res[kv.Key] = *kv.Value.StringValue
		}
	}
	if res["service.name"] != "crmflow-search" || res["cloud.provider"] != "aws" {
		t.Errorf("resource %v", res)
	}
	spans := req.ResourceSpans[0].ScopeSpans[0].Spans
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	crmSpan, inv := spans[0], spans[1]
	if inv.TraceID != "5759e988bd862e3fe1be46a994272793" || inv.ParentSpanID != "53995c3f42cd8ad8" || inv.Kind != 2 {
		t.Errorf("invocation span %+v", inv)
	}
	if crmSpan.ParentSpanID != inv.SpanID || crmSpan.Kind != 1 || crmSpan.Status.Code != 2 || crmSpan.Status.Message != "UNAVAILABLE" {
		t.Errorf("CRM span %+v", crmSpan)
	}
	if s, e := crmSpan.StartTimeUnixNano, crmSpan.EndTimeUnixNano; s == "" || e < s || len(s) < 18 {
		t.Errorf("times %q %q", s, e)
	}
}

func TestExporterEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	if e, err := newExporter(); err != nil || e.url != "http://localhost:4318/v1/traces" {
		t.Fatalf("%+v %v", e, err)
	}
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom")
	if e, err := newExporter(); err != nil || e.url != "http://collector:4318/custom" {
		t.Fatalf("%+v %v", e, err)
	}
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "localhost:4317")
	if _, err := newExporter(); err == nil {
		t.Fatal("a gRPC host:port taken for an HTTP endpoint")
	}
}
