package crm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/crmflow/crmflow/shared/lazyre"
)

// entityShape is the widest entity spelling any CRM documents: object names
// (Contact, CO.CallNote, kobject.call_note), resource names (contacts,
// sn_customerservice_case) and type ids (0-1, 2-9001). A driver's own
// CanonicalEntity decides what its CRM takes; this only keeps a name fit for
// a URL path segment or a query before the driver sees it.
var entityShape = lazyre.New(`^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,254}$`)

// ValidEntityName reports whether name can be an entity name of some CRM.
func ValidEntityName(name string) bool { return entityShape.MatchString(name) }

// Refusal is a driver's own refusal of an argument, before any CRM call
// (a bad entity, field name or id shape). field is relative to the input the
// driver was given: "entity", "id", "fields.Subject", "fields[2].target".
// The edge answers it 400 INVALID_ARGUMENT with the message, never 422: it is
// the caller's to fix, and the CRM never saw it.
func Refusal(op, field, format string, args ...any) *Error {
	return &Error{Code: InvalidArgument, Op: op, Field: field, Message: fmt.Sprintf(format, args...)}
}

// IsRefusal reports whether e is a driver's own refusal (no CRM answer).
func (e *Error) IsRefusal() bool {
	return e.Code == InvalidArgument && e.Status == 0 && e.CRMCode == ""
}

// AsRefusal finds a driver's own refusal in err's chain.
func AsRefusal(err error) (*Error, bool) {
	e, ok := AsError(err)
	if !ok || !e.IsRefusal() {
		return nil, false
	}
	return e, true
}

// Canonical returns the CRM's canonical spelling of an entity name, or a
// Refusal naming "entity". Every action normalizes through it.
func (d Driver) Canonical(entity string) (string, error) {
	entity = strings.TrimSpace(entity)
	if !ValidEntityName(entity) {
		return "", Refusal(string(d.Type)+": entity", "entity", "%s is not an entity name", QuoteName(entity))
	}
	if d.CanonicalEntity == nil {
		return entity, nil
	}
	return d.CanonicalEntity(entity)
}

// MappingKind says which kind of mapping a MappingCheck is about.
type MappingKind string

const (
	// MappingMemorialization is a data memorialization mapping: Entity,
	// Mode and Targets are set.
	MappingMemorialization MappingKind = "datamemorialization"
	// MappingSearch is one entity of a dynamic data mapping: Entity,
	// SearchFields and DisplayFields are set.
	MappingSearch MappingKind = "search"
)

// MappingCheck is a mapping as it is about to be saved, its entity already
// canonical (Driver.Canonical).
type MappingCheck struct {
	Kind          MappingKind
	Entity        string
	Mode          WriteMode
	Targets       []string
	SearchFields  []string
	DisplayFields []string
}

// CheckMapping refuses a mapping the driver could never carry out, with a
// Refusal whose Field is "entity", "mode", "fields[i].target",
// "searchFields[i]" or "displayFields[i].name". It needs no CRM call: names
// only the CRM knows (custom fields) pass, and a configuration test
// (Inspector) checks them against the CRM's metadata.
func (d Driver) CheckMapping(m MappingCheck) error {
	if d.MappingCheck == nil {
		return nil
	}
	return d.MappingCheck(m)
}

// QuoteName quotes a caller-given name for an error message, shortened so a
// long value cannot flood it.
func QuoteName(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return `"` + s + `"`
}

// FieldMeta is one field as the CRM's metadata describes it.
type FieldMeta struct {
	// Name is the field as the driver takes it in fields, filters and
	// mappings (dotted paths for nested attributes).
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	// Type is the CRM's own type name (string, phone, datetime, picklist…).
	Type string `json:"type,omitempty"`
}

// EntityMeta is what the CRM's metadata says of one entity.
type EntityMeta struct {
	Entity string      `json:"entity"`
	Label  string      `json:"label,omitempty"`
	Fields []FieldMeta `json:"fields"`
}

// Field finds a field by name; CRM field names are compared without case, as
// every CRM here treats them or refuses a near miss anyway.
func (m EntityMeta) Field(name string) (FieldMeta, bool) {
	for _, f := range m.Fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return FieldMeta{}, false
}

// Inspector is what a configuration test needs from a connector: proof that
// the credentials work, one record of an entity, and the entity's metadata.
type Inspector interface {
	// Ping makes the cheapest authenticated call the CRM offers.
	Ping(ctx context.Context) error
	// Sample reads one record of entity (any); found is false when it has none.
	Sample(ctx context.Context, entity string) (rec Record, found bool, err error)
	// Describe reads entity's fields from the CRM's metadata API.
	Describe(ctx context.Context, entity string) (EntityMeta, error)
}

// WriteKeySetter is an optional interface of a connector whose CRM keeps
// write keys in a field the account must have first (HubSpot: a
// unique-value property per object type). The configuration test calls it
// after authenticating: it makes what is missing for the timeline object
// and for entities (the create-mode data mappings' entities) and says what
// it made. It is the one write a configuration test makes, and it is
// idempotent: a second run makes nothing. A wrapper around connectors
// (the breaker guard) answers ErrNoWriteKeySetup for one without it.
type WriteKeySetter interface {
	SetUpWriteKeys(ctx context.Context, entities []string) (made []string, err error)
}

// ErrNoWriteKeySetup is a WriteKeySetter's answer when its CRM needs no
// write-key set-up.
var ErrNoWriteKeySetup = errors.New("crm: this CRM needs no write-key set-up")

// FieldFormat is how a CRM field wants the value a memorialization maps
// into it.
type FieldFormat int

const (
	FieldNatural  FieldFormat = iota // unknown field: the source's own form
	FieldText                        // a string, cut to MaxLen
	FieldDate                        // 2006-01-02
	FieldDateTime                    // RFC 3339, UTC
	FieldSeconds                     // a duration as whole seconds
	FieldMinutes                     // a duration as whole minutes, rounded up
	FieldMillis                      // a duration as milliseconds
)

// FieldSpec is what a driver knows of one of its CRM's fields.
type FieldSpec struct {
	Format FieldFormat
	MaxLen int // 0: no known limit
}

// FieldSpec looks up what the driver knows of entity's field (names
// compared in lower case); ok is false for a field it knows nothing of,
// which then gets the source's natural form and no cut (the CRM refuses
// what does not fit, and the job fails with its message).
func (d Driver) FieldSpec(entity, field string) (FieldSpec, bool) {
	f, ok := d.Fields[strings.ToLower(entity)][strings.ToLower(field)]
	return f, ok
}
