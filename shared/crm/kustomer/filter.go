package kustomer

import (
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
)

// criterion is one entry of a search's and/or lists: {"attr": {"op": value}}
// or a nested group {"and": […]} / {"or": […]}. Values travel as JSON
// strings, numbers or booleans, so JSON encoding alone keeps each one a
// value: nothing needs escaping, and no value can become syntax.
type criterion map[string]any

// operators maps the portable comparisons to Kustomer's search operators.
var operators = map[crm.Op]string{crm.OpEq: "equals", crm.OpNe: "not_equals", crm.OpContains: "contains",
	crm.OpGt: "gt", crm.OpGte: "gte", crm.OpLt: "lt", crm.OpLte: "lte"}

// searchContexts are the entities a custom search can list, by the
// queryContext Kustomer's search takes for them.
var searchContexts = map[string]bool{entCustomer: true, entConversation: true}

// fieldAttributes map the driver's field names to standard search
// attributes, per query context.
var fieldAttributes = map[string]map[string]string{
	entCustomer: {"name": "customer_name", "email": "customer_email", "emails": "customer_email",
		"phone": "customer_phone", "phones": "customer_phone", "sharedEmails": "customer_shared_email",
		"sharedPhones": "customer_shared_phone", "externalId": "customer_externalId", "locale": "customer_locale",
		"tags": "customer_tags", "createdAt": "customer_created_at", "updatedAt": "customer_updated_at",
		"modifiedAt": "customer_modified_at", "lastSeenAt": "customer_last_seen_at", "gender": "customer_gender"},
	entConversation: {"name": "conversation_name", "status": "conversation_status", "priority": "conversation_priority",
		"tags": "conversation_tags", "direction": "conversation_direction", "channels": "conversation_channels",
		"customer": "conversation_customer_id", "createdAt": "conversation_created_at",
		"updatedAt": "conversation_updated_at", "modifiedAt": "conversation_modified_at",
		"subStatus": "conversation_sub_status", "assignedUsers": "conversation_assigned_users",
		"assignedTeams": "conversation_assigned_teams"},
}

// rawAttribute is a Kustomer search attribute given as is
// (customer_last_message_at, conversation_custom_orderStr…).
var rawAttribute = lazyre.New(`^(customer|conversation|company|message|note|kobject)_[A-Za-z0-9_]{1,120}$`)

// customName is a custom attribute's name after "custom.".
var customName = lazyre.New(`^[a-z][A-Za-z0-9]{0,120}$`)

// searchAttribute names the search attribute for a field of ctx: the
// driver's names (name, email, status…), custom.{name} for custom
// attributes, or a raw search attribute. A conversation search takes only
// conversation attributes.
func searchAttribute(ctx, field string) (string, error) {
	if a, ok := fieldAttributes[ctx][field]; ok {
		return a, nil
	}
	if name, ok := strings.CutPrefix(field, "custom."); ok && customName.MatchString(name) {
		return ctx + "_custom_" + name, nil
	}
	if rawAttribute.MatchString(field) && (ctx == entCustomer || strings.HasPrefix(field, ctx+"_")) {
		return field, nil
	}
	return "", fmt.Errorf("field %s cannot be searched in %s: use a standard field (name, email, phone, status…), custom.{attributeName} or a Kustomer search attribute (%s_…)",
		quoteName(field), ctx, ctx)
}

// customType is the type suffix of a custom attribute in search.
var customType = lazyre.New(`_custom_[a-z][A-Za-z0-9]*(Num|At|Str|Txt|Bool|Url)$`)

// orderable reports whether Kustomer search takes gt/gte/lt/lte on attr:
// numbers and dates do; text, lists and booleans answer 400. An attribute
// crmflow cannot type (a raw one) is left to Kustomer.
func orderable(attr string) bool {
	if strings.HasSuffix(attr, "_at") || attr == "conversation_priority" {
		return true
	}
	if m := customType.FindStringSubmatch(attr); m != nil {
		return m[1] == "Num" || m[1] == "At"
	}
	for _, byField := range fieldAttributes {
		for _, a := range byField {
			if a == attr {
				return false
			}
		}
	}
	return true
}

// compileFilter turns a portable filter into one criterion. What Kustomer
// search cannot express is refused with InvalidArgument, not approximated.
func compileFilter(ctx string, f crm.Filter) (criterion, error) {
	const op = "kustomer: compile filter"
	c, err := compile(ctx, f)
	if err != nil {
		return nil, crm.Refusal(op, "filter", "%s", err.Error())
	}
	return c, nil
}

func compile(ctx string, f crm.Filter) (criterion, error) {
	group := func(key string, list []crm.Filter) (criterion, error) {
		if len(list) > maxCriteria {
			return nil, fmt.Errorf("a group holds at most %d conditions in Kustomer search", maxCriteria)
		}
		out := make([]criterion, 0, len(list))
		for _, sub := range list {
			c, err := compile(ctx, sub)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return criterion{key: out}, nil
	}
	switch {
	case f.All != nil:
		return group("and", f.All)
	case f.Any != nil:
		return group("or", f.Any)
	}
	attr, err := searchAttribute(ctx, f.Field)
	if err != nil {
		return nil, err
	}
	if f.Op == crm.OpIn {
		values, _ := f.Value.([]any)
		if len(values) > maxCriteria {
			return nil, fmt.Errorf("in takes at most %d values in Kustomer search", maxCriteria)
		}
		out := make([]criterion, 0, len(values))
		for _, v := range values {
			jv, err := jsonValue(v)
			if err != nil {
				return nil, err
			}
			out = append(out, criterion{attr: map[string]any{"equals": jv}})
		}
		return criterion{"or": out}, nil
	}
	name, ok := operators[f.Op]
	if !ok {
		return nil, fmt.Errorf("operator %q cannot be expressed in Kustomer search (it has equals, not_equals, contains, gt, gte, lt and lte)", f.Op)
	}
	if (f.Op == crm.OpGt || f.Op == crm.OpGte || f.Op == crm.OpLt || f.Op == crm.OpLte) && !orderable(attr) {
		return nil, fmt.Errorf("field %s is text: Kustomer search orders only numbers and dates (gt, gte, lt, lte apply to …Num and …At attributes)", quoteName(f.Field))
	}
	v, err := jsonValue(f.Value)
	if err != nil {
		return nil, err
	}
	return criterion{attr: map[string]any{name: v}}, nil
}

// jsonValue checks a filter value: a string of valid UTF-8, a finite
// number or a boolean, sent as that JSON type.
func jsonValue(v any) (any, error) {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return nil, fmt.Errorf("a value is not valid UTF-8")
		}
		return x, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("a number must be finite")
		}
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case bool:
		return x, nil
	}
	return nil, fmt.Errorf("a value must be a string, number or boolean")
}
