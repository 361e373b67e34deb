// Package contract checks the API against its OpenAPI document
// (docs/openapi.yaml): requests and responses are validated with
// kin-openapi's openapi3filter, routed by its gorilla/mux router.
//
// Only tests import it, so the validator never reaches a Lambda binary.
// Wrap a handler with Middleware (or a client with Transport) and every
// request and answer that passes through is checked; the checker also
// records which operation answered which status, so a walk-through can
// assert it covered every route.
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/crmflow/crmflow/docs"
)

// The web function's files are text; kin-openapi knows text/plain only.
func init() {
	for _, ct := range []string{"text/html", "text/css", "text/javascript", "image/svg+xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
}

var load = sync.OnceValues(func() (*loaded, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(docs.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load docs/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("docs/openapi.yaml is not a valid OpenAPI document: %w", err)
	}
	// The document's server is a variable (the stack's URL, or ./scripts/dev's);
	// the router matches paths on any host.
	routed := *doc
	routed.Servers = openapi3.Servers{{URL: "/"}}
	router, err := gorillamux.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("route docs/openapi.yaml: %w", err)
	}
	return &loaded{doc: doc, router: router}, nil
})

type loaded struct {
	doc    *openapi3.T
	router routers.Router
}

// Document is docs/openapi.yaml, loaded and validated once.
func Document() (*openapi3.T, error) {
	l, err := load()
	if err != nil {
		return nil, err
	}
	return l.doc, nil
}

// ErrNoRoute: the document has no operation for the request's method and path.
var ErrNoRoute = errors.New("no operation in docs/openapi.yaml")

// Route is the documented operation a request matched.
type Route struct {
	Method string
	Path   string // as in the document: /v1/jobs/{jobId}
	Params map[string]string
	route  *routers.Route
}

// Key is "GET /v1/jobs/{jobId}", the form of routes.Route.Key.
func (r Route) Key() string { return r.Method + " " + r.Path }

// FindRoute matches a request to its documented operation. A trailing slash
// is ignored, as the gateway ignores it (GET /agent/ is GET /agent).
func FindRoute(req *http.Request) (Route, error) {
	l, err := load()
	if err != nil {
		return Route{}, err
	}
	r := req
	if p := req.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
		r = req.Clone(req.Context())
		r.URL.Path = strings.TrimRight(p, "/")
		r.URL.RawPath = ""
	}
	route, params, err := l.router.FindRoute(r)
	if err != nil {
		if errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
			return Route{}, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, ErrNoRoute)
		}
		return Route{}, err
	}
	return Route{Method: route.Method, Path: route.Path, Params: params, route: route}, nil
}

// options of every validation: all errors at once, bodies never rewritten
// with defaults, and the bearer key checked for presence only (whether it
// is a good key is the API's business, answered 401).
func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:            true,
		SkipSettingDefaults:   true,
		IncludeResponseStatus: true,
		AuthenticationFunc:    bearerPresent,
	}
}

func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme == nil || in.SecurityScheme.Type != "http" || !strings.EqualFold(in.SecurityScheme.Scheme, "bearer") {
		return fmt.Errorf("security scheme %q is not bearer", in.SecuritySchemeName)
	}
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme, key, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(key) == "" {
		return errors.New("no Authorization: Bearer <key> header")
	}
	return nil
}

// ValidateRequest checks a request against its documented operation: path
// and query parameters, the key's presence and the body. The body is read
// and put back. The API reads every body as JSON whatever its Content-Type
// (curl -d sends a form type), so a body under another type is checked as
// JSON.
func ValidateRequest(req *http.Request) error {
	_, err := validateRequest(req)
	return err
}

func validateRequest(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	route, err := FindRoute(req)
	if err != nil {
		return nil, err
	}
	in := &openapi3filter.RequestValidationInput{
		Request: asJSON(req, route), PathParams: route.Params, Route: route.route, Options: options(),
	}
	// Path parameters come from the gateway's route as API Gateway decodes them.
	return in, openapi3filter.ValidateRequest(req.Context(), in)
}

// asJSON returns req, or a copy whose body is labelled JSON when the
// operation takes a JSON body and req's is labelled otherwise.
func asJSON(req *http.Request, route Route) *http.Request {
	op := route.route.Operation
	if op.RequestBody == nil || op.RequestBody.Value == nil || op.RequestBody.Value.Content.Get("application/json") == nil {
		return req
	}
	if mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type")); err == nil && mt == "application/json" {
		return req
	}
	r := req.Clone(req.Context())
	r.Header.Set("Content-Type", "application/json")
	if req.Body != nil && req.Body != http.NoBody {
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	return r
}

// ValidateResponse checks an answer to req against the operation req
// matches: the status must be documented, and the headers and body must fit
// that status's response. req's body is not read.
func ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	route, err := FindRoute(req)
	if err != nil {
		return err
	}
	return validateResponse(&openapi3filter.RequestValidationInput{
		Request: req, PathParams: route.Params, Route: route.route, Options: options(),
	}, status, header, body)
}

func validateResponse(in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header, Options: in.Options,
	}
	out.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(in.Request.Context(), out)
}
