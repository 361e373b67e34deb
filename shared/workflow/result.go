package workflow

import (
	"sort"
	"time"

	"github.com/crmflow/crmflow/shared/connections"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

// System names the CRM a result came from.
type System struct {
	Type    crm.Type `json:"type"`
	Label   string   `json:"label"`
	BaseURL string   `json:"baseUrl"`
}

// Result is the answer of search, create and update (SPEC §3.1).
type Result struct {
	ContactID    string             `json:"contactId"`
	WorkflowID   string             `json:"workflowId"`
	Action       store.Action       `json:"action"`
	MatchCount   int                `json:"matchCount"`
	System       System             `json:"system"`
	Records      []store.CardRecord `json:"records"`
	ScreenPopURL string             `json:"screenPopUrl,omitempty"`
	// BestMatch is the search's top record when it is unambiguous: the only
	// match, or one whose score beats the next by bestMatchMargin.
	BestMatch *BestMatch `json:"bestMatch,omitempty"`
	// Complete is false when the matches are all there but their enrichment
	// (a single match's open cases) could not be read in what was left of
	// the deadline, or failed: the answer and the card hold what was found.
	Complete bool `json:"complete"`
}

func system(c *connections.Conn) System {
	return System{Type: c.Config.CRM, Label: c.Driver.Label, BaseURL: c.Config.BaseURL}
}

// displaySpec is how one entity is shown: the fields in order with labels.
type displaySpec map[string][]store.DisplayField

func displayOf(m store.DynamicDataMapping) displaySpec {
	d := displaySpec{}
	for _, e := range m.Entities {
		d[e.Entity] = e.DisplayFields
	}
	return d
}

// cardRecord shapes a CRM record for the card: the mapping's display fields in
// its order with its labels, else every returned field by name.
func cardRecord(r crm.Record, d displaySpec) store.CardRecord {
	out := store.CardRecord{Entity: r.Entity, ID: r.ID, Display: r.Display, URL: r.URL, Fields: []store.CardField{}}
	if !r.Updated.IsZero() {
		u := r.Updated.UTC().Truncate(time.Second)
		out.Updated = &u
	}
	if spec, ok := d[r.Entity]; ok && len(spec) > 0 {
		for _, f := range spec {
			label := f.Label
			if label == "" {
				label = f.Name
			}
			out.Fields = append(out.Fields, store.CardField{Name: f.Name, Label: label, Value: r.Fields[f.Name]})
		}
	} else {
		names := make([]string, 0, len(r.Fields))
		for k := range r.Fields {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			out.Fields = append(out.Fields, store.CardField{Name: k, Label: k, Value: r.Fields[k]})
		}
	}
	for _, rel := range r.Related {
		out.Related = append(out.Related, cardRecord(rel, d))
	}
	return out
}

// entitySpecs turns a dynamic data mapping into the connector's search spec.
func entitySpecs(m store.DynamicDataMapping) []crm.EntitySpec {
	var out []crm.EntitySpec
	for _, e := range m.Entities {
		spec := crm.EntitySpec{Entity: e.Entity, SearchFields: e.SearchFields}
		for _, f := range e.DisplayFields {
			spec.DisplayFields = append(spec.DisplayFields, f.Name)
		}
		out = append(out, spec)
	}
	return out
}
