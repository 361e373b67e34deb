package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/metrics"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/store"
)

// SearchInput is workflowInput of a search: one of its three fields.
type SearchInput struct {
	PhoneNumber  *string       `json:"phoneNumber"`
	Email        *string       `json:"email"`
	CustomSearch *CustomSearch `json:"customSearch"`
}

// CustomSearch is a portable-filter search (SPEC §4.3).
type CustomSearch struct {
	Entity string          `json:"entity"`
	Filter json.RawMessage `json:"filter"`
	Fields []string        `json:"fields"`
	Limit  int             `json:"limit"`
}

// Search limits.
const (
	DefaultSearchLimit = 10
	MaxSearchLimit     = 200
	relatedOpenLimit   = 5
)

// Search runs a search workflow and adds its results to the contact's card.
func (s *Service) Search(ctx context.Context, tenantID string, req ExecRequest) (Result, error) {
	if err := req.CheckIDs(); err != nil {
		return Result{}, err
	}
	ctx = logx.With(ctx, "configurationId", req.ConfigurationID, "workflowId", req.WorkflowID, "contactId", req.ContactID)
	w, err := s.Workflow(ctx, tenantID, req.ConfigurationID, req.WorkflowID)
	if err != nil {
		return Result{}, err
	}
	if err := checkAction(w, store.ActionSearch); err != nil {
		return Result{}, err
	}
	var in SearchInput
	if err := decodeInput(req.WorkflowInput, &in); err != nil {
		return Result{}, err
	}
	var mapping store.DynamicDataMapping
	if req.DynamicDataMappingID != "" {
		if mapping, err = s.dynamicMapping(ctx, tenantID, req.ConfigurationID, req.DynamicDataMappingID); err != nil {
			return Result{}, err
		}
	}
	conn, err := s.Get(ctx, tenantID, req.ConfigurationID)
	if err != nil {
		return Result{}, err
	}
	region := conn.Config.DefaultRegion
	run, err := searchFor(w, in, entitySpecs(mapping), func(raw string) (phone.Number, error) { return s.phones(raw, region) })
	if err != nil {
		return Result{}, err
	}

	if in.CustomSearch != nil && w.Kind == store.KindCustomSearch {
		if err := canonicalQuery(conn.Driver, &run, in.CustomSearch.Entity); err != nil {
			return Result{}, err
		}
	}
	started := time.Now()
	cctx, cancel := context.WithTimeout(ctx, conn.Timeout())
	defer cancel()
	var own <-chan []store.CardRecord
	if run.own != nil {
		own = s.ownWrites(cctx, tenantID, req.ContactID) // beside the CRM call, not after it
	}
	recs, complete, err := run.withRelated(cctx, conn.Connector, w.Kind != store.KindCustomSearch)
	if err != nil {
		if w.Kind == store.KindCustomSearch {
			return Result{}, refused(err, "workflowInput.customSearch")
		}
		// Phone and email searches take entities and fields only from the
		// dynamic data mapping, so that is what a refusal is about.
		return Result{}, apperr.Refused("dynamicDataMappingId", err)
	}

	d := displayOf(mapping)
	res := Result{ContactID: req.ContactID, WorkflowID: w.ID, Action: store.ActionSearch, MatchCount: len(recs),
		System: system(conn), Records: make([]store.CardRecord, 0, len(recs)), Complete: complete}
	for _, r := range recs {
		c := cardRecord(r, d)
		c.Match = run.explain(r)
		res.Records = append(res.Records, c)
	}
	fromCRM := slices.Clone(res.Records)
	if own != nil {
		res.Records = mergeOwn(res.Records, <-own, run.own)
		res.MatchCount = len(res.Records)
	}
	rank(res.Records, entityOrder(conn.Config, mapping))
	res.BestMatch = bestOf(res.Records, conn.Config.BestMatchMargin)
	// A single match pops; several pop nothing (SPEC §3.1).
	if len(res.Records) == 1 && res.Records[0].URL != "" {
		res.Records[0].ScreenPop = true
		res.ScreenPopURL = res.Records[0].URL
		for i := range fromCRM { // the card keeps the pop too
			if fromCRM[i].Entity == res.Records[0].Entity && fromCRM[i].ID == res.Records[0].ID {
				fromCRM[i].ScreenPop = true
			}
		}
	}
	// The contact's own records are on the card already.
	s.addToCard(ctx, tenantID, req.ContactID, req.ConfigurationID, fromCRM, store.SectionRelated, false)
	slog.InfoContext(ctx, "search done", "crm", conn.Config.CRM, "kind", w.Kind, "matches", len(recs))
	searchMetrics(ctx, conn.Config.CRM, started, len(recs))
	return res, nil
}

