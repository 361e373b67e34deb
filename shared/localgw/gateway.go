// Package localgw is the local stand-in for API Gateway's HTTP API: it matches
// routes from shared/routes, runs the Lambda authorizer as API Gateway does
// (identity source: the Authorization header), builds the same payload 2.0
// events with the authorizer's context, and hands them to the functions'
// handlers. ./scripts/dev serves it; tests and benchmarks use it in process.
//
// The per-tenant throttle of the Studio routes is not the gateway's: as in
// AWS, where HTTP APIs have no usage plans, the Studio functions it runs
// enforce it (handlers.For throttles where routes.Throttled says), keyed by the
// tenant the authorizer put in the event, so both answer alike.
package localgw

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/routes"
)

// HTTPHandler is a function's Lambda handler for API events.
type HTTPHandler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// AuthorizerHandler is the Lambda authorizer.
type AuthorizerHandler func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error)

// maxPayload is API Gateway's request payload limit.
const maxPayload = 10 << 20

// Gateway serves routes.All with the given function handlers.
type Gateway struct {
	Functions  map[string]HTTPHandler // by function name (routes.Search…)
	Authorizer AuthorizerHandler
	// Ready answers /healthz: 200 once it returns nil.
	Ready func() error
	// RoundTrip makes each event pass through JSON as it does between API
	// Gateway and Lambda (on by default via New).
	RoundTrip bool
	seq       atomic.Int64
}

// New returns a gateway that JSON round-trips events like the real one.
func New(fns map[string]HTTPHandler, auth AuthorizerHandler, ready func() error) *Gateway {
	return &Gateway{Functions: fns, Authorizer: auth, Ready: ready, RoundTrip: true}
}

func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		if g.Ready != nil {
			if err := g.Ready(); err != nil {
				http.Error(w, `{"status":"starting"}`, http.StatusServiceUnavailable)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`+"\n")
		return
	}
	route, params, ok := routes.Match(r.Method, r.URL.Path)
	if !ok {
		// API Gateway answers unmatched routes with this body.
		writeJSON(w, http.StatusNotFound, `{"message":"Not Found"}`)
		return
	}
	fn := g.Functions[route.Function]
	if fn == nil {
		writeJSON(w, http.StatusInternalServerError, `{"message":"Internal Server Error"}`)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, `{"message":"Bad Request"}`)
		return
	}
	if len(body) > maxPayload {
		writeJSON(w, http.StatusRequestEntityTooLarge, `{"message":"Request Entity Too Large"}`)
		return
	}
	reqID := fmt.Sprintf("local-%d-%d", time.Now().UnixNano(), g.seq.Add(1))
	ev := event(r, route, params, body, reqID)

	if route.Public {
		// No authorizer on the route: API Gateway hands the request over as is.
		g.invoke(w, r, fn, ev)
		return
	}
	// API Gateway does not call the authorizer when the identity source is
	// missing: it answers 401 itself.
	authz := r.Header.Get("Authorization")
	if authz == "" {
		writeJSON(w, http.StatusUnauthorized, `{"message":"Unauthorized"}`)
		return
	}
	ares, err := g.authorize(r.Context(), ev, authz)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, `{"message":"Internal Server Error"}`)
		return
	}
	if !ares.IsAuthorized {
		writeJSON(w, http.StatusForbidden, `{"message":"Forbidden"}`)
		return
	}
	ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: ares.Context}
	g.invoke(w, r, fn, ev)
}

// invoke runs a function with the event and writes its answer.
func (g *Gateway) invoke(w http.ResponseWriter, r *http.Request, fn HTTPHandler, ev events.APIGatewayV2HTTPRequest) {
	if g.RoundTrip {
		if err := roundTrip(&ev); err != nil {
			writeJSON(w, http.StatusInternalServerError, `{"message":"Internal Server Error"}`)
			return
		}
	}
	resp, err := fn(r.Context(), ev)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, `{"message":"Internal Server Error"}`)
		return
	}
	writeResponse(w, resp)
}

func (g *Gateway) authorize(ctx context.Context, ev events.APIGatewayV2HTTPRequest, authz string) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
	req := events.APIGatewayV2CustomAuthorizerV2Request{
		Version: "2.0", Type: "REQUEST", RouteArn: "arn:aws:execute-api:local:000000000000:local/$default/" + ev.RequestContext.HTTP.Method + ev.RawPath,
		IdentitySource: []string{authz}, RouteKey: ev.RouteKey, RawPath: ev.RawPath, RawQueryString: ev.RawQueryString,
		Headers: ev.Headers, QueryStringParameters: ev.QueryStringParameters, PathParameters: ev.PathParameters,
		RequestContext: ev.RequestContext,
	}
	return g.Authorizer(ctx, req)
}

// event builds the payload 2.0 event API Gateway would send.
func event(r *http.Request, route routes.Route, params map[string]string, body []byte, reqID string) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{}
	for k, vs := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = map[string]string{}
		for k, vs := range q {
			query[k] = strings.Join(vs, ",")
		}
	}
	now := time.Now().UTC()
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: route.Key(), RawPath: r.URL.EscapedPath(), RawQueryString: r.URL.RawQuery,
		Headers: headers, QueryStringParameters: query, PathParameters: params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: route.Key(), AccountID: "000000000000", Stage: "$default", RequestID: reqID, APIID: "local",
			DomainName: r.Host, Time: now.Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: r.URL.Path, Protocol: r.Proto, SourceIP: sourceIP(r), UserAgent: r.UserAgent()},
		},
	}
	if len(body) > 0 {
		if utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev
}

func sourceIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

func roundTrip(ev *events.APIGatewayV2HTTPRequest) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	*ev = events.APIGatewayV2HTTPRequest{}
	return json.Unmarshal(b, ev)
}

func writeResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) {
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if b, err := base64.StdEncoding.DecodeString(resp.Body); err == nil {
			body = b
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
