package salesforce

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// The composite resource (POST /services/data/{v}/composite) runs up to 25
// subrequests in order in one round trip, and one API call against the
// org's limits; a later subrequest names an earlier one's answer by
// @{referenceId.path} in its url or body. With allOrNone false a failed
// subrequest fails alone (and whatever references it); the top-level
// answer is 200 with one result per subrequest. At most 5 of them may be
// queries (dev.sf resources_composite_composite.htm, requests_composite.htm,
// resources_composite_subrequest_result.htm).
const (
	maxCompositeQueries     = 5
	maxCompositeSubrequests = 25
)

var _ crm.RelatedSearcher = (*connector)(nil)

// subrequest is one compositeRequest entry.
type subrequest struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	ReferenceID string `json:"referenceId"`
}

// subresult is one compositeResponse entry.
type subresult struct {
	Body           json.RawMessage `json:"body"`
	HTTPStatusCode int             `json:"httpStatusCode"`
	ReferenceID    string          `json:"referenceId"`
}

func (r subresult) ok() bool { return r.HTTPStatusCode/100 == 2 }

// err is the subrequest's failure as the same request made alone would give it.
func (r subresult) err(op string) error { return apiError(op, r.HTTPStatusCode, r.Body) }

// composite sends the subrequests with allOrNone false and returns their
// results by referenceId.
func (c *connector) composite(ctx context.Context, op string, subs []subrequest) (map[string]subresult, error) {
	var resp struct {
		CompositeResponse []subresult `json:"compositeResponse"`
	}
	body := map[string]any{"allOrNone": false, "compositeRequest": subs}
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: c.dataPath("composite"), Body: body}, &resp); err != nil {
		return nil, err
	}
	out := make(map[string]subresult, len(resp.CompositeResponse))
	for _, r := range resp.CompositeResponse {
		out[r.ReferenceID] = r
	}
	for _, s := range subs {
		if _, ok := out[s.ReferenceID]; !ok {
			return nil, &crm.Error{Code: crm.Internal, Op: op, Message: "Salesforce's composite answer lacks subrequest " + s.ReferenceID}
		}
	}
	return out, nil
}

// getURL is a subrequest url below /services/data/{v}/ with a q parameter.
func (c *connector) getURL(rest, q string) string {
	return c.dataPath(rest) + "?" + url.Values{"q": {q}}.Encode()
}

// refSlot stands for the reference in a query before it is encoded: the
// reference must reach Salesforce as @{…}, which resolves it in the url
// before it reads the query string. It is letters and underscores only, so
// encoding leaves it as it is.
const refSlot = "__crmflow_ref__"

// openCasesSubrequest lists the open cases of the record an earlier
// subrequest's answer names at idPath. The record's type is not known when
// the request is written, so the case must point at it as contact or as
// account: an id is one or the other (its key prefix says which), so the
// cases are those RelatedOpen would list, and a lead's id matches none.
func (c *connector) openCasesSubrequest(refID, idPath string, limit int) subrequest {
	who := "(ContactId = '" + refSlot + "' OR AccountId = '" + refSlot + "')"
	u := strings.ReplaceAll(c.getURL("query/", openCasesSOQL(who, limit)), refSlot, "@{"+idPath+"}")
	return subrequest{Method: http.MethodGet, URL: u, ReferenceID: refID}
}

// openCases reads an open-cases subrequest's answer.
func (c *connector) openCases(op string, r subresult) ([]crm.Record, error) {
	if !r.ok() {
		return nil, r.err(op)
	}
	var page struct {
		Records []map[string]any `json:"records"`
	}
	if err := json.Unmarshal(r.Body, &page); err != nil {
		return nil, &crm.Error{Code: crm.Internal, Op: op, Message: "unreadable answer from Salesforce", Err: err}
	}
	out := make([]crm.Record, 0, len(page.Records))
	for _, raw := range page.Records {
		out = append(out, c.toRecord(raw, openCaseFields))
	}
	return out, nil
}

