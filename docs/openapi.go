// Package docs holds the documents the service serves: the OpenAPI contract
// (docs/openapi.yaml), served at GET /v1/openapi.yaml by the web function
// and checked against the routes and the API's answers by docs/contract.
package docs

import _ "embed"

// OpenAPI is docs/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
