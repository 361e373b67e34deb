package ids

import (
	"strings"
	"testing"
)

func TestKeys(t *testing.T) {
	k, h := NewKey()
	if !LooksLikeKey(k) || HashKey(k) != h || len(h) != 64 {
		t.Fatalf("key %q hash %q", k, h)
	}
	k2, _ := NewKey()
	if k == k2 {
		t.Fatal("keys repeat")
	}
	for _, bad := range []string{"", "cfk_", "Bearer x", "cfk_" + strings.Repeat("a", 10), "cfk_aaaaaaaaaaaaaaaaaaaaaaaa'", "xyz_" + strings.Repeat("a", 40)} {
		if LooksLikeKey(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNew(t *testing.T) {
	id := New("cfg")
	if !strings.HasPrefix(id, "cfg_") || len(id) != 4+26 {
		t.Fatalf("id %q", id)
	}
}

func TestValid(t *testing.T) {
	for id, want := range map[string]bool{
		"sf-main": true, "search_phone": true, "5001234": true, "a.b:c-d_e": true, strings.Repeat("a", 128): true,
		"": false, strings.Repeat("a", 129): false, "a/b": false, "a#b": false, "a b": false, "é": false, "a\x00": false,
	} {
		if got := Valid(id); got != want {
			t.Errorf("Valid(%q) = %v", id, got)
		}
	}
}
