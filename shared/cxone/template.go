package cxone

import (
	"fmt"
	"strings"
)

// Template is a parsed "{{field}}" template. Text outside braces is literal;
// "{{" and "}}" have no escape: a template needing literal braces is refused.
type Template struct {
	parts []part
}

type part struct {
	text  string
	field string // set for a placeholder
}

// MaxTemplate bounds a template's length.
const MaxTemplate = 4000

// ParseTemplate parses and checks every placeholder names a known field.
func ParseTemplate(s string) (Template, error) {
	if len(s) > MaxTemplate {
		return Template{}, fmt.Errorf("is longer than %d characters", MaxTemplate)
	}
	var t Template
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if strings.Contains(rest, "}}") {
				return Template{}, fmt.Errorf("has }} without {{")
			}
			if rest != "" {
				t.parts = append(t.parts, part{text: rest})
			}
			return t, nil
		}
		if strings.Contains(rest[:i], "}}") {
			return Template{}, fmt.Errorf("has }} without {{")
		}
		if i > 0 {
			t.parts = append(t.parts, part{text: rest[:i]})
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return Template{}, fmt.Errorf("has {{ without }}")
		}
		name := strings.TrimSpace(rest[i+2 : i+2+j])
		name = strings.TrimPrefix(name, "cxoneContact.")
		if !Known(name) {
			return Template{}, fmt.Errorf("names unknown field {{%s}} (known: %s)", name, strings.Join(FieldNames(), ", "))
		}
		t.parts = append(t.parts, part{field: name})
		rest = rest[i+2+j+2:]
	}
}

// Render fills the template from c.
func (t Template) Render(c Contact) string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.field != "" {
			b.WriteString(c.Text(p.field))
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}
