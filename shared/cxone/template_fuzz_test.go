package cxone

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// placeholderRe finds anything that still looks like a placeholder.
var placeholderRe = regexp.MustCompile(`\{\{([^{}]*)\}\}`)

// FuzzTemplate: whatever the template, ParseTemplate never panics and either
// refuses it or renders it so that no placeholder of a known field is left in
// the output (when the contact's own values hold no braces), the literal text
// comes through in order, and an empty contact renders only the literal text.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"Call with {{agentName}}", "{{ cxoneContact.ani }} → {{dnis}}", "{{scriptVariables.orderId}}",
		"{{tags}} {{startTime}} {{callDurationInSeconds}}", "plain", "", "{{", "}}", "{{}}", "{{nope}}", "{{{agentName}}}",
		"{{agentName}}}", "{{{{agentName}}}}", "a}}b{{agentName}}", "{{scriptVariables.}}", "{{scriptVariables.a b}}",
		"{{ agentName}}{{agentName }}", "{{agentName}}{{skillName}}", "{{cxoneContact.cxoneContact.agentName}}", "x{y}z",
		"{{scriptVariables.a\n}}", "{ {agentName} }", "ünï {{customerName}} cödé"} {
		f.Add(s, "Jane Agent", "ord-1")
	}
	f.Fuzz(func(t *testing.T, tmpl, value, variable string) {
		tpl, err := ParseTemplate(tmpl)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%q: empty refusal", tmpl)
			}
			return
		}
		if len(tmpl) > MaxTemplate {
			t.Fatalf("accepted a %d-character template", len(tmpl))
		}
		// The literal text is the template with its placeholders cut out.
		var literal strings.Builder
		for _, p := range tpl.parts {
			if p.field == "" {
				literal.WriteString(p.text)
			} else if !Known(p.field) {
				t.Fatalf("%q: placeholder of unknown field %q", tmpl, p.field)
			}
		}
		if got := tpl.Render(Contact{}); got != literal.String() {
			t.Fatalf("%q: empty contact renders %q, want %q", tmpl, got, literal.String())
		}
		if strings.ContainsAny(value, "{}") || strings.ContainsAny(variable, "{}") {
			return
		}
		start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		end := start.Add(90 * time.Second)
		c := Contact{ContactID: value, InteractionID: value, MediaType: value, Direction: value, SkillName: value, SkillID: value,
			AgentID: value, AgentName: value, ANI: value, DNIS: value, StartTime: &start, EndTime: &end, DispositionName: value,
			DispositionNotes: value, Tags: []string{value, variable}, RecordingURL: value, Transcript: value, ChannelType: value,
			CustomerName: value, ScriptVariables: map[string]string{}}
		for _, p := range tpl.parts {
			if v, ok := strings.CutPrefix(p.field, "scriptVariables."); ok {
				c.ScriptVariables[v] = variable
			}
		}
		out := tpl.Render(c)
		for _, m := range placeholderRe.FindAllStringSubmatch(out, -1) {
			name := strings.TrimPrefix(strings.TrimSpace(m[1]), "cxoneContact.")
			if Known(name) {
				t.Fatalf("%q renders %q: placeholder %s left", tmpl, out, m[0])
			}
		}
		// The literal pieces appear in order.
		rest := out
		for _, p := range tpl.parts {
			if p.field != "" {
				continue
			}
			i := strings.Index(rest, p.text)
			if i < 0 {
				t.Fatalf("%q renders %q: literal %q lost", tmpl, out, p.text)
			}
			rest = rest[i+len(p.text):]
		}
	})
}
