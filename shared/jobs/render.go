package jobs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
	"github.com/crmflow/crmflow/shared/cxone"
	"github.com/crmflow/crmflow/shared/store"
)

// RenderError says why a mapping could not be rendered; the job fails for
// good with it (the mapping, not the CRM, is wrong).
type RenderError struct {
	MappingID string
	Target    string
	Msg       string
}

func (e *RenderError) Error() string {
	if e.Target == "" {
		return "data mapping " + e.MappingID + ": " + e.Msg
	}
	return "data mapping " + e.MappingID + ", field " + e.Target + ": " + e.Msg
}

// Render turns a data memorialization mapping and a contact into the CRM
// fields to write: each target gets its template rendered, or its source's
// value converted to the format the CRM field takes (dates, date-times,
// durations in seconds, minutes or milliseconds), with text cut to the
// field's known length. Empty values are left out, so an update never
// blanks a CRM field because the contact center had nothing to say.
func Render(d crm.Driver, m store.DataMapping, c cxone.Contact) (map[string]any, error) {
	if len(m.Fields) == 0 {
		return nil, &RenderError{MappingID: m.ID, Msg: "maps no field"}
	}
	out := make(map[string]any, len(m.Fields))
	for _, f := range m.Fields {
		if !crm.ValidField(f.Target) {
			return nil, &RenderError{MappingID: m.ID, Target: f.Target, Msg: "target must match ^[A-Za-z_][A-Za-z0-9_.]*$"}
		}
		spec, known := d.FieldSpec(m.Entity, f.Target)
		var v any
		if f.Template != "" {
			tpl, err := cxone.ParseTemplate(f.Template)
			if err != nil {
				return nil, &RenderError{MappingID: m.ID, Target: f.Target, Msg: "template " + err.Error()}
			}
			v = tpl.Render(c)
		} else {
			source := strings.TrimPrefix(f.Source, "cxoneContact.")
			if !cxone.Known(source) {
				return nil, &RenderError{MappingID: m.ID, Target: f.Target,
					Msg: fmt.Sprintf("source %q is not a cxoneContact field (known: %s)", f.Source, strings.Join(cxone.FieldNames(), ", "))}
			}
			v = convert(c, source, spec)
		}
		if s, ok := v.(string); ok {
			if known && spec.Format == crm.FieldText {
				s = crmtext.Cut(s, spec.MaxLen)
			}
			v = s
			if s == "" {
				continue
			}
		}
		if v == nil {
			continue
		}
		out[f.Target] = v
	}
	return out, nil
}

// convert reads a source field in the form its target takes.
func convert(c cxone.Contact, source string, target crm.FieldSpec) any {
	kind := cxone.Fields[source] // scriptVariables.* are strings
	switch kind {
	case cxone.KindTime:
		t := c.StartTime
		if source == "endTime" {
			t = c.EndTime
		}
		if t == nil {
			return nil
		}
		if target.Format == crm.FieldDate {
			return t.UTC().Format(time.DateOnly)
		}
		return t.UTC().Format(time.RFC3339)
	case cxone.KindSeconds:
		v, _ := c.Value(source)
		secs, ok := v.(int)
		if !ok {
			return nil
		}
		switch target.Format {
		case crm.FieldMinutes:
			return (secs + 59) / 60
		case crm.FieldMillis:
			return secs * 1000
		case crm.FieldText:
			return strconv.Itoa(secs)
		}
		return secs
	}
	return c.Text(source)
}
