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

// WriteRecord writes a data memorialization. Create mode makes one record
// of m.Entity related to the links: a conversation or KObject for the first
// linked customer, a message into the first linked conversation (else for
// the first linked customer), a note into the first linked conversation, a
// customer or company; every one carries the key in externalId, which
// FindWrite reads back (findwrite.go). Update mode patches every linked
// record of m.Entity.
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
	if _, set := body["externalId"]; set {
		return crm.WriteResult{}, crm.Refusal(op, "fields.externalId", "externalId is set by crmflow from the write key")
	}
	body["externalId"] = m.Key
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
		// FindWrite reads the linked conversation's notes for the key, so
		// the note goes there and nowhere else.
		if _, set := body["conversation"]; set {
			return crm.WriteResult{}, crm.Refusal(op, "fields.conversation", "a note goes into the first linked conversation, where crmflow finds it again: link the conversation instead")
		}
		if conversation == "" {
			return crm.WriteResult{}, crm.Refusal(op, "links", "a note needs a linked conversation")
		}
		body["conversation"] = conversation
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
