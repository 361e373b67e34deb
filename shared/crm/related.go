package crm

import "context"

// RelatedSearcher is an optional interface of a Connector whose CRM can
// answer a phone or email search together with the open cases of its
// single match in one round trip (Salesforce composite, Oracle queryResults
// with several statements). The search use case takes it when present and
// otherwise makes the search and a sequential RelatedOpen call; both ways
// give the same records.
//
// Records are what SearchByPhone or SearchByEmail would return. When there
// is exactly one, Records[0].Related holds its open cases (at most related,
// most recent first, as RelatedOpen returns them) unless RelatedErr says
// why they could not be read; then the search still stands. With zero or
// several records, Related and RelatedErr mean nothing.
type RelatedSearcher interface {
	SearchByPhoneWithRelated(ctx context.Context, s PhoneSearch, related int) (RelatedResult, error)
	SearchByEmailWithRelated(ctx context.Context, s EmailSearch, related int) (RelatedResult, error)
}

// RelatedResult is a search with its single match's open cases.
type RelatedResult struct {
	Records []Record
	// RelatedErr is why a single match's open cases are missing: the
	// related part failed while the search answered.
	RelatedErr error
}

// SingleRelated fills r's single match's open cases with a sequential
// RelatedOpen call, for a driver whose one-round-trip form did not cover
// that match (say, the CRM's first hit was filtered out): the result stays
// what two calls would give.
func SingleRelated(ctx context.Context, c Connector, r RelatedResult, related int) RelatedResult {
	if len(r.Records) != 1 {
		return r
	}
	r.Records[0].Related, r.RelatedErr = c.RelatedOpen(ctx, Ref{Entity: r.Records[0].Entity, ID: r.Records[0].ID}, related)
	if r.RelatedErr != nil {
		r.Records[0].Related = nil
	}
	return r
}

// SearchByPhoneWithRelated is c's one-round-trip phone search when c is a
// RelatedSearcher, else the search and a RelatedOpen call of its single
// match: the same records either way.
func SearchByPhoneWithRelated(ctx context.Context, c Connector, s PhoneSearch, related int) (RelatedResult, error) {
	if rs, ok := c.(RelatedSearcher); ok {
		return rs.SearchByPhoneWithRelated(ctx, s, related)
	}
	recs, err := c.SearchByPhone(ctx, s)
	if err != nil {
		return RelatedResult{}, err
	}
	return SingleRelated(ctx, c, RelatedResult{Records: recs}, related), nil
}

// SearchByEmailWithRelated is SearchByPhoneWithRelated for an email search.
func SearchByEmailWithRelated(ctx context.Context, c Connector, s EmailSearch, related int) (RelatedResult, error) {
	if rs, ok := c.(RelatedSearcher); ok {
		return rs.SearchByEmailWithRelated(ctx, s, related)
	}
	recs, err := c.SearchByEmail(ctx, s)
	if err != nil {
		return RelatedResult{}, err
	}
	return SingleRelated(ctx, c, RelatedResult{Records: recs}, related), nil
}
