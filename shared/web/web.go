// Package web is the web function: the agent's customer card page (GET
// /agent, /agent/{file}) and the OpenAPI document (GET /v1/openapi.yaml).
// Both are files built into the binary; the routes take no key, and the
// function touches no AWS resource. The page itself calls the card and pin
// routes with the agent key the agent gives it, which stays in the tab's
// session storage.
package web

import (
	"context"
	"embed"
	"net/http"
	"path"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/docs"
)

//go:embed agent
var agentFiles embed.FS

// PageCSP allows nothing but the page's own origin: no inline script or
// style, no framing, no other host to send anything to.
const PageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// contentTypes by file extension; a file of another kind is not served.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".yaml": "application/yaml; charset=utf-8",
}

// Handler serves the web function's routes.
func Handler(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if ev.RequestContext.HTTP.Method != http.MethodGet {
		return plain(http.StatusMethodNotAllowed, "method not allowed"), nil
	}
	p := ev.RawPath
	switch {
	case p == "/v1/openapi.yaml":
		return file(docs.OpenAPI, ".yaml", "public, max-age=300"), nil
	case p == "/agent" || p == "/agent/":
		return page("index.html")
	case strings.HasPrefix(p, "/agent/"):
		return page(strings.TrimPrefix(p, "/agent/"))
	}
	return plain(http.StatusNotFound, "not found"), nil
}

// page serves one file of the agent page; only plain names, no directories.
func page(name string) (events.APIGatewayV2HTTPResponse, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return plain(http.StatusNotFound, "not found"), nil
	}
	ext := path.Ext(name)
	if _, ok := contentTypes[ext]; !ok {
		return plain(http.StatusNotFound, "not found"), nil
	}
	b, err := agentFiles.ReadFile("agent/" + name)
	if err != nil {
		return plain(http.StatusNotFound, "not found"), nil
	}
	// The page changes with each deploy; its files are small.
	return file(b, ext, "no-cache"), nil
}

func file(b []byte, ext, cache string) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: http.StatusOK,
		Headers:    headers(contentTypes[ext], cache),
		Body:       string(b),
	}
}

func plain(status int, msg string) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: headers("text/plain; charset=utf-8", "no-store"), Body: msg + "\n"}
}

func headers(contentType, cache string) map[string]string {
	return map[string]string{
		"Content-Type":            contentType,
		"Cache-Control":           cache,
		"Content-Security-Policy": PageCSP,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
}