// SearchByPhoneWithRelated is SearchByPhone with the single match's open
// cases in the same composite request: the SOSL search, then the open
// cases of its first hit (@{search.searchRecords[0].Id}). When the search
// finds nothing that reference cannot be resolved and Salesforce fails the
// second subrequest alone, which is then of no interest. When the single
// match is not the first hit (a mapping's search fields dropped the hits
// before it), its cases are read by a second call as before.
func (c *connector) SearchByPhoneWithRelated(ctx context.Context, s crm.PhoneSearch, related int) (crm.RelatedResult, error) {
	ps, err := newPhoneSearch(s)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	if !hasCases(ps.plans) {
		recs, err := c.SearchByPhone(ctx, s)
		return crm.RelatedResult{Records: recs}, err
	}
	related = clampLimit(related, 5)
	subs := []subrequest{
		{Method: http.MethodGet, URL: c.getURL("search/", ps.sosl), ReferenceID: "search"},
		c.openCasesSubrequest("open", "search.searchRecords[0].Id", related),
	}
	res, err := c.composite(ctx, ps.op, subs)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	if !res["search"].ok() {
		return crm.RelatedResult{}, res["search"].err(ps.op)
	}
	var hits soslAnswer
	if err := json.Unmarshal(res["search"].Body, &hits); err != nil {
		return crm.RelatedResult{}, &crm.Error{Code: crm.Internal, Op: ps.op, Message: "unreadable answer from Salesforce", Err: err}
	}
	out := crm.RelatedResult{Records: c.phoneMatches(ps, hits.SearchRecords)}
	if len(out.Records) != 1 {
		return out, nil
	}
	if first, _ := hits.SearchRecords[0]["Id"].(string); first != out.Records[0].ID {
		return crm.SingleRelated(ctx, c, out, related), nil
	}
	if caseField(out.Records[0].Entity) != "" {
		out.Records[0].Related, out.RelatedErr = c.openCases("salesforce: open cases", res["open"])
	}
	return out, nil
}

// SearchByEmailWithRelated is SearchByEmail in one composite request: one
// query per entity with email fields, each followed by the open cases of
// its first record where the entity has cases. The single match of the
// search is the first record of its entity's query, so its cases are in
// the answer. More than five queries fall back to the calls one by one.
func (c *connector) SearchByEmailWithRelated(ctx context.Context, s crm.EmailSearch, related int) (crm.RelatedResult, error) {
	es, err := newEmailSearch(s)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	related = clampLimit(related, 5)
	var subs []subrequest
	queries := 0
	for i, p := range es.plans {
		where := es.where(p)
		if where == "" {
			continue
		}
		ref := "q" + strconv.Itoa(i)
		subs = append(subs, subrequest{Method: http.MethodGet, URL: c.getURL("query/", p.soql(where, es.limit)), ReferenceID: ref})
		queries++
		if caseField(p.entity) != "" {
			subs = append(subs, c.openCasesSubrequest("open"+strconv.Itoa(i), ref+".records[0].Id", related))
			queries++
		}
	}
	if queries > maxCompositeQueries || len(subs) > maxCompositeSubrequests {
		recs, err := c.SearchByEmail(ctx, s)
		return crm.SingleRelated(ctx, c, crm.RelatedResult{Records: recs}, related), err
	}
	res, err := c.composite(ctx, es.op, subs)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	var out crm.RelatedResult
	from := -1 // the plan the first record came from
	for i, p := range es.plans {
		if len(out.Records) >= es.limit {
			break // the calls one by one would not have asked the rest
		}
		r, asked := res["q"+strconv.Itoa(i)]
		if !asked {
			continue
		}
		if !r.ok() {
			return crm.RelatedResult{}, r.err(es.op)
		}
		var page struct {
			Done    bool             `json:"done"`
			Records []map[string]any `json:"records"`
		}
		if err := json.Unmarshal(r.Body, &page); err != nil {
			return crm.RelatedResult{}, &crm.Error{Code: crm.Internal, Op: es.op, Message: "unreadable answer from Salesforce", Err: err}
		}
		if !page.Done {
			// More pages than one answer holds: follow them the usual way.
			recs, err := c.SearchByEmail(ctx, s)
			return crm.SingleRelated(ctx, c, crm.RelatedResult{Records: recs}, related), err
		}
		if len(page.Records) > 0 && from < 0 {
			from = i
		}
		for _, raw := range page.Records {
			if len(out.Records) == es.limit {
				break
			}
			out.Records = append(out.Records, c.toRecord(raw, p.display))
		}
	}
	if len(out.Records) == 1 && caseField(es.plans[from].entity) != "" {
		out.Records[0].Related, out.RelatedErr = c.openCases("salesforce: open cases", res["open"+strconv.Itoa(from)])
	}
	return out, nil
}

// hasCases reports whether any planned entity can have cases.
func hasCases(plans []plan) bool {
	for _, p := range plans {
		if caseField(p.entity) != "" {
			return true
		}
	}
	return false
}
