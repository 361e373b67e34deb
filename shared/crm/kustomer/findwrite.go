package kustomer

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// maxNotePages bounds how many pages of a conversation's notes FindWrite
// reads for a note's key: 5,000 notes. A conversation with more is an
// error, never "not written": a guess there could write the note twice.
const maxNotePages = 50

// FindWrite looks an earlier write up by its key in externalId, always by a
// read of the records themselves, never by the search (POST
// /v1/customers/search), whose index lags:
//
//   - a timeline message or a message: GET /v1/messages/externalid={key};
//   - a customer: GET /v1/customers/externalId={key};
//   - a conversation: GET /v1/conversations/externalId={key};
//   - a KObject: GET /v1/klasses/{name}/externalId={key};
//   - a company: GET /v1/companies?externalId={key}, the company list
//     filtered by its unique external id (Kustomer has no company lookup
//     path);
//   - a note: the notes of the first linked conversation, where the write
//     put it (GET /v1/conversations/{id}/notes, paged): Kustomer has no
//     note lookup by externalId.
//
// A record is taken only when its externalId is the key.
func (c *connector) FindWrite(ctx context.Context, l crm.WriteLookup) (crm.WriteResult, bool, error) {
	const op = "kustomer: find write"
	o := object{entity: entMessage}
	switch l.Kind {
	case crm.WriteActivity:
	case crm.WriteMemorialization:
		var err error
		if o, err = resolve(op, l.Entity); err != nil {
			return crm.WriteResult{}, false, err
		}
	default:
		return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind")
	}
	if err := checkKey(op, l.Key); err != nil {
		return crm.WriteResult{}, false, err
	}
	objOp := op + " " + o.entity
	var (
		res   resource
		found bool
		err   error
	)
	switch o.entity {
	case entCompany:
		res, found, err = c.findCompany(ctx, objOp, l.Key)
	case entNote:
		res, found, err = c.findNote(ctx, objOp, l)
	default:
		res, found, err = c.findByLookup(ctx, objOp, o, l.Key)
	}
	if err != nil || !found {
		return crm.WriteResult{}, false, err
	}
	if o.entity == entMessage {
		return messageResult(c, res), true, nil
	}
	c.remember(res.ID, res.rel("customer"))
	return crm.WriteResult{Records: []crm.Ref{{Entity: o.entity, ID: res.ID}}}, true, nil
}

// findByLookup is Kustomer's exact externalId lookup of customers,
// conversations, messages and KObjects (404: none holds the key).
func (c *connector) findByLookup(ctx context.Context, op string, o object, key string) (resource, bool, error) {
	res, err := c.read(ctx, op, o.lookupPath("externalId", key))
	if crm.CodeOf(err) == crm.NotFound {
		return resource{}, false, nil
	}
	if err != nil {
		return resource{}, false, err
	}
	return res, keyOf(res) == key, nil
}

// findCompany reads GET /v1/companies?externalId={key}: one page suffices,
// as a company's externalId is unique. The filter's attribute is
// unconfirmed (doc.go): a page without the key that looks unfiltered (more
// than one record, or a next page) is an error, never "not written": were
// the filter ignored, a guess there could create the company twice.
func (c *connector) findCompany(ctx context.Context, op, key string) (resource, bool, error) {
	q := url.Values{"externalId": {key}, "page": {"1"}, "pageSize": {strconv.Itoa(pageLimit)}}
	var page list
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: collections[entCompany], Query: q.Encode()}, &page); err != nil {
		return resource{}, false, err
	}
	if res, ok := withKey(page.Data, key); ok {
		return res, true, nil
	}
	if len(page.Data) > 1 || page.Links.Next != "" {
		return resource{}, false, &crm.Error{Code: crm.Internal, Op: op,
			Message: "the company list answered " + strconv.Itoa(len(page.Data)) + " records without the key (or a next page): it looks unfiltered by externalId, so the lookup cannot be trusted"}
	}
	return resource{}, false, nil
}

// withKey is the record of a page whose externalId is key, if any.
func withKey(data []resource, key string) (resource, bool) {
	for _, res := range data {
		if keyOf(res) == key && idShape.MatchString(res.ID) {
			return res, true
		}
	}
	return resource{}, false
}

// findNote reads the notes of the first linked conversation for the key.
// Without links the conversation is unknown: that is refused, not "not
// written". With no linked conversation the note was never written (the
// write refuses it).
func (c *connector) findNote(ctx context.Context, op string, l crm.WriteLookup) (resource, bool, error) {
	if l.Links == nil {
		return resource{}, false, crm.Refusal(op, "links", "a note is found in its linked conversation: the write's links are needed")
	}
	_, conversation, err := linkedIDs(op, l.Links)
	if err != nil || conversation == "" {
		return resource{}, false, err
	}
	call := crmhttp.Call{Op: op, Method: http.MethodGet, Path: "/v1/conversations/" + conversation + "/notes"}
	q := url.Values{"page": {"1"}, "pageSize": {strconv.Itoa(pageLimit)}}
	var (
		res   resource
		found bool
	)
	more, err := c.eachPage(ctx, call, q, maxNotePages, func(page list) bool {
		res, found = withKey(page.Data, l.Key)
		return found
	})
	switch {
	case crm.CodeOf(err) == crm.NotFound:
		return resource{}, false, nil // no such conversation: the note cannot be in it
	case err != nil:
		return resource{}, false, err
	case found:
		return res, true, nil
	case more:
		return resource{}, false, &crm.Error{Code: crm.Internal, Op: op,
			Message: "the linked conversation has more notes than FindWrite reads (" + strconv.Itoa(maxNotePages*pageLimit) + ")"}
	}
	return resource{}, false, nil
}

// keyOf is a resource's externalId.
func keyOf(res resource) string {
	k, _ := res.Attributes["externalId"].(string)
	return k
}
