package contract_test

import (
	"testing"

	"github.com/crmflow/crmflow/docs/contract"
)

// TestDocumentIsValidOpenAPI31 loads docs/openapi.yaml and validates it as an
// OpenAPI 3.1 document (kin-openapi validates 3.1 structure and, through
// openapi3filter, JSON Schema 2020-12 schemas).
func TestDocumentIsValidOpenAPI31(t *testing.T) {
	doc, err := contract.Document()
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi: %q, want 3.1.0", doc.OpenAPI)
	}
}
