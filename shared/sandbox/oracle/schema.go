package oracle

import (
	"slices"
	"strings"
)

// node is one field of the object model: a plain value, a compound with
// children (name, emails), a named ID (id + lookupName) or a reference to
// another resource's record.
type node struct {
	name     string // as the model spells it
	children map[string]*node
	namedID  bool
	ref      string // target resource
	readOnly bool
}

func (n *node) child(name string) *node { return n.children[strings.ToLower(name)] }

// resource is one REST collection with its ROQL names.
type resource struct {
	name  string   // REST collection name: contacts
	roql  []string // other names FROM accepts: Contact
	root  *node
	lists map[string]bool // top-level fields that are lists (emails, phones, threads)
	// appendLists are lists a PATCH adds to instead of replacing (threads).
	appendLists map[string]bool
}

// Field specs: "path" plain, "path#" named ID, "path>resource" reference,
// "!path" read-only.
var resourceSpecs = []struct {
	name        string
	roql        []string
	fields      []string
	lists       []string
	appendLists []string
}{
	{name: "contacts", roql: []string{"Contact"}, fields: []string{"!id", "!lookupName", "!createdTime", "!updatedTime",
		"name.first", "name.last", "title", "login", "contactType#", "emails.address", "emails.addressType#",
		"phones.number", "!phones.rawNumber", "phones.phoneType#", "address.street", "address.city", "address.postalCode",
		"address.country#", "address.stateOrProvince#", "organization>organizations", "source#"},
		lists: []string{"emails", "phones"}},
	{name: "organizations", roql: []string{"Organization"}, fields: []string{"!id", "!lookupName", "!createdTime", "!updatedTime",
		"name", "industry#", "parent>organizations", "addresses.street", "addresses.city", "addresses.postalCode",
		"addresses.addressType#"}, lists: []string{"addresses"}},
	{name: "incidents", roql: []string{"Incident"}, fields: []string{"!id", "!lookupName", "!createdTime", "!updatedTime",
		"!referenceNumber", "!closedTime", "subject", "statusWithType.status#", "!statusWithType.statusType#", "severity#",
		"channel#", "queue#", "source#", "category#", "product#", "disposition#", "primaryContact.parentContact>contacts",
		"organization>organizations", "assignedTo.account#", "assignedTo.staffGroup#",
		"threads.text", "threads.entryType#", "threads.contentType#", "threads.channel#", "!threads.createdTime",
		"!threads.id"}, lists: []string{"threads"}, appendLists: []string{"threads"}},
	{name: "tasks", roql: []string{"Task"}, fields: []string{"!id", "!lookupName", "!createdTime", "!updatedTime", "name",
		"taskType#", "priority#", "statusWithType.status#", "!statusWithType.statusType#", "dueTime", "completedTime",
		"assignedToAccount#", "contact>contacts", "incident>incidents", "organization>organizations", "notes.text",
		"!notes.createdTime"}, lists: []string{"notes"}, appendLists: []string{"notes"}},
	{name: "CO.CallNote", roql: []string{"CO.CallNote"}, fields: []string{"!id", "!lookupName", "!createdTime", "!updatedTime",
		"contact>contacts", "incident>incidents", "summary", "direction", "durationSeconds", "agentName"}},
}

type schema struct {
	byREST map[string]*resource // lower-case REST name
	byROQL map[string]*resource // lower-case ROQL or REST name
}

// DefaultCustomFields are the fields the site's admin added: the text
// field crmflow keeps its write key in (customFields.c.crmflow_key, the
// legacy custom field package "c") on the standard objects here, and the
// crmflow_key attribute of the CO.CallNote custom object, as crmflow's
// Oracle setup asks (shared/crm/oracle, "Writes and FindWrite").
var DefaultCustomFields = map[string][]string{
	"contacts":      {"customFields.c.crmflow_key"},
	"organizations": {"customFields.c.crmflow_key"},
	"incidents":     {"customFields.c.crmflow_key"},
	"tasks":         {"customFields.c.crmflow_key"},
	"CO.CallNote":   {"crmflow_key"},
}

// newSchema builds the object model with custom, the site's own fields per
// resource (field specs as above).
func newSchema(custom map[string][]string) schema {
	sc := schema{byREST: map[string]*resource{}, byROQL: map[string]*resource{}}
	for _, spec := range resourceSpecs {
		spec.fields = append(slices.Clip(spec.fields), custom[spec.name]...)
		r := &resource{name: spec.name, roql: spec.roql, root: &node{name: spec.name, children: map[string]*node{}},
			lists: map[string]bool{}, appendLists: map[string]bool{}}
		for _, l := range spec.lists {
			r.lists[l] = true
		}
		for _, l := range spec.appendLists {
			r.appendLists[l] = true
		}
		for _, f := range spec.fields {
			readOnly := strings.HasPrefix(f, "!")
			f = strings.TrimPrefix(f, "!")
			var ref string
			if i := strings.IndexByte(f, '>'); i >= 0 {
				f, ref = f[:i], f[i+1:]
			}
			named := strings.HasSuffix(f, "#")
			f = strings.TrimSuffix(f, "#")
			cur := r.root
			parts := strings.Split(f, ".")
			for i, part := range parts {
				n := cur.child(part)
				if n == nil {
					n = &node{name: part, children: map[string]*node{}}
					cur.children[strings.ToLower(part)] = n
				}
				if i == len(parts)-1 {
					n.namedID, n.ref, n.readOnly = named, ref, readOnly
				}
				cur = n
			}
		}
		sc.byREST[strings.ToLower(r.name)] = r
		sc.byROQL[strings.ToLower(r.name)] = r
		for _, n := range r.roql {
			sc.byROQL[strings.ToLower(n)] = r
		}
	}
	return sc
}

// namedValues are the lookup names the sandbox knows per named-ID field,
// so writes by lookupName resolve and reads show both.
var namedValues = map[string]map[int]string{
	"status":      {1: "Unresolved", 2: "Solved", 3: "Waiting", 8: "Updated"},
	"statustype":  {1: "Unresolved", 2: "Solved", 3: "Waiting"},
	"entrytype":   {1: "Note", 2: "Staff Account", 3: "Customer", 4: "Customer Proxy", 5: "Chat", 6: "Rule Response", 7: "Rule Response Template", 8: "Voice Integration"},
	"contenttype": {1: "text/plain", 2: "text/html"},
	"channel":     {1: "Service Mail", 2: "MA Mail", 3: "Phone", 4: "Fax", 5: "Post", 6: "Service Web", 7: "Outreach Web", 8: "Email", 9: "Chat"},
	"phonetype":   {0: "Office Phone", 1: "Mobile Phone", 2: "Fax Phone", 3: "Assistant Phone", 4: "Home Phone"},
	"addresstype": {0: "Email - Primary", 1: "Alt Email 1", 2: "Alt Email 2"},
	"severity":    {1: "Low", 2: "Medium", 3: "High"},
	"priority":    {1: "Low", 2: "Normal", 3: "High"},
	"tasktype":    {1: "Incident", 2: "Opportunity", 3: "Contact", 4: "Organization", 5: "Standalone"},
}

// statusType is the status type of each incident status.
var statusType = map[int]int{1: 1, 2: 2, 3: 3, 8: 1}
