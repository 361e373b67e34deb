package secretsmanager_test

import (
	"errors"
	"testing"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/internal/mototest"
	"github.com/crmflow/crmflow/shared/secrets"
	"github.com/crmflow/crmflow/shared/secrets/secretsmanager"
)

func TestMain(m *testing.M) { mototest.Main(m) }

// TestRoundTrip runs against moto_server: create, replace, read, delete, and
// a new secret of the same name right after (no recovery window).
func TestRoundTrip(t *testing.T) {
	s := secretsmanager.New(awsclient.SecretsManager(mototest.Config(t)))
	name := secrets.Name("crmflow/test/", mototest.UniqueName(t), "sf-main")
	ctx := t.Context()
	if _, err := s.Get(ctx, name); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("missing secret: %v", err)
	}
	// As in AWS, a forced delete of a missing secret is not an error.
	if err := s.Delete(ctx, name); err != nil {
		t.Fatalf("delete missing: %v", err)
	}
	for _, c := range []crm.Credentials{{ClientSecret: "one"}, {ClientSecret: "two", PrivateKey: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n"}} {
		if err := s.Put(ctx, name, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, name)
		if err != nil || got != c {
			t.Fatalf("got %v %v", got.Names(), err)
		}
	}
	if err := s.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, name); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.Put(ctx, name, crm.Credentials{Token: "three"}); err != nil {
		t.Fatalf("recreate: %v", err)
	}
}

func TestName(t *testing.T) {
	if got := secrets.Name("", "t1", "c1"); got != "crmflow/t1/c1" {
		t.Fatal(got)
	}
	if got := secrets.Name("crmflow/prod/", "t1", "c1"); got != "crmflow/prod/t1/c1" {
		t.Fatal(got)
	}
}
