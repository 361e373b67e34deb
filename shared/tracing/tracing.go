// Package tracing is crmflow's OpenTelemetry spans: one span per Lambda
// invocation, parented on the X-Ray segment Lambda's active tracing opened,
// a span per connector operation (CRM type, operation, portable error code),
// otelhttp spans for every HTTP exchange with a CRM, and otelaws spans for
// every AWS SDK call.
//
// Spans leave the process only when an OTLP endpoint is configured
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, the
// standard OpenTelemetry variables): in AWS the stack sets it to the ADOT
// collector layer on localhost:4318 when the adotLayerArn context is given,
// and the collector sends them to X-Ray. Locally nothing sets it, so
// tracing is off: every function here is then a cheap no-op.
//
// What a span holds is chosen like a log line: CRM type, operation, HTTP
// method, host, path and status, the portable error code — never a query
// string (it carries the searched phone numbers and emails), a body, a
// header or a credential.
package tracing

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"go.opentelemetry.io/contrib/instrumentation/github.com/aws/aws-sdk-go-v2/otelaws"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkresource "go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Span attribute keys of crmflow's own spans.
const (
	AttrCRMType = attribute.Key("crm.type")
	AttrCRMOp   = attribute.Key("crm.operation")
	AttrCRMCode = attribute.Key("crm.code")
)

// flushTimeout bounds the export at the end of an invocation (the
// collector is on localhost; Lambda freezes the process right after).
const flushTimeout = 2 * time.Second

type state struct {
	provider *sdktrace.TracerProvider // nil: tracing off
	tracer   trace.Tracer
}

var current atomic.Pointer[state]

func init() { current.Store(&state{tracer: noop.NewTracerProvider().Tracer("crmflow")}) }

// Enabled reports whether the environment asks for spans to be exported.
func Enabled() bool {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Configure turns tracing on for a function when Enabled, exporting with
// OTLP over HTTP (JSON) to the configured endpoint. It is the cold start's; without
// it (or when not Enabled) every span is a no-op.
func Configure(_ context.Context, function string) error {
	if !Enabled() {
		return nil
	}
	exp, err := newExporter()
	if err != nil {
		return err
	}
	return Use(exp, function)
}

// Use turns tracing on with exporter e (Configure's, or a test's in-memory
// one), spans sent in batches and flushed at the end of each invocation.
func Use(e sdktrace.SpanExporter, function string) error {
	res, err := sdkresource.Merge(sdkresource.Default(), sdkresource.NewSchemaless(
		semconv.ServiceName("crmflow-"+function),
		semconv.FaaSName(os.Getenv("AWS_LAMBDA_FUNCTION_NAME")),
		semconv.CloudProviderAWS,
	))
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(e), sdktrace.WithResource(res))
	current.Store(&state{provider: tp, tracer: tp.Tracer("github.com/crmflow/crmflow")})
	return nil
}

// Off turns tracing off again (tests).
func Off() {
	if old := current.Swap(&state{tracer: noop.NewTracerProvider().Tracer("crmflow")}); old.provider != nil {
		_ = old.provider.Shutdown(context.Background())
	}
}

func on() (*state, bool) {
	s := current.Load()
	return s, s.provider != nil
}

// Begin starts the span of one Lambda invocation named name, child of the
// X-Ray segment in the invocation's trace header; the returned end ends it
// and flushes every span of the invocation to the collector.
func Begin(ctx context.Context, name string) (context.Context, func()) {
	s, ok := on()
	if !ok {
		return ctx, func() {}
	}
	if parent, ok := xrayParent(ctx); ok {
		ctx = trace.ContextWithRemoteSpanContext(ctx, parent)
	}
	ctx, span := s.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer))
	return ctx, func() {
		span.End()
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
		defer cancel()
		_ = s.provider.ForceFlush(fctx)
	}
}

// CRMCall starts the span of one connector operation; end records its
// outcome: the portable code of err (its crm.Error code, "" on success).
func CRMCall(ctx context.Context, crmType, op string) (context.Context, func(code string, err error)) {
	s, ok := on()
	if !ok {
		return ctx, func(string, error) {}
	}
	ctx, span := s.tracer.Start(ctx, "crm "+op, trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(AttrCRMType.String(crmType), AttrCRMOp.String(op)))
	return ctx, func(code string, err error) {
		if err != nil {
			span.SetAttributes(AttrCRMCode.String(code))
			// The code, not the error text: a CRM's message can quote values.
			span.SetStatus(codes.Error, code)
		}
		span.End()
	}
}

