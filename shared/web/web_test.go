package web

import (
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/docs"
)

func get(t *testing.T, path string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	var ev events.APIGatewayV2HTTPRequest
	ev.RawPath = path
	ev.RequestContext.HTTP.Method = "GET"
	res, err := Handler(t.Context(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestServesThePageWithItsPolicy(t *testing.T) {
	for path, want := range map[string]string{
		"/agent":         "text/html",
		"/agent/":        "text/html",
		"/agent/app.js":  "text/javascript",
		"/agent/app.css": "text/css",
	} {
		res := get(t, path)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Headers["Content-Type"], want) {
			t.Errorf("%s: %d %s", path, res.StatusCode, res.Headers["Content-Type"])
		}
		if res.Headers["Content-Security-Policy"] != PageCSP || res.Headers["X-Content-Type-Options"] != "nosniff" {
			t.Errorf("%s: headers %v", path, res.Headers)
		}
	}
	for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"} {
		if strings.Contains(PageCSP, bad) {
			t.Errorf("the policy allows %s", bad)
		}
	}
}

// The page keeps to its policy: no inline script or style, no handler
// attributes, nothing loaded from another origin.
func TestPageHasNoInlineCode(t *testing.T) {
	html := get(t, "/agent").Body
	for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", "javascript:", "//cdn", "http://", "https://"} {
		if strings.Contains(html, bad) {
			t.Errorf("index.html holds %q", bad)
		}
	}
	js := get(t, "/agent/app.js").Body
	for _, bad := range []string{"innerHTML", "outerHTML", "document.write", "eval(", "localStorage"} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}

func TestServesOnlyItsFiles(t *testing.T) {
	for _, path := range []string{"/agent/../web.go", "/agent/%2e%2e/web.go", "/agent/web.go", "/agent/.hidden.js",
		"/agent/a/b.js", "/agent/nothing.js", "/agent/index.txt", "/v1/configurations", "/"} {
		if res := get(t, path); res.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", path, res.StatusCode)
		}
	}
	var ev events.APIGatewayV2HTTPRequest
	ev.RawPath, ev.RequestContext.HTTP.Method = "/agent", "POST"
	if res, _ := Handler(t.Context(), ev); res.StatusCode != 405 {
		t.Errorf("POST: %d", res.StatusCode)
	}
}

func TestServesTheOpenAPIDocument(t *testing.T) {
	res := get(t, "/v1/openapi.yaml")
	if res.StatusCode != 200 || res.Body != string(docs.OpenAPI) || !strings.HasPrefix(res.Headers["Content-Type"], "application/yaml") {
		t.Fatalf("%d %s", res.StatusCode, res.Headers["Content-Type"])
	}
	if !strings.HasPrefix(res.Body, "openapi: 3.1") {
		t.Fatalf("not an OpenAPI 3.1 document: %.40s", res.Body)
	}
}
