package hubspot

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/crmflow/crmflow/shared/lazyre"
)

// maxUniqueProperties is how many unique-value properties one object type
// may have (HubSpot: "a maximum of 10 unique properties", developer
// changelog "Unique Properties support for newly created Contact
// properties").
const maxUniqueProperties = 10

// propertyNameShape is a custom property's internal name: lower-case
// letters, digits and underscores, starting with a letter (HubSpot's
// generated names; the exact rule is not in the reference).
var propertyNameShape = lazyre.New(`^[a-z][a-z0-9_]{0,99}$`)

// propertyCreate is PropertyCreate of spec:CRM/Properties/…/v3/properties.json.
type propertyCreate struct {
	Name                 string           `json:"name"`
	Label                string           `json:"label"`
	Type                 string           `json:"type"`
	FieldType            string           `json:"fieldType"`
	GroupName            string           `json:"groupName"`
	Description          string           `json:"description"`
	HasUniqueValue       bool             `json:"hasUniqueValue"`
	Hidden               bool             `json:"hidden"`
	FormField            bool             `json:"formField"`
	DisplayOrder         *int             `json:"displayOrder"`
	Options              []map[string]any `json:"options"`
	ExternalOptions      bool             `json:"externalOptions"`
	ReferencedObjectType string           `json:"referencedObjectType"`
	CalculationFormula   string           `json:"calculationFormula"`
	DataSensitivity      string           `json:"dataSensitivity"`
	NumberDisplayHint    string           `json:"numberDisplayHint"`
	TextDisplayHint      string           `json:"textDisplayHint"`
	ShowCurrencySymbol   bool             `json:"showCurrencySymbol"`
	CurrencyPropertyName string           `json:"currencyPropertyName"`
}

// propertyKinds maps PropertyCreate's type to the sandbox's kinds.
var propertyKinds = map[string]kind{"string": kindText, "phone_number": kindText, "number": kindNumber,
	"datetime": kindDateTime, "date": kindDateTime, "enumeration": kindEnum, "bool": kindEnum}

// handleCreateProperty is POST /crm/v3/properties/{objectType}: 201 with the
// definition. A name the object has already is a 409 CONFLICT; a unique
// property on an object that cannot have one, or an eleventh, a 400.
func (s *Server) handleCreateProperty(w http.ResponseWriter, r *http.Request, t *objectType) {
	var body propertyCreate
	if err := decodeBody(r, &body); err != nil {
		s.writeAPIError(w, err)
		return
	}
	s.mu.Lock()
	def, err := s.createProperty(t, body)
	s.mu.Unlock()
	if err != nil {
		s.writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, def)
}

func (s *Server) createProperty(t *objectType, b propertyCreate) (map[string]any, *apiError) {
	for _, req := range [][2]string{{"name", b.Name}, {"label", b.Label}, {"type", b.Type}, {"fieldType", b.FieldType}, {"groupName", b.GroupName}} {
		if req[1] == "" {
			return nil, validation("%s is required", req[0])
		}
	}
	k, ok := propertyKinds[b.Type]
	if !ok {
		return nil, validation("type %s is not one of bool, date, datetime, enumeration, number, phone_number, string", b.Type)
	}
	if !propertyNameShape.MatchString(b.Name) {
		return nil, validation("name %s: property names hold lower-case letters, digits and underscores and start with a letter", b.Name)
	}
	if _, exists := t.props[b.Name]; exists {
		return nil, &apiError{status: http.StatusConflict, category: catConflict,
			message: fmt.Sprintf("A property named '%s' already exists for object type %s", b.Name, t.id)}
	}
	if !slices.Contains(t.groups, b.GroupName) {
		return nil, validation("groupName %s is not a property group of %s", b.GroupName, t.name)
	}
	if b.HasUniqueValue {
		if !t.uniqueAllowed {
			return nil, validation("%s properties cannot require unique values", t.name)
		}
		if len(t.unique) >= maxUniqueProperties {
			return nil, validation("%s has %d unique properties already, the most an object may have", t.name, maxUniqueProperties)
		}
	}
	s.addProperty(t, b.Name, propDef{kind: k}, b.Label, b.HasUniqueValue)
	return propertyDefinition(t, b.Name, slices.Index(sortedKeys(t.props), b.Name)), nil
}

