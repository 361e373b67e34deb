package kustomer

import (
	"net/url"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// Entities the driver addresses. KObjects (custom objects) are named
// kobject.{klassName}.
const (
	entCustomer     = "customer"
	entCompany      = "company"
	entConversation = "conversation"
	entMessage      = "message"
	entNote         = "note"
	kobjectPrefix   = "kobject."
)

// collections are the /v1 collection paths of the standard objects.
var collections = map[string]string{entCustomer: "/v1/customers", entCompany: "/v1/companies",
	entConversation: "/v1/conversations", entMessage: "/v1/messages", entNote: "/v1/notes"}

// idShape is a Kustomer record id: 24 hex digits (a MongoDB ObjectId).
var idShape = lazyre.New(`^[0-9a-f]{24}$`)

// object is an entity as the driver addresses it.
type object struct {
	entity string // as the caller named it
	klass  string // KObjects only
}

func (o object) isKObject() bool { return o.klass != "" }

// collection is the object's collection path.
func (o object) collection() string {
	if o.isKObject() {
		return "/v1/klasses/" + url.PathEscape(o.klass)
	}
	return collections[o.entity]
}

// path is one record's path, the id already checked.
func (o object) path(id string) string { return o.collection() + "/" + id }

// lookupPath is the exact lookup by a key (externalId, email, phone): the
// value is path-escaped, so it stays one path segment. Kustomer's
// reference spells the message lookup /v1/messages/externalid=… (lower
// case), the others …/externalId=….
func (o object) lookupPath(key, value string) string {
	if o.entity == entMessage && key == "externalId" {
		key = "externalid"
	}
	return o.collection() + "/" + key + "=" + url.PathEscape(value)
}

// resolve is canonicalEntity behind the generic shape check, with op
// naming the action refused.
func resolve(op, entity string) (object, error) {
	return resolveAt(op, "entity", entity)
}

// resolveAt is resolve for an entity named at field ("links[0].entity").
func resolveAt(op, field, entity string) (object, error) {
	canon, err := Driver().Canonical(entity)
	if err != nil {
		e, _ := crm.AsRefusal(err)
		e.Op, e.Field = op, field
		return object{}, e
	}
	o := object{entity: canon}
	if k, ok := strings.CutPrefix(canon, kobjectPrefix); ok {
		o.klass = k
	}
	return o, nil
}

// checkRef resolves a record reference: its entity and its id's shape.
func checkRef(op string, ref crm.Ref) (object, error) {
	return checkRefAt(op, "", ref)
}

// checkRefAt is checkRef for a reference named at prefix ("links[0]."):
// refusals name prefix+"entity" or prefix+"id".
func checkRefAt(op, prefix string, ref crm.Ref) (object, error) {
	o, err := resolveAt(op, prefix+"entity", ref.Entity)
	if err != nil {
		return object{}, err
	}
	if !idShape.MatchString(ref.ID) {
		return object{}, crm.Refusal(op, prefix+"id", "record id %s is not a Kustomer id (24 hex digits)", quoteName(ref.ID))
	}
	return o, nil
}

// quoteName quotes a caller-given name for an error message, shortened so
// that a long value cannot flood it.
func quoteName(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return `"` + s + `"`
}
