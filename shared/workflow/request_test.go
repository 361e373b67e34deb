package workflow

import (
	"strings"
	"testing"
)

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"sf-main": true, "search_phone": true, "5001234": true, "a.b:c-d_e": true, strings.Repeat("a", 128): true,
		"": false, strings.Repeat("a", 129): false, "a/b": false, "a#b": false, "a b": false, "é": false, "a\x00": false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v", id, got)
		}
	}
}
