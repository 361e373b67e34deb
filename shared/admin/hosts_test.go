package admin

import (
	"strings"
	"testing"
)

func TestCheckCRMURL(t *testing.T) {
	sf := func(h string) bool { return strings.HasSuffix(h, ".my.salesforce.com") }
	tests := []struct {
		url   string
		local bool
		ok    bool
	}{
		{"https://acme.my.salesforce.com", false, true},
		{"https://acme.my.salesforce.com/", false, true},
		{"https://ACME.my.salesforce.com", false, true},
		{"http://acme.my.salesforce.com", false, false},
		{"https://acme.my.salesforce.com.evil.com", false, false},
		{"https://evil.com/acme.my.salesforce.com", false, false},
		{"https://user:pw@acme.my.salesforce.com", false, false},
		{"https://acme.my.salesforce.com:8443", false, false},
		{"https://acme.my.salesforce.com/services", false, false},
		{"https://acme.my.salesforce.com?x=1", false, false},
		{"http://127.0.0.1:9000", false, false},
		{"http://127.0.0.1:9000", true, true},
		{"http://[::1]:9000", true, true},
		{"http://localhost:9000", true, true},
		{"http://10.0.0.5:9000", true, false},
		{"http://169.254.169.254", true, false},
		{"acme.my.salesforce.com", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		_, err := checkCRMURL("baseUrl", tt.url, sf, tt.local, false)
		if (err == nil) != tt.ok {
			t.Errorf("%q local=%v: err=%v, want ok=%v", tt.url, tt.local, err, tt.ok)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "baseUrl") {
			t.Errorf("%q: error does not name the field: %v", tt.url, err)
		}
	}
}
