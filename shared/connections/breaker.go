package connections

import (
	"context"
	"errors"
	"log/slog"

	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/metrics"
	"github.com/crmflow/crmflow/shared/tracing"
)

// guarded is a configuration's connector behind its circuit breaker. After
// breaker.Options.Failures transient CRM failures in a row every call fails
// at once, for the cool-down, with a retryable crm.Error (Unavailable,
// RetryAfter = the rest of the cool-down) that wraps a *breaker.OpenError:
// Studio routes answer 503 CRM_CIRCUIT_OPEN with Retry-After instead of
// holding a live call for the CRM deadline, and post-call consumers back off
// for the cool-down without calling the CRM.
//
// The breaker lives with the cached connection, so it is per configuration
// and per warm process: see docs/deploy.md, "Circuit breaker".
type guarded struct {
	crm.Connector
	b *breaker.Breaker
}

var (
	_ crm.Connector       = (*guarded)(nil)
	_ crm.RelatedSearcher = (*guarded)(nil)
	_ crm.WriteKeySetter  = (*guarded)(nil)
)

// guard wraps conn in a breaker built from o; a negative o.Failures leaves
// conn unguarded.
func guard(conn crm.Connector, o breaker.Options, configurationID string) crm.Connector {
	if o.Failures < 0 {
		return conn
	}
	typ := conn.Type()
	o.OnChange = func(from, to breaker.State) {
		slog.Warn("circuit breaker", "from", from.String(), "to", to.String(), "configurationId", configurationID, "crm", typ)
		if to == breaker.Open {
			metrics.Emit(metrics.BreakerOpens, metrics.Count, 1, metrics.DimCRM, string(typ))
		}
	}
	return &guarded{Connector: conn, b: breaker.New(o)}
}

// outcome classifies a CRM call for the breaker. Only a CRM that is down,
// too slow or rate limiting counts against it; a CRM that refused the
// request answered, so it is up. A caller that gave up says nothing.
func outcome(ctx context.Context, err error) breaker.Outcome {
	if err == nil {
		return breaker.Success
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return breaker.Ignore
	}
	if ce, ok := crm.AsError(err); ok {
		switch ce.Code {
		case crm.Unavailable, crm.DeadlineExceeded, crm.ResourceExhausted:
			return breaker.Failure
		case crm.Internal:
			// An answer the driver could not read: maybe a proxy's error
			// page, maybe a driver bug. Neither proves the CRM up or down.
			return breaker.Ignore
		}
		return breaker.Success
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return breaker.Failure
	}
	return breaker.Ignore
}

// call runs f through the breaker, counting it (and its portable error
// code) in the invocation's metrics.
func call[T any](ctx context.Context, g *guarded, op string, f func(context.Context) (T, error)) (T, error) {
	ctx = metrics.WithCRM(ctx, string(g.Type()))
	metrics.AddCRM(ctx, metrics.CRMCalls, metrics.Count, 1)
	ctx, end := tracing.CRMCall(ctx, string(g.Type()), op)
	v, err := breakerCall(ctx, g, op, f)
	var code crm.Code
	if err != nil {
		code = crm.CodeOf(err)
		metrics.AddCRM(ctx, metrics.CRMErrors, metrics.Count, 1, metrics.DimCode, string(code))
	}
	end(string(code), err)
	return v, err
}

func breakerCall[T any](ctx context.Context, g *guarded, op string, f func(context.Context) (T, error)) (T, error) {
	done, err := g.b.Allow()
	if err != nil {
		var zero T
		var oe *breaker.OpenError
		errors.As(err, &oe)
		return zero, &crm.Error{Code: crm.Unavailable, Retryable: true, RetryAfter: oe.RetryAfter,
			Op: string(g.Type()) + ": " + op, Message: "the CRM failed repeatedly; calls are paused", Err: err}
	}
	v, err := f(ctx)
	done(outcome(ctx, err))
	return v, err
}

func (g *guarded) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	return call(ctx, g, "search by phone", func(ctx context.Context) ([]crm.Record, error) { return g.Connector.SearchByPhone(ctx, s) })
}

func (g *guarded) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	return call(ctx, g, "search by email", func(ctx context.Context) ([]crm.Record, error) { return g.Connector.SearchByEmail(ctx, s) })
}

func (g *guarded) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	return call(ctx, g, "search", func(ctx context.Context) ([]crm.Record, error) { return g.Connector.Search(ctx, q) })
}

func (g *guarded) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	return call(ctx, g, "related open", func(ctx context.Context) ([]crm.Record, error) { return g.Connector.RelatedOpen(ctx, person, limit) })
}

