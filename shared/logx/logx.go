// Package logx sets up the JSON slog logger every function uses and carries
// request-scoped attributes (request, tenant, configuration, workflow and
// contact ids) in the context so every line of a request has them.
//
// Only ids go into the context: never credentials, tokens or CRM field values.
package logx

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/crmflow/crmflow/shared/crm"
)

type ctxKey struct{}

type scopeKey struct{}

// scope collects the ids a request learns on its way down (configuration,
// workflow, contact), so the lines logged on the way back up — the request
// summary among them — carry them too.
type scope struct {
	mu    sync.Mutex
	attrs []slog.Attr
}

// Scope starts a request scope: ids added by With on any context derived
// from the returned one also appear on lines logged with it.
func Scope(ctx context.Context) context.Context {
	return context.WithValue(ctx, scopeKey{}, &scope{})
}

// With returns ctx carrying extra attributes (key, value pairs of ids).
func With(ctx context.Context, args ...any) context.Context {
	prev, _ := ctx.Value(ctxKey{}).([]slog.Attr)
	attrs := make([]slog.Attr, len(prev), len(prev)+len(args)/2)
	copy(attrs, prev)
	for i := 0; i+1 < len(args); i += 2 {
		k, _ := args[i].(string)
		if k == "" {
			continue
		}
		if s, ok := args[i+1].(string); ok && s == "" {
			continue
		}
		attrs = append(attrs, slog.Any(k, args[i+1]))
	}
	if sc, _ := ctx.Value(scopeKey{}).(*scope); sc != nil {
		sc.mu.Lock()
		for _, a := range attrs[len(prev):] {
			if !hasKey(sc.attrs, a.Key) {
				sc.attrs = append(sc.attrs, a)
			}
		}
		sc.mu.Unlock()
	}
	return context.WithValue(ctx, ctxKey{}, attrs)
}

func hasKey(as []slog.Attr, k string) bool {
	return slices.ContainsFunc(as, func(a slog.Attr) bool { return a.Key == k })
}

// Attrs returns the attributes carried by ctx, then those its request scope
// learned later.
func Attrs(ctx context.Context) []slog.Attr {
	a, _ := ctx.Value(ctxKey{}).([]slog.Attr)
	sc, _ := ctx.Value(scopeKey{}).(*scope)
	if sc == nil {
		return a
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	out := a
	for _, x := range sc.attrs {
		if !hasKey(a, x.Key) {
			if len(out) == len(a) {
				out = slices.Clone(a)
			}
			out = append(out, x)
		}
	}
	return out
}

// contextHandler adds the context's attributes to every record.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if attrs := Attrs(ctx); len(attrs) > 0 {
		r.AddAttrs(attrs...)
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// New returns a JSON logger writing to w at the level Lambda's advanced
// logging controls set (AWS_LAMBDA_LOG_LEVEL: TRACE, DEBUG, INFO, WARN,
// ERROR, FATAL), else LOG_LEVEL (debug, info, warn, error), default info;
// tagged with the function name.
//
// It is not lambdacontext.NewLogHandler (aws-lambda-go): that handler writes
// text unless the function's log format is JSON, renames msg and time, and
// adds the request id under "requestId", which here is the API Gateway
// request's id. crmflow logs JSON always (the EMF metrics and the Logs
// Insights queries in docs/deploy.md read it) and puts the Lambda request
// id in awsRequestId through Invocation, the same way in the local run.
func New(w io.Writer, function string) *slog.Logger {
	level := levelOf(os.Getenv("AWS_LAMBDA_LOG_LEVEL"))
	if os.Getenv("AWS_LAMBDA_LOG_LEVEL") == "" {
		level = levelOf(os.Getenv("LOG_LEVEL"))
	}
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redactErrors})
	return slog.New(contextHandler{h}).With("function", function)
}

// redactErrors writes any error logged as a value through ErrorText, so a
// CRM error wrapped by fmt.Errorf and logged by mistake ("error", err)
// logs its operation and codes, never the CRM's message. (A bare
// *crm.Error is already a LogValuer; a wrapped one is not.)
func redactErrors(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindAny {
		if err, ok := a.Value.Any().(error); ok {
			a.Value = slog.StringValue(ErrorText(err))
		}
	}
	return a
}

// levelOf reads a level name; TRACE is debug, FATAL is error (slog has no
// others), and anything unknown is info.
func levelOf(name string) slog.Level {
	switch strings.ToLower(name) {
	case "trace", "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error", "fatal":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// coldStart is true until the first invocation of this process is logged.
var coldStart atomic.Bool

func init() { coldStart.Store(true) }

// Invocation returns ctx carrying what identifies one Lambda invocation on
// every line it logs: the Lambda request id, the X-Ray trace id and, on the
// first invocation of the process only, coldStart. Outside Lambda it adds
// what it finds (nothing, locally).
func Invocation(ctx context.Context) context.Context {
	var args []any
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		args = append(args, "awsRequestId", lc.AwsRequestID)
	}
	if id, _ := ctx.Value("x-amzn-trace-id").(string); id != "" {
		args = append(args, "traceId", traceRoot(id))
	}
	if coldStart.Swap(false) && os.Getenv("AWS_LAMBDA_FUNCTION_NAME") != "" {
		args = append(args, "coldStart", true)
	}
	if len(args) == 0 {
		return ctx
	}
	return With(ctx, args...)
}

// traceRoot is the X-Ray trace id of a trace header
// ("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=…;Sampled=1").
func traceRoot(h string) string {
	for _, part := range strings.Split(h, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "Root="); ok {
			return v
		}
	}
	return h
}

// Setup makes New(os.Stdout, function) the default logger (Lambda ships stdout to CloudWatch).
func Setup(function string) *slog.Logger {
	l := New(os.Stdout, function)
	slog.SetDefault(l)
	return l
}

// ErrorText is an error's text fit for a log line. A CRM error keeps its
// operation, code, status and the CRM's code but not its message, which can
// echo record values ("Email address x@y is invalid").
func ErrorText(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := crm.AsError(err); ok {
		return fmt.Sprintf("%s: %s (status %d, crm code %q)", e.Op, e.Code, e.Status, e.CRMCode)
	}
	return err.Error()
}