// Transport wraps a CRM client's transport with otelhttp spans, the query
// string kept out of them, and no trace headers sent to the CRM. Off, it
// returns rt as it is.
func Transport(rt http.RoundTripper) http.RoundTripper {
	s, ok := on()
	if !ok {
		return rt
	}
	if rt == nil {
		rt = http.DefaultTransport
	}
	inner := otelhttp.NewTransport(restoreQuery{rt},
		otelhttp.WithTracerProvider(s.provider),
		otelhttp.WithPropagators(propagation.NewCompositeTextMapPropagator()),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return "CRM HTTP " + r.Method }),
	)
	return stripQuery{inner}
}

type queryKey struct{}

// stripQuery hands otelhttp a copy of the request without its query string
// (so no span records it); restoreQuery puts it back before the request
// leaves.
type stripQuery struct{ next http.RoundTripper }

func (t stripQuery) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.RawQuery == "" {
		return t.next.RoundTrip(r)
	}
	u := *r.URL
	u.RawQuery = ""
	c := r.Clone(context.WithValue(r.Context(), queryKey{}, r.URL.RawQuery))
	c.URL = &u
	return t.next.RoundTrip(c)
}

type restoreQuery struct{ next http.RoundTripper }

func (t restoreQuery) RoundTrip(r *http.Request) (*http.Response, error) {
	q, _ := r.Context().Value(queryKey{}).(string)
	if q == "" {
		return t.next.RoundTrip(r)
	}
	u := *r.URL
	u.RawQuery = q
	c := r.Clone(r.Context())
	c.URL = &u
	return t.next.RoundTrip(c)
}

// AWS adds otelaws spans to every client made from cfg. Off, it does nothing.
func AWS(cfg *aws.Config) {
	s, ok := on()
	if !ok {
		return
	}
	otelaws.AppendMiddlewares(&cfg.APIOptions, otelaws.WithTracerProvider(s.provider),
		otelaws.WithTextMapPropagator(propagation.NewCompositeTextMapPropagator()))
}

// errNoHeader: the invocation carries no X-Ray trace header.
var errNoHeader = errors.New("no trace header")

// xrayParent reads the X-Ray trace header of the invocation (the Lambda
// runtime puts it in the context and in _X_AMZN_TRACE_ID):
// "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1".
// X-Ray trace ids are W3C trace ids written as 1-{8 hex}-{24 hex}.
func xrayParent(ctx context.Context) (trace.SpanContext, bool) {
	h, _ := ctx.Value("x-amzn-trace-id").(string)
	if h == "" {
		h = os.Getenv("_X_AMZN_TRACE_ID")
	}
	sc, err := parseXRay(h)
	return sc, err == nil
}

func parseXRay(h string) (trace.SpanContext, error) {
	if h == "" {
		return trace.SpanContext{}, errNoHeader
	}
	var cfg trace.SpanContextConfig
	for part := range strings.SplitSeq(h, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Root":
			p := strings.Split(v, "-")
			if len(p) != 3 || p[0] != "1" || len(p[1]) != 8 || len(p[2]) != 24 {
				return trace.SpanContext{}, errors.New("bad Root")
			}
			id, err := trace.TraceIDFromHex(p[1] + p[2])
			if err != nil {
				return trace.SpanContext{}, err
			}
			cfg.TraceID = id
		case "Parent":
			id, err := trace.SpanIDFromHex(v)
			if err != nil {
				return trace.SpanContext{}, err
			}
			cfg.SpanID = id
		case "Sampled":
			if v == "1" {
				cfg.TraceFlags = trace.FlagsSampled
			}
		}
	}
	cfg.Remote = true
	sc := trace.NewSpanContext(cfg)
	if !sc.IsValid() {
		return trace.SpanContext{}, errors.New("trace header without Root or Parent")
	}
	return sc, nil
}
