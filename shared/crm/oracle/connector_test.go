package oracle

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

// A saved configuration names its application context (the driver's
// ConfigCheck, run by the admin API before New, which would default it).
func TestConfigCheckWantsApplicationContext(t *testing.T) {
	cfg := crm.Config{Type: crm.Oracle, BaseURL: "https://acme.custhelp.com", Auth: crm.Auth{Type: crm.AuthBasic, Username: "u"},
		Credentials: crm.Credentials{Password: "p"}}
	e, ok := crm.AsRefusal(Driver().ConfigCheck(cfg))
	if !ok || e.Field != "auth.applicationContext" {
		t.Fatalf("no application context: %v, want a refusal naming auth.applicationContext", e)
	}
	cfg.Auth.ApplicationContext = "crmflow-acme"
	if err := Driver().ConfigCheck(cfg); err != nil {
		t.Fatal(err)
	}
}
