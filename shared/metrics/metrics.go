// Package metrics records what operators watch — search latency and matches,
// CRM calls and errors, token fetches, breaker openings, job outcomes — as
// CloudWatch Embedded Metric Format (EMF) lines: JSON log lines that
// CloudWatch Logs turns into metrics, with no agent and no extra service.
//
// A Set collects one invocation's values and Flush writes them, one line per
// metric and dimension set. Code that records a value finds the Set in its
// context; without one (a test, a tool), recording does nothing.
package metrics

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// Namespace is the CloudWatch namespace of every crmflow metric.
const Namespace = "crmflow"

// Unit is a CloudWatch metric unit.
type Unit string

const (
	Count        Unit = "Count"
	Milliseconds Unit = "Milliseconds"
)

// Metric names. docs/deploy.md lists them with their dimensions.
const (
	SearchLatency = "SearchLatency" // ms of a search use case, CRM included; dims CRM
	SearchMatches = "SearchMatches" // records a search answered; dims CRM
	SearchNoMatch = "SearchNoMatch" // 1 for a search with no match, else 0 (its average is the zero-match rate); dims CRM
	CRMCalls      = "CRMCalls"      // connector operations; dims CRM
	CRMErrors     = "CRMErrors"     // failed connector operations; dims CRM, Code (portable)
	TokenFetches  = "TokenFetches"  // token endpoint requests; dims CRM
	BreakerOpens  = "BreakerOpens"  // a configuration's circuit breaker opened; dims CRM
	JobOutcome    = "Jobs"          // finished attempts; dims Action, Outcome (succeeded, failed, deadlettered, retried)
	JobAge        = "JobAge"        // ms from enqueue to the job's end (succeeded, failed, deadlettered); dims Action
)

// Dimension names.
const (
	DimFunction = "Function"
	DimCRM      = "CRM"
	DimCode     = "Code"
	DimAction   = "Action"
	DimOutcome  = "Outcome"
)

// maxValues is how many values EMF takes in one metric's array.
const maxValues = 100

type series struct {
	name   string
	unit   Unit
	dims   []string // dimension names, sorted
	vals   map[string]string
	values []float64
}

// Set collects the values of one invocation. It is safe for concurrent use
// (a consumer runs its batch concurrently).
type Set struct {
	function string
	now      func() time.Time

	mu     sync.Mutex
	series map[string]*series
}

// NewSet returns an empty Set for function.
func NewSet(function string) *Set {
	return &Set{function: function, now: time.Now, series: map[string]*series{}}
}

type ctxKey struct{}

type crmKey struct{}

// With returns ctx carrying s.
func With(ctx context.Context, s *Set) context.Context { return context.WithValue(ctx, ctxKey{}, s) }

// From returns the Set of ctx, or nil.
func From(ctx context.Context) *Set {
	s, _ := ctx.Value(ctxKey{}).(*Set)
	return s
}

// WithCRM returns ctx naming the CRM type its calls go to, so values
// recorded below (a token fetch deep in a driver) carry the CRM dimension.
func WithCRM(ctx context.Context, crmType string) context.Context {
	return context.WithValue(ctx, crmKey{}, crmType)
}

// CRMOf is the CRM type WithCRM put into ctx, or "".
func CRMOf(ctx context.Context) string {
	s, _ := ctx.Value(crmKey{}).(string)
	return s
}

// Add records one value of a metric in ctx's Set, with dimensions given as
// name, value pairs. Without a Set it does nothing.
func Add(ctx context.Context, name string, unit Unit, v float64, dims ...string) {
	if s := From(ctx); s != nil {
		s.Add(name, unit, v, dims...)
	}
}

// AddCRM is Add with the CRM dimension from ctx (WithCRM) first.
func AddCRM(ctx context.Context, name string, unit Unit, v float64, dims ...string) {
	if s := From(ctx); s != nil {
		s.Add(name, unit, v, append([]string{DimCRM, orUnknown(CRMOf(ctx))}, dims...)...)
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// Add records one value.
func (s *Set) Add(name string, unit Unit, v float64, dims ...string) {
	vals := map[string]string{}
	for i := 0; i+1 < len(dims); i += 2 {
		vals[dims[i]] = dims[i+1]
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	slices.Sort(names)
	var key strings.Builder
	key.WriteString(name)
	for _, n := range names {
		key.WriteString("\x00" + n + "=" + vals[n])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sr, ok := s.series[key.String()]
	if !ok {
		sr = &series{name: name, unit: unit, dims: names, vals: vals}
		s.series[key.String()] = sr
	}
	sr.values = append(sr.values, v)
}

// Flush writes every collected series as EMF lines to w and empties the
// Set. Each line publishes the metric with its dimensions and, for rollups
// and alarms, by Function alone.
func (s *Set) Flush(w io.Writer) error {
	s.mu.Lock()
	all := s.series
	s.series = map[string]*series{}
	s.mu.Unlock()
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	ts := s.now().UnixMilli()
	for _, k := range keys {
		sr := all[k]
		for start := 0; start < len(sr.values); start += maxValues {
			end := min(start+maxValues, len(sr.values))
			if err := writeLine(w, s.function, ts, sr, sr.values[start:end]); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeLine(w io.Writer, function string, ts int64, sr *series, values []float64) error {
	dims := append([]string{DimFunction}, sr.dims...)
	sets := [][]string{dims}
	if len(dims) > 1 {
		sets = append(sets, []string{DimFunction})
	}
	line := map[string]any{
		"_aws": map[string]any{
			"Timestamp": ts,
			"CloudWatchMetrics": []map[string]any{{
				"Namespace":  Namespace,
				"Dimensions": sets,
				"Metrics":    []map[string]any{{"Name": sr.name, "Unit": sr.unit}},
			}},
		},
		DimFunction: function,
		sr.name:     values,
	}
	for k, v := range sr.vals {
		line[k] = v
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Since is the milliseconds from t to now, for latency values.
func Since(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }

// The process's output: set once at cold start by Configure.
var (
	outMu    sync.Mutex
	out      io.Writer
	function string
)

// Configure makes Begin collect metrics for function and flush them to w
// (a Lambda's stdout, which CloudWatch Logs reads). Until it is called, or
// with a nil w, Begin collects nothing.
func Configure(fn string, w io.Writer) {
	outMu.Lock()
	function, out = fn, w
	outMu.Unlock()
}

// Begin starts an invocation's Set and returns the context carrying it and
// the func that flushes it; both are no-ops when metrics are not configured.
func Begin(ctx context.Context) (context.Context, func()) {
	outMu.Lock()
	fn, w := function, out
	outMu.Unlock()
	if w == nil {
		return ctx, func() {}
	}
	s := NewSet(fn)
	return With(ctx, s), func() {
		outMu.Lock()
		defer outMu.Unlock()
		_ = s.Flush(w) // a metric line lost is not worth failing the invocation
	}
}

// Emit writes one value at once, outside any invocation's Set (a breaker
// opening seen by a background callback).
func Emit(name string, unit Unit, v float64, dims ...string) {
	outMu.Lock()
	defer outMu.Unlock()
	if out == nil {
		return
	}
	s := NewSet(function)
	s.Add(name, unit, v, dims...)
	_ = s.Flush(out)
}