// addProperty defines a custom property; the caller holds s.mu (or is New).
func (s *Server) addProperty(t *objectType, name string, def propDef, label string, unique bool) {
	t.props[name] = def
	if t.labels == nil {
		t.labels = map[string]string{}
	}
	t.labels[name] = label
	t.custom = append(t.custom, name)
	if unique {
		t.unique = append(t.unique, name)
	}
}

// handleGetProperty is GET /crm/v3/properties/{objectType}/{propertyName}:
// the definition, or 404 OBJECT_NOT_FOUND.
func (s *Server) handleGetProperty(w http.ResponseWriter, r *http.Request, t *objectType) {
	name := r.PathValue("propertyName")
	s.mu.Lock()
	var def map[string]any
	if _, ok := t.props[name]; ok {
		def = propertyDefinition(t, name, slices.Index(sortedKeys(t.props), name))
	}
	s.mu.Unlock()
	if def == nil {
		s.writeAPIError(w, &apiError{status: http.StatusNotFound, category: catNotFound,
			message: fmt.Sprintf("Unable to find property %s on object type %s", name, t.id)})
		return
	}
	writeJSON(w, http.StatusOK, def)
}

// handlePropertyGroups is GET /crm/v3/properties/{objectType}/groups.
func (s *Server) handlePropertyGroups(w http.ResponseWriter, r *http.Request, t *objectType) {
	results := []map[string]any{}
	for i, g := range t.groups {
		results = append(results, map[string]any{"name": g, "label": titleCase(g), "displayOrder": i, "archived": false})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// isUnique says whether name is a unique-value property of t (hs_object_id
// always is); the caller holds s.mu.
func isUnique(t *objectType, name string) bool {
	return name == "hs_object_id" || slices.Contains(t.unique, name)
}

// byIDProperty finds the record whose idProperty is value: the record id
// itself for "" and hs_object_id, else the unique property's exact value.
// An idProperty that is no unique property of t is a 400, as HubSpot takes
// only "a property whose values are unique for this object type" (objects
// spec, idProperty); the caller holds s.mu.
func (s *Server) byIDProperty(t *objectType, idProperty, value string) (*object, *apiError) {
	if idProperty == "" || idProperty == "hs_object_id" {
		if o, ok := s.find(t, value); ok {
			return o, nil
		}
		return nil, notFound()
	}
	if !isUnique(t, idProperty) {
		return nil, validation("idProperty %s is not a unique property of %s", idProperty, t.name)
	}
	for _, id := range s.order[t.id] {
		if o := s.objects[t.id][id]; o.props[idProperty] == value {
			return o, nil
		}
	}
	return nil, notFound()
}

// checkUnique refuses a value of a unique property that another record of
// t holds already, and a second contact with the same email. HubSpot
// documents the contact's answer (409 CONFLICT, "Contact already exists.
// Existing ID: …"); no source gives the answer for a custom unique
// property, so the sandbox answers it the same way (409 CONFLICT, naming
// the property and the existing id). The caller holds s.mu.
func (s *Server) checkUnique(t *objectType, props map[string]string, self string) *apiError {
	if email := props["email"]; t.name == "contacts" && email != "" {
		for _, id := range s.order[t.id] {
			if o := s.objects[t.id][id]; id != self && strings.EqualFold(o.props["email"], email) {
				return &apiError{status: http.StatusConflict, category: catConflict, message: "Contact already exists. Existing ID: " + id}
			}
		}
	}
	for _, name := range t.unique {
		v := props[name]
		if v == "" {
			continue
		}
		for _, id := range s.order[t.id] {
			if o := s.objects[t.id][id]; id != self && o.props[name] == v {
				return &apiError{status: http.StatusConflict, category: catConflict,
					message: fmt.Sprintf("A %s with %s %s already exists. Existing ID: %s", strings.ToLower(t.label), name, v, id)}
			}
		}
	}
	return nil
}
