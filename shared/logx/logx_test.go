package logx

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestContextAttrsOnEveryLine(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, "search")
	ctx := With(context.Background(), "requestId", "r1", "tenantId", "t1", "empty", "")
	ctx = With(ctx, "contactId", "c1")
	l.InfoContext(ctx, "hello")
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"requestId": "r1", "tenantId": "t1", "contactId": "c1", "function": "search", "msg": "hello"} {
		if m[k] != v {
			t.Errorf("%s = %v, want %s", k, m[k], v)
		}
	}
	if _, ok := m["empty"]; ok {
		t.Error("empty attribute logged")
	}
}

func TestScopeCarriesLaterIDsUp(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "search")
	outer := With(Scope(context.Background()), "requestId", "r1")
	inner := With(outer, "contactId", "5001234")
	log.InfoContext(inner, "inner")
	log.InfoContext(outer, "request")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatal(buf.String())
	}
	for _, l := range lines {
		if !strings.Contains(l, `"requestId":"r1"`) || strings.Count(l, `"contactId":"5001234"`) != 1 {
			t.Errorf("line lacks ids: %s", l)
		}
	}
}
