package crm

import (
	"fmt"
	"net/http"
	"sort"
)

// EntityDef describes a standard entity a CRM type offers for create workflows.
type EntityDef struct {
	Entity string
	Label  string
	// Fields are the standard fields a standard-create workflow accepts.
	Fields []string
}

// Driver describes one CRM type: how to build its connector and what it offers
// before any connection exists (labels, host rules, the workflow catalog).
type Driver struct {
	Type  Type
	Label string
	// DefaultAPIVersion is used when a configuration names none.
	DefaultAPIVersion string
	// HostAllowed reports whether a production baseUrl host fits this CRM type.
	HostAllowed func(host string) bool
	// TokenHostAllowed reports whether a production auth.tokenUrl host fits; nil
	// means the token URL must be on the baseUrl host (or the CRM has none).
	TokenHostAllowed func(host string) bool
	// AuthTypes are the auth types this CRM accepts.
	AuthTypes []AuthType
	// AppHostAllowed reports whether a production appUrl host fits; nil means
	// the CRM takes no appUrl other than its baseUrl host.
	AppHostAllowed func(host string) bool
	// StandardEntities feed the built-in create workflows.
	StandardEntities []EntityDef
	// CanonicalEntity maps every documented spelling of an entity (object
	// name, resource name, type id, custom object name) to the one the
	// driver uses in URLs, results and cards, or refuses it with a Refusal
	// naming "entity". Callers use Driver.Canonical.
	CanonicalEntity func(name string) (string, error)
	// MappingCheck refuses at save time what a mapping's entity, mode or
	// fields can never do on this CRM; callers use Driver.CheckMapping.
	MappingCheck func(m MappingCheck) error
	// ConfigCheck refuses at save time what the CRM needs of a
	// configuration beyond what New checks (New may default it for a
	// direct caller): a refusal naming its field, say Oracle's
	// auth.applicationContext. nil: nothing more.
	ConfigCheck func(cfg Config) error
	// Fields are the formats and lengths the driver knows of its CRM's
	// fields, by entity and field name in lower case, for memorialization
	// (Driver.FieldSpec); nil when it knows none.
	Fields map[string]map[string]FieldSpec
	// Example is a configuration a production account of this CRM could
	// have, one the host rules and checks above accept (made-up names and
	// secrets): the host-rule and security tests start from it, so they
	// need no table of CRMs of their own.
	Example Example
	New     func(cfg Config, hc *http.Client) (Connector, error)
}

// Example is a fitting configuration of a CRM type.
type Example struct {
	BaseURL     string // https://acme.my.salesforce.com
	Auth        Auth   // with TokenURL when the auth type fetches tokens
	Credentials Credentials
}

// Registry holds drivers by CRM type.
type Registry struct {
	drivers map[Type]Driver
}

// NewRegistry returns a registry holding the given drivers.
func NewRegistry(ds ...Driver) *Registry {
	r := &Registry{drivers: map[Type]Driver{}}
	for _, d := range ds {
		r.Register(d)
	}
	return r
}

// Register adds or replaces a driver.
func (r *Registry) Register(d Driver) { r.drivers[d.Type] = d }

// Driver returns the driver of a type.
func (r *Registry) Driver(t Type) (Driver, bool) {
	d, ok := r.drivers[t]
	return d, ok
}

// Types lists the registered types, sorted.
func (r *Registry) Types() []Type {
	out := make([]Type, 0, len(r.drivers))
	for t := range r.drivers {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// New builds a connector for cfg.
func (r *Registry) New(cfg Config, hc *http.Client) (Connector, error) {
	d, ok := r.drivers[cfg.Type]
	if !ok {
		return nil, fmt.Errorf("crm: no driver for type %q", cfg.Type)
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = d.DefaultAPIVersion
	}
	return d.New(cfg, hc)
}

// StandardEntity finds a standard entity definition of a driver, by any
// spelling the driver takes.
func (d Driver) StandardEntity(entity string) (EntityDef, bool) {
	canon, err := d.Canonical(entity)
	if err != nil {
		return EntityDef{}, false
	}
	for _, e := range d.StandardEntities {
		if e.Entity == canon {
			return e, true
		}
	}
	return EntityDef{}, false
}