// searchMetrics records a search's latency (CRM calls and card write
// included) and matches, per CRM type.
func searchMetrics(ctx context.Context, t crm.Type, started time.Time, matches int) {
	ctx = metrics.WithCRM(ctx, string(t))
	metrics.AddCRM(ctx, metrics.SearchLatency, metrics.Milliseconds, metrics.Since(started))
	metrics.AddCRM(ctx, metrics.SearchMatches, metrics.Count, float64(matches))
	none := 0.0
	if matches == 0 {
		none = 1
	}
	metrics.AddCRM(ctx, metrics.SearchNoMatch, metrics.Count, none)
}

// searchRun is the CRM call of a search; query is set for a custom search.
type searchRun struct {
	call func(ctx context.Context, c crm.Connector) ([]crm.Record, error)
	// related is the same search with the single match's open cases, in
	// one CRM round trip where the connector can (phone and email searches).
	related func(ctx context.Context, c crm.Connector) (crm.RelatedResult, error)
	query   *crm.Query
	// own matches records against the search: the contact's own records
	// for merging, and every result for its match explanation (phone and
	// email searches; a custom search's filter is the CRM's to evaluate).
	own recordMatcher
	// unseenKind is the match kind of a CRM result whose matching field
	// the CRM did not return.
	unseenKind string
}

// canonicalQuery puts a custom search's entity into the CRM's canonical spelling.
func canonicalQuery(d crm.Driver, run *searchRun, entity string) error {
	canon, err := canonicalEntity(d, "workflowInput.customSearch.entity", entity)
	if err != nil {
		return err
	}
	run.query.Entity = canon
	return nil
}

// searchFor checks the input the workflow kind needs and returns the CRM call.
func searchFor(w store.Workflow, in SearchInput, specs []crm.EntitySpec, parse func(string) (phone.Number, error)) (searchRun, error) {
	switch w.Kind {
	case store.KindPhone:
		if in.PhoneNumber == nil {
			return searchRun{}, apperr.Field("workflowInput.phoneNumber", "is required by this workflow (Search for ANI)")
		}
		number, err := parse(*in.PhoneNumber)
		if err != nil {
			return searchRun{}, apperr.Field("workflowInput.phoneNumber", "%s", err.Error())
		}
		variants := number.Variants()
		ps := crm.PhoneSearch{Variants: variants, Number: number, Entities: specs, Limit: DefaultSearchLimit}
		return searchRun{call: func(ctx context.Context, c crm.Connector) ([]crm.Record, error) {
			return c.SearchByPhone(ctx, ps)
		}, related: func(ctx context.Context, c crm.Connector) (crm.RelatedResult, error) {
			return crm.SearchByPhoneWithRelated(ctx, c, ps, relatedOpenLimit)
		}, own: phoneMatcher(number), unseenKind: store.MatchDigits}, nil
	case store.KindEmail:
		if in.Email == nil {
			return searchRun{}, apperr.Field("workflowInput.email", "is required by this workflow (Search by email)")
		}
		email := strings.TrimSpace(*in.Email)
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
			return searchRun{}, apperr.Field("workflowInput.email", "is not an email address")
		}
		es := crm.EmailSearch{Email: email, Entities: specs, Limit: DefaultSearchLimit}
		return searchRun{call: func(ctx context.Context, c crm.Connector) ([]crm.Record, error) {
			return c.SearchByEmail(ctx, es)
		}, related: func(ctx context.Context, c crm.Connector) (crm.RelatedResult, error) {
			return crm.SearchByEmailWithRelated(ctx, c, es, relatedOpenLimit)
		}, own: emailMatcher(email), unseenKind: store.MatchEmail}, nil
	case store.KindCustomSearch:
		if in.CustomSearch == nil {
			return searchRun{}, apperr.Field("workflowInput.customSearch", "is required by this workflow (Custom search)")
		}
		q, err := in.CustomSearch.query()
		if err != nil {
			return searchRun{}, err
		}
		run := searchRun{query: &q}
		run.call = func(ctx context.Context, c crm.Connector) ([]crm.Record, error) { return c.Search(ctx, *run.query) }
		return run, nil
	}
	return searchRun{}, apperr.New(apperr.Unprocessable, "workflow kind %q cannot search", w.Kind)
}