// SearchByPhoneWithRelated is one breaker call when the driver answers it
// in one round trip, else the search and RelatedOpen, each counted.
func (g *guarded) SearchByPhoneWithRelated(ctx context.Context, s crm.PhoneSearch, related int) (crm.RelatedResult, error) {
	rs, ok := g.Connector.(crm.RelatedSearcher)
	if !ok {
		return crm.SearchByPhoneWithRelated(ctx, connectorOnly{g}, s, related)
	}
	return call(ctx, g, "search by phone", func(ctx context.Context) (crm.RelatedResult, error) {
		return rs.SearchByPhoneWithRelated(ctx, s, related)
	})
}

// SearchByEmailWithRelated is SearchByPhoneWithRelated for an email search.
func (g *guarded) SearchByEmailWithRelated(ctx context.Context, s crm.EmailSearch, related int) (crm.RelatedResult, error) {
	rs, ok := g.Connector.(crm.RelatedSearcher)
	if !ok {
		return crm.SearchByEmailWithRelated(ctx, connectorOnly{g}, s, related)
	}
	return call(ctx, g, "search by email", func(ctx context.Context) (crm.RelatedResult, error) {
		return rs.SearchByEmailWithRelated(ctx, s, related)
	})
}

// connectorOnly hides guarded's optional interfaces, so the two-call form
// goes through its guarded SearchBy… and RelatedOpen.
type connectorOnly struct{ crm.Connector }

func (g *guarded) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	return call(ctx, g, "get", func(ctx context.Context) (crm.Record, error) { return g.Connector.Get(ctx, ref, fields) })
}

func (g *guarded) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	return call(ctx, g, "create", func(ctx context.Context) (crm.Record, error) { return g.Connector.Create(ctx, entity, fields) })
}

func (g *guarded) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	_, err := call(ctx, g, "update", func(ctx context.Context) (struct{}, error) { return struct{}{}, g.Connector.Update(ctx, ref, fields) })
	return err
}

func (g *guarded) AddActivity(ctx context.Context, a crm.Activity) (crm.WriteResult, error) {
	return call(ctx, g, "add activity", func(ctx context.Context) (crm.WriteResult, error) { return g.Connector.AddActivity(ctx, a) })
}

func (g *guarded) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	return call(ctx, g, "write record", func(ctx context.Context) (crm.WriteResult, error) { return g.Connector.WriteRecord(ctx, m) })
}

func (g *guarded) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	var found bool
	res, err := call(ctx, g, "find write", func(ctx context.Context) (crm.WriteResult, error) {
		r, f, err := g.Connector.FindWrite(ctx, l)
		found = f
		return r, err
	})
	return res, found, err
}

func (g *guarded) Ping(ctx context.Context) error {
	_, err := call(ctx, g, "ping", func(ctx context.Context) (struct{}, error) { return struct{}{}, inspector(g.Connector).Ping(ctx) })
	return err
}

func (g *guarded) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	type sample struct {
		rec   crm.Record
		found bool
	}
	s, err := call(ctx, g, "sample", func(ctx context.Context) (sample, error) {
		rec, found, err := inspector(g.Connector).Sample(ctx, entity)
		return sample{rec, found}, err
	})
	return s.rec, s.found, err
}

func (g *guarded) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	return call(ctx, g, "describe", func(ctx context.Context) (crm.EntityMeta, error) { return inspector(g.Connector).Describe(ctx, entity) })
}

// SetUpWriteKeys is the driver's write-key set-up, ErrNoWriteKeySetup for
// a driver that needs none.
func (g *guarded) SetUpWriteKeys(ctx context.Context, entities []string) ([]string, error) {
	ks, ok := g.Connector.(crm.WriteKeySetter)
	if !ok {
		return nil, crm.ErrNoWriteKeySetup
	}
	return call(ctx, g, "set up write keys", func(ctx context.Context) ([]string, error) { return ks.SetUpWriteKeys(ctx, entities) })
}

// inspector is c's crm.Inspector; a connector without one refuses every
// inspection as unsupported.
func inspector(c crm.Connector) crm.Inspector {
	if in, ok := c.(crm.Inspector); ok {
		return in
	}
	return noInspector{c.Type()}
}

type noInspector struct{ t crm.Type }

func (n noInspector) err() error {
	return &crm.Error{Code: crm.Internal, Op: string(n.t) + ": inspect", Message: "this driver cannot inspect its CRM"}
}
func (n noInspector) Ping(context.Context) error { return n.err() }
func (n noInspector) Sample(context.Context, string) (crm.Record, bool, error) {
	return crm.Record{}, false, n.err()
}
func (n noInspector) Describe(context.Context, string) (crm.EntityMeta, error) {
	return crm.EntityMeta{}, n.err()
}
