package cxone

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func sample(t *testing.T) Contact {
	var c Contact
	err := json.Unmarshal([]byte(`{"contactId":"5001234","agentName":"Agent Smith","mediaType":"voice","direction":"inbound",
		"startTime":"2026-11-23T10:00:00Z","endTime":"2026-11-23T10:02:05Z","tags":["vip","billing"],
		"scriptVariables":{"orderId":"A-77"}}`), &c)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTemplate(t *testing.T) {
	c := sample(t)
	tpl, err := ParseTemplate("Call with {{agentName}} ({{ cxoneContact.direction }}) order {{scriptVariables.orderId}} {{callDurationInSeconds}}s {{tags}}")
	if err != nil {
		t.Fatal(err)
	}
	got := tpl.Render(c)
	want := "Call with Agent Smith (inbound) order A-77 125s vip, billing"
	if got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	for _, bad := range []string{"{{nope}}", "{{agentName", "x }} y", "}} {{agentName}}", strings.Repeat("a", MaxTemplate+1)} {
		if _, err := ParseTemplate(bad); err == nil {
			t.Errorf("%.30q accepted", bad)
		}
	}
}

func TestValueAndValidate(t *testing.T) {
	c := sample(t)
	if v, _ := c.Value("startTime"); v != "2026-11-23T10:00:00Z" {
		t.Fatalf("startTime %v", v)
	}
	if c.Duration() != 125*time.Second {
		t.Fatalf("duration %v", c.Duration())
	}
	if _, ok := c.Value("bogus"); ok {
		t.Fatal("unknown field had a value")
	}
	c.Direction = "sideways"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "cxoneContact.direction") {
		t.Fatalf("validate: %v", err)
	}
}

func TestEveryFieldHasAValue(t *testing.T) {
	c := sample(t)
	for name := range Fields {
		if _, ok := c.Value(name); !ok {
			t.Errorf("field %s has no value accessor", name)
		}
	}
}
