package kustomer

import (
	"context"
	"fmt"
	"net/http"
	"unicode"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
)

// maxKey bounds a write key; externalIds hold more, but a job key never
// needs it.
const maxKey = 255

func checkKey(op, key string) error {
	if key == "" || len(key) > maxKey || !utf8.ValidString(key) {
		return crm.Refusal(op, "key", "write key must be 1 to 255 bytes of UTF-8")
	}
	for _, r := range key {
		if unicode.IsControl(r) {
			return crm.Refusal(op, "key", "write key must not hold control characters")
		}
	}
	return nil
}

// keyed says whether memorializations into o carry their key in externalId
// and can be found by it: conversations, messages and KObjects, which
// Kustomer looks up by externalId. Customers' and companies' externalId is
// their id in another system, and notes have no lookup, so those writes are
// guarded by the idempotency ledger alone.
func keyed(o object) bool {
	return o.entity == entConversation || o.entity == entMessage || o.isKObject()
}

// WriteRecord writes a data memorialization. Create mode makes one record
// of m.Entity related to the links: a conversation or KObject for the first
// linked customer, a message into the first linked conversation (else for
// the first linked customer), a note into the first linked conversation;
// conversations, messages and KObjects carry the key in externalId. Update
// mode patches every linked record of m.Entity.
func (c *connector) WriteRecord(ctx context.Context, m crm.Memorialization) (crm.WriteResult, error) {
	const op = "kustomer: write record"
	o, err := resolve(op, m.Entity)
	if err != nil {
		return crm.WriteResult{}, err
	}
	switch m.Mode {
	case crm.ModeCreate, "":
		return c.createWrite(ctx, op+" "+o.entity, o, m)
	case crm.ModeUpdate:
		var res crm.WriteResult
		for i, l := range m.Links {
			lo, err := checkRefAt(op, fmt.Sprintf("links[%d].", i), l)
			if err != nil {
				return res, err
			}
			if lo.entity != o.entity {
				continue
			}
			ref := crm.Ref{Entity: o.entity, ID: l.ID}
			if err := c.Update(ctx, ref, m.Fields); err != nil {
				return res, err
			}
			res.Records = append(res.Records, ref)
		}
		if len(res.Records) == 0 {
			return res, crm.Refusal(op, "links", "no linked %s record to update", o.entity)
		}
		return res, nil
	}
	return crm.WriteResult{}, crm.Refusal(op, "mode", "mode must be create or update")
}

func (c *connector) createWrite(ctx context.Context, op string, o object, m crm.Memorialization) (crm.WriteResult, error) {
	if err := checkKey(op, m.Key); err != nil {
		return crm.WriteResult{}, err
	}
	body, err := writeBody(op, o, m.Fields)
	if err != nil {
		return crm.WriteResult{}, err
	}
	if keyed(o) {
		if _, set := body["externalId"]; set {
			return crm.WriteResult{}, crm.Refusal(op, "fields.externalId", "externalId is set by crmflow from the write key")
		}
		body["externalId"] = m.Key
	}
	customer, conversation, err := linkedIDs(op, m.Links)
	if err != nil {
		return crm.WriteResult{}, err
	}
	path := o.collection()
	switch {
	case o.entity == entMessage && conversation != "" && body["conversation"] == nil && body["customer"] == nil:
		path = "/v1/conversations/" + conversation + "/messages"
	case o.entity == entMessage && customer != "" && body["conversation"] == nil && body["customer"] == nil:
		path = "/v1/customers/" + customer + "/messages"
	case o.entity == entNote:
		setDefault(body, "conversation", conversation)
		if body["conversation"] == nil {
			return crm.WriteResult{}, crm.Refusal(op, "links", "a note needs a linked conversation")
		}
		path = createPath(o, body)
	case o.entity == entConversation || o.isKObject():
		setDefault(body, "customer", customer)
	}
	res, err := c.write(ctx, op, http.MethodPost, path, body)
	if err != nil {
		return crm.WriteResult{}, err
	}
	if o.entity == entMessage {
		return messageResult(c, res), nil
	}
	c.remember(res.ID, res.rel("customer"))
	return crm.WriteResult{Records: []crm.Ref{{Entity: o.entity, ID: res.ID}}}, nil
}

func setDefault(m map[string]any, k, v string) {
	if _, set := m[k]; !set && v != "" {
		m[k] = v
	}
}

// linkedIDs are the first linked customer and conversation.
func linkedIDs(op string, links []crm.Ref) (customer, conversation string, err error) {
	for i, l := range links {
		o, err := checkRefAt(op, fmt.Sprintf("links[%d].", i), l)
		if err != nil {
			return "", "", err
		}
		switch {
		case o.entity == entCustomer && customer == "":
			customer = l.ID
		case o.entity == entConversation && conversation == "":
			conversation = l.ID
		}
	}
	return customer, conversation, nil
}

// FindWrite looks an earlier write up by its key in externalId: GET
// /v1/messages/externalId={key} for timeline messages, and the
// conversation, message or KObject lookup for memorializations into those.
// Other objects hold no key, so a memorialization into them is never found
// here (found false): the idempotency ledger alone guards those.
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
		if !keyed(o) {
			return crm.WriteResult{}, false, nil
		}
	default:
		return crm.WriteResult{}, false, crm.Refusal(op, "kind", "unknown write kind")
	}
	if err := checkKey(op, l.Key); err != nil {
		return crm.WriteResult{}, false, err
	}
	res, err := c.read(ctx, op+" "+o.entity, o.lookupPath("externalId", l.Key))
	if crm.CodeOf(err) == crm.NotFound {
		return crm.WriteResult{}, false, nil
	}
	if err != nil {
		return crm.WriteResult{}, false, err
	}
	if ext, _ := res.Attributes["externalId"].(string); ext != l.Key {
		return crm.WriteResult{}, false, nil
	}
	if o.entity == entMessage {
		return messageResult(c, res), true, nil
	}
	return crm.WriteResult{Records: []crm.Ref{{Entity: o.entity, ID: res.ID}}}, true, nil
}
