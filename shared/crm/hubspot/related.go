package hubspot

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

const (
	// maxAssociated bounds how many associated ticket ids RelatedOpen reads,
	// and maxTicketsRead how many of them (the newest ids) it fetches.
	maxAssociated  = 1000
	maxTicketsRead = 200
	assocPageLimit = 500
	batchReadLimit = 100
	// stagesTTL is how long the closed ticket stages are trusted: pipelines
	// change rarely, and a stale list only shows a ticket a little longer.
	stagesTTL = 10 * time.Minute
)

var tickets = object{entity: "tickets", typeID: typeTicket}

// ticketFields are shown for a person's open tickets.
var ticketFields = []string{"subject", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority", "createdate"}

// RelatedOpen lists the open tickets associated with a record (a contact
// or company), most recently modified first: the ticket ids from the v4
// associations API, the tickets from a batch read, and "open" from the
// pipelines API — a ticket is open unless its stage's metadata.ticketState
// is CLOSED, in whichever pipeline it is.
func (c *connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	const op = "hubspot: related open tickets"
	o, err := checkRefAt(op, "person.", person)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 5
	}
	ids, err := c.associatedIDs(ctx, op, o, person.ID, tickets)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	closed, err := c.closedTicketStages(ctx)
	if err != nil {
		return nil, err
	}
	found, err := c.batchRead(ctx, op, tickets, newest(ids, maxTicketsRead), readList(typeTicket, ticketFields))
	if err != nil {
		return nil, err
	}
	var open []crm.Record
	p := c.portal(ctx)
	for _, h := range found {
		pipeline, _ := h.Properties["hs_pipeline"].(string)
		stage, _ := h.Properties["hs_pipeline_stage"].(string)
		if !closed[pipeline+"/"+stage] {
			open = append(open, p.toRecord(tickets, h, ticketFields))
		}
	}
	slices.SortStableFunc(open, func(a, b crm.Record) int { return b.Updated.Compare(a.Updated) })
	if len(open) > limit {
		open = open[:limit]
	}
	return open, nil
}

// associatedIDs pages through GET /crm/v4/objects/{from}/{id}/associations/{to}.
func (c *connector) associatedIDs(ctx context.Context, op string, from object, id string, to object) ([]string, error) {
	path := "/crm/v4/objects/" + url.PathEscape(from.entity) + "/" + id + "/associations/" + url.PathEscape(to.entity)
	q := url.Values{"limit": {strconv.Itoa(assocPageLimit)}}
	var ids []string
	for len(ids) < maxAssociated {
		var page struct {
			Results []struct {
				ToObjectID json.Number `json:"toObjectId"`
			} `json:"results"`
			Paging *struct {
				Next *struct {
					After string `json:"after"`
				} `json:"next"`
			} `json:"paging"`
		}
		if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: path, Query: q.Encode()}, &page); err != nil {
			return nil, err
		}
		for _, a := range page.Results {
			if s := a.ToObjectID.String(); recordIDShape.MatchString(s) && !slices.Contains(ids, s) {
				ids = append(ids, s)
			}
		}
		if page.Paging == nil || page.Paging.Next == nil || page.Paging.Next.After == "" || len(page.Results) == 0 {
			break
		}
		q.Set("after", page.Paging.Next.After)
	}
	return ids, nil
}

// newest keeps the n highest ids: HubSpot ids grow with creation, so these
// are the most recently created records.
func newest(ids []string, n int) []string {
	sorted := slices.Clone(ids)
	slices.SortFunc(sorted, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(b, a)
	})
	if len(sorted) > n {
		sorted = sorted[:n]
	}
	return sorted
}

// batchRead reads records by id, 100 a request. A 207 answer lists ids it
// could not read (OBJECT_NOT_FOUND: deleted since they were associated);
// those are left out, any other partial error fails the read.
func (c *connector) batchRead(ctx context.Context, op string, o object, ids, props []string) ([]hsObject, error) {
	var out []hsObject
	for start := 0; start < len(ids); start += batchReadLimit {
		chunk := ids[start:min(start+batchReadLimit, len(ids))]
		inputs := make([]map[string]string, len(chunk))
		for i, id := range chunk {
			inputs[i] = map[string]string{"id": id}
		}
		var page struct {
			Results []hsObject `json:"results"`
			Errors  []struct {
				Category string `json:"category"`
				Message  string `json:"message"`
			} `json:"errors"`
		}
		r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: objectPath(o, "") + "/batch/read",
			Body: map[string]any{"properties": props, "inputs": inputs}}, &page)
		if err != nil {
			return nil, err
		}
		for _, e := range page.Errors {
			if e.Category != catNotFound {
				return nil, &crm.Error{Code: classify(http.StatusBadRequest, errorBody{Category: e.Category}), Op: op,
					Status: r.Status, CRMCode: e.Category, Message: crmtext.Truncate(e.Message, maxMessage)}
			}
		}
		out = append(out, page.Results...)
	}
	return out, nil
}

// closedTicketStages is the set of "pipeline/stage" ids whose ticketState
// is CLOSED, from GET /crm/v3/pipelines/tickets, cached for stagesTTL.
func (c *connector) closedTicketStages(ctx context.Context) (map[string]bool, error) {
	v, err := c.closedStages.Get(ctx, c.fetchClosedStages)
	if err != nil {
		if _, ok := crm.AsError(err); ok {
			return nil, err
		}
		return nil, crmhttp.TransportError("hubspot: read ticket pipelines", err)
	}
	closed := map[string]bool{}
	for _, k := range strings.Fields(v) {
		closed[k] = true
	}
	return closed, nil
}

// fetchClosedStages reads the ticket pipelines into the cache's string form:
// the closed "pipeline/stage" ids separated by spaces ("-" when none, since
// the cache treats an empty value as missing).
func (c *connector) fetchClosedStages(ctx context.Context) (crmhttp.Token, error) {
	const op = "hubspot: read ticket pipelines"
	var answer struct {
		Results []struct {
			ID     string `json:"id"`
			Stages []struct {
				ID       string `json:"id"`
				Metadata struct {
					TicketState string `json:"ticketState"`
				} `json:"metadata"`
			} `json:"stages"`
		} `json:"results"`
	}
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "/crm/v3/pipelines/tickets"}, &answer); err != nil {
		return crmhttp.Token{}, err
	}
	closed := []string{"-"}
	for _, pl := range answer.Results {
		for _, st := range pl.Stages {
			if strings.EqualFold(st.Metadata.TicketState, "CLOSED") {
				closed = append(closed, pl.ID+"/"+st.ID)
			}
		}
	}
	return crmhttp.Token{Value: strings.Join(closed, " "), Expires: time.Now().Add(stagesTTL)}, nil
}
