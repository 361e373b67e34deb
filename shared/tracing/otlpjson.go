package tracing

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// exporter sends spans to an OTLP/HTTP receiver in OTLP's JSON encoding
// (POST {endpoint}/v1/traces, Content-Type application/json), which every
// OpenTelemetry collector's OTLP receiver takes, the ADOT Lambda layer's
// included. It stands in for the SDK's otlptracehttp exporter, whose
// protobuf and gRPC dependencies would double every function's binary
// (11 MB to 21 MB for search) for the same spans.
type exporter struct {
	url string
	hc  *http.Client
}

// newExporter reads the standard variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
// (the full URL), else OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces".
func newExporter() (*exporter, error) {
	u := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if u == "" {
		base := strings.TrimRight(os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"), "/")
		if base == "" {
			return nil, fmt.Errorf("no OTLP endpoint")
		}
		u = base + "/v1/traces"
	}
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return nil, fmt.Errorf("OTLP endpoint %q: want an http(s) URL", u)
	}
	return &exporter{url: u, hc: &http.Client{Timeout: flushTimeout}}, nil
}

// ExportSpans posts one batch.
func (e *exporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if len(spans) == 0 {
		return nil
	}
	body, err := json.Marshal(encode(spans))
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("OTLP receiver answered %d", resp.StatusCode)
	}
	return nil
}

// Shutdown has nothing to release: each export is one request.
func (e *exporter) Shutdown(context.Context) error { return nil }

// The OTLP JSON shapes (opentelemetry-proto, trace/v1 and common/v1 in
// the proto3 JSON mapping: 64-bit integers as strings, ids as hex).
type (
	otlpRequest struct {
		ResourceSpans []otlpResourceSpans `json:"resourceSpans"`
	}
	otlpResourceSpans struct {
		Resource   otlpResource     `json:"resource"`
		ScopeSpans []otlpScopeSpans `json:"scopeSpans"`
	}
	otlpResource struct {
		Attributes []otlpKeyValue `json:"attributes"`
	}
	otlpScopeSpans struct {
		Scope otlpScope  `json:"scope"`
		Spans []otlpSpan `json:"spans"`
	}
	otlpScope struct {
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
	}
	otlpSpan struct {
		TraceID           string         `json:"traceId"`
		SpanID            string         `json:"spanId"`
		ParentSpanID      string         `json:"parentSpanId,omitempty"`
		Name              string         `json:"name"`
		Kind              int            `json:"kind"`
		StartTimeUnixNano string         `json:"startTimeUnixNano"`
		EndTimeUnixNano   string         `json:"endTimeUnixNano"`
		Attributes        []otlpKeyValue `json:"attributes,omitempty"`
		Status            otlpStatus     `json:"status"`
	}
	otlpStatus struct {
		Code    int    `json:"code"`
		Message string `json:"message,omitempty"`
	}
	otlpKeyValue struct {
		Key   string       `json:"key"`
		Value otlpAnyValue `json:"value"`
	}
	otlpAnyValue struct {
		StringValue *string         `json:"stringValue,omitempty"`
		BoolValue   *bool           `json:"boolValue,omitempty"`
		IntValue    *string         `json:"intValue,omitempty"`
		DoubleValue *float64        `json:"doubleValue,omitempty"`
		ArrayValue  *otlpArrayValue `json:"arrayValue,omitempty"`
	}
	otlpArrayValue struct {
		Values []otlpAnyValue `json:"values"`
	}
)

// encode groups spans by resource and instrumentation scope.
func encode(spans []sdktrace.ReadOnlySpan) otlpRequest {
	var req otlpRequest
	byResource := map[string]int{}
	for _, s := range spans {
		rkey := s.Resource().Encoded(attribute.DefaultEncoder())
		ri, ok := byResource[rkey]
		if !ok {
			ri = len(req.ResourceSpans)
			byResource[rkey] = ri
			req.ResourceSpans = append(req.ResourceSpans, otlpResourceSpans{Resource: otlpResource{Attributes: keyValues(s.Resource().Attributes())}})
		}
		rs := &req.ResourceSpans[ri]
		scope := otlpScope{Name: s.InstrumentationScope().Name, Version: s.InstrumentationScope().Version}
		si := -1
		for i := range rs.ScopeSpans {
			if rs.ScopeSpans[i].Scope == scope {
				si = i
			}
		}
		if si < 0 {
			si = len(rs.ScopeSpans)
			rs.ScopeSpans = append(rs.ScopeSpans, otlpScopeSpans{Scope: scope})
		}
		rs.ScopeSpans[si].Spans = append(rs.ScopeSpans[si].Spans, span(s))
	}
	return req
}

func span(s sdktrace.ReadOnlySpan) otlpSpan {
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	out := otlpSpan{
		TraceID: hex.EncodeToString(tid[:]), SpanID: hex.EncodeToString(sid[:]),
		Name: s.Name(), Kind: kind(s.SpanKind()),
		StartTimeUnixNano: nanos(s.StartTime()), EndTimeUnixNano: nanos(s.EndTime()),
		Attributes: keyValues(s.Attributes()),
	}
	if p := s.Parent(); p.SpanID().IsValid() {
		pid := p.SpanID()
		out.ParentSpanID = hex.EncodeToString(pid[:])
	}
	switch st := s.Status(); st.Code {
	case codes.Ok:
		out.Status = otlpStatus{Code: 1}
	case codes.Error:
		out.Status = otlpStatus{Code: 2, Message: st.Description}
	}
	return out
}

// kind is trace.SpanKind as OTLP numbers it (SPAN_KIND_INTERNAL = 1 …).
func kind(k trace.SpanKind) int {
	switch k {
	case trace.SpanKindInternal:
		return 1
	case trace.SpanKindServer:
		return 2
	case trace.SpanKindClient:
		return 3
	case trace.SpanKindProducer:
		return 4
	case trace.SpanKindConsumer:
		return 5
	}
	return 0
}

func nanos(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

func keyValues(kvs []attribute.KeyValue) []otlpKeyValue {
	out := make([]otlpKeyValue, 0, len(kvs))
	for _, kv := range kvs {
		out = append(out, otlpKeyValue{Key: string(kv.Key), Value: anyValue(kv.Value)})
	}
	return out
}

func anyValue(v attribute.Value) otlpAnyValue {
	switch v.Type() {
	case attribute.BOOL:
		b := v.AsBool()
		return otlpAnyValue{BoolValue: &b}
	case attribute.INT64:
		s := strconv.FormatInt(v.AsInt64(), 10)
		return otlpAnyValue{IntValue: &s}
	case attribute.FLOAT64:
		f := v.AsFloat64()
		return otlpAnyValue{DoubleValue: &f}
	case attribute.STRINGSLICE:
		var arr otlpArrayValue
		for _, s := range v.AsStringSlice() {
			arr.Values = append(arr.Values, otlpAnyValue{StringValue: &s})
		}
		return otlpAnyValue{ArrayValue: &arr}
	case attribute.INT64SLICE:
		var arr otlpArrayValue
		for _, n := range v.AsInt64Slice() {
			s := strconv.FormatInt(n, 10)
			arr.Values = append(arr.Values, otlpAnyValue{IntValue: &s})
		}
		return otlpAnyValue{ArrayValue: &arr}
	}
	s := v.Emit()
	return otlpAnyValue{StringValue: &s}
}
