package mototest

import (
	"net/http"
	"regexp"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestEndpointAnswers(t *testing.T) {
	e := Endpoint(t)
	if again := Endpoint(t); again != e {
		t.Fatalf("second Endpoint = %q, want the same server %q", again, e)
	}
	resp, err := http.Get(e + "/moto-api/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /moto-api/ = %d", resp.StatusCode)
	}
	if cfg := Config(t); cfg.Region == "" {
		t.Fatal("Config has no region")
	}
}

func TestUniqueName(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z0-9_-]{3,76}$`)
	seen := map[string]bool{}
	for range 3 {
		n := UniqueName(t)
		if !valid.MatchString(n) {
			t.Errorf("UniqueName = %q, not a valid table/queue name", n)
		}
		if seen[n] {
			t.Errorf("UniqueName repeated %q", n)
		}
		seen[n] = true
	}
}
