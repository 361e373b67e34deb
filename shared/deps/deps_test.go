package deps

import (
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/routes"
)

func TestConfigFromEnv(t *testing.T) {
	t.Setenv(routes.EnvTable, "crmflow-dev-Table")
	t.Setenv(routes.EnvSecretPrefix, "crmflow/dev/")
	c, err := ConfigFromEnv(routes.EnvTable)
	if err != nil {
		t.Fatal(err)
	}
	if c.Table != "crmflow-dev-Table" || c.CacheTTL != DefaultCacheTTL || c.MaxReceiveCount != jobs.DefaultMaxReceiveCount {
		t.Fatalf("defaults: %+v", c)
	}
	t.Setenv(routes.EnvCacheTTL, "5s")
	t.Setenv(routes.EnvMaxReceiveCount, "7")
	t.Setenv(routes.EnvTenantRate, "2.5")
	if c, err = ConfigFromEnv(); err != nil || c.CacheTTL != 5*time.Second || c.MaxReceiveCount != 7 || c.TenantRate != 2.5 {
		t.Fatalf("set: %+v %v", c, err)
	}
	for name, bad := range map[string]string{routes.EnvCacheTTL: "soon", routes.EnvMaxReceiveCount: "0",
		routes.EnvTenantRate: "-1", routes.EnvTenantBurst: "x", routes.EnvSecretPrefix: "other/"} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, bad)
			if _, err := ConfigFromEnv(); err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("%s=%q: %v", name, bad, err)
			}
		})
	}
	t.Setenv(routes.EnvTable, "")
	if _, err := ConfigFromEnv(routes.EnvTable); err == nil || !strings.Contains(err.Error(), routes.EnvTable) {
		t.Fatalf("missing table: %v", err)
	}
}
