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

// klassName is a Klass (custom object type) name as the driver accepts it.
var klassName = lazyre.New(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

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
// value is path-escaped, so it stays one path segment.
func (o object) lookupPath(key, value string) string {
	return o.collection() + "/" + key + "=" + url.PathEscape(value)
}

func resolve(op, entity string) (object, error) {
	if _, ok := collections[entity]; ok {
		return object{entity: entity}, nil
	}
	if k, ok := strings.CutPrefix(entity, kobjectPrefix); ok && klassName.MatchString(k) {
		return object{entity: entity, klass: k}, nil
	}
	return object{}, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "entity " + quoteName(entity) +
		" is not a Kustomer object: use customer, company, conversation, message, note or kobject.{klassName}"}
}

func checkRef(op string, ref crm.Ref) (object, error) {
	o, err := resolve(op, ref.Entity)
	if err != nil {
		return object{}, err
	}
	if !idShape.MatchString(ref.ID) {
		return object{}, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "record id " + quoteName(ref.ID) +
			" is not a Kustomer id (24 hex digits)"}
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
