package workflow

import (
	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
)

// refused turns a driver's own refusal (a bad entity, field name or id shape,
// found before any CRM call) into a 400 naming the request field: prefix
// followed by the driver's field ("workflowInput" + "fields.Subject"). A CRM's
// own refusal, and every other error, passes through unchanged and stays 422
// with crmError.
func refused(err error, prefix string) error {
	e, ok := crm.AsRefusal(err)
	if !ok {
		return err
	}
	field := prefix
	if e.Field != "" {
		field = prefix + "." + e.Field
	}
	return &apperr.Error{Kind: apperr.Invalid, Field: field, Message: e.Message, Err: err}
}

// canonicalEntity is a request's entity in the CRM's canonical spelling, or a
// 400 naming field.
func canonicalEntity(d crm.Driver, field, entity string) (string, error) {
	if entity == "" {
		return "", apperr.Field(field, "is required")
	}
	canon, err := d.Canonical(entity)
	if err != nil {
		return "", apperr.Refused(field, err)
	}
	return canon, nil
}