func (cs *CustomSearch) query() (crm.Query, error) {
	const p = "workflowInput.customSearch."
	if cs.Entity == "" {
		return crm.Query{}, apperr.Field(p+"entity", "is required")
	}
	if !crm.ValidEntityName(cs.Entity) {
		return crm.Query{}, apperr.Field(p+"entity", "must be an entity name of the CRM")
	}
	for i, f := range cs.Fields {
		if !crm.ValidField(f) {
			return crm.Query{}, apperr.Field(p+"fields", "field %d must match ^[A-Za-z_][A-Za-z0-9_.]*$", i)
		}
	}
	switch {
	case cs.Limit == 0:
		cs.Limit = DefaultSearchLimit
	case cs.Limit < 0 || cs.Limit > MaxSearchLimit:
		return crm.Query{}, apperr.Field(p+"limit", "must be between 1 and %d", MaxSearchLimit)
	}
	if len(cs.Filter) == 0 || string(cs.Filter) == "null" {
		return crm.Query{}, apperr.Field(p+"filter", "is required")
	}
	f, err := crm.ParseFilter(cs.Filter)
	if err != nil {
		var fe *crm.FilterError
		if errors.As(err, &fe) {
			field := p + "filter"
			if fe.Path != "" {
				field += "." + fe.Path
			}
			return crm.Query{}, apperr.Field(field, "%s", fe.Msg)
		}
		return crm.Query{}, apperr.Field(p+"filter", "%s", err.Error())
	}
	return crm.Query{Entity: cs.Entity, Filter: f, Fields: cs.Fields, Limit: cs.Limit}, nil
}

// withRelated runs the search and, when it matches one person-like record
// and related is asked for, adds that record's open cases: in the same CRM
// round trip where the connector can (crm.RelatedSearcher), else by a
// sequential RelatedOpen call in what is left of the search's deadline.
// The open cases are a courtesy to the agent: if they fail the search
// still answers with the match, complete false; only a match that cannot
// be read in time is a 504.
func (r searchRun) withRelated(ctx context.Context, c crm.Connector, related bool) ([]crm.Record, bool, error) {
	if !related || r.related == nil || !c.Capabilities().RelatedOpen {
		recs, err := r.call(ctx, c)
		return recs, true, err
	}
	res, err := r.related(ctx, c)
	if err != nil {
		return nil, false, err
	}
	switch {
	case len(res.Records) == 1 && res.RelatedErr != nil:
		slog.WarnContext(ctx, "open cases of the match not read", "error", logx.ErrorText(res.RelatedErr))
		res.Records[0].Related = nil
		return res.Records, false, nil
	case len(res.Records) > 1:
		for i := range res.Records {
			res.Records[i].Related = nil // only a single match brings its open cases
		}
	}
	return res.Records, true, nil
}

// addToCard writes records to the card. The card serves the agent; a failure
// to write it must not fail the Studio request that already has its answer,
// so it is logged as an error for the operator instead.
func (s *Service) addToCard(ctx context.Context, tenantID, contactID, configurationID string, recs []store.CardRecord, section string, pinned bool) {
	if len(recs) == 0 {
		return
	}
	ws := make([]store.CardWrite, len(recs))
	for i, r := range recs {
		ws[i] = store.CardWrite{Record: r, Section: section, Pinned: pinned}
	}
	if err := s.store.WriteCard(ctx, tenantID, contactID, configurationID, ws); err != nil {
		slog.ErrorContext(ctx, "card not updated", "error", err.Error(), "records", len(recs))
	}
}
