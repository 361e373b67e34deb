package httpapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

func ev(route, body string, role store.Role) events.APIGatewayV2HTTPRequest {
	e := events.APIGatewayV2HTTPRequest{RouteKey: route, Body: body}
	e.RequestContext.RequestID = "r1"
	e.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		Lambda: map[string]any{CtxTenantID: "t1", CtxRole: string(role), CtxKeyID: "k1"}}
	return e
}

type input struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	Inner struct {
		Flag bool `json:"flag"`
	} `json:"inner"`
}

func decodeRoutes() Routes {
	return Routes{"POST /x": {Roles: []store.Role{store.RoleStudio}, Handler: func(ctx context.Context, r *Request) (Response, error) {
		var in input
		if err := r.Decode(&in); err != nil {
			return Response{}, err
		}
		return OK(in), nil
	}}, "GET /boom": {Roles: []store.Role{store.RoleStudio}, Handler: func(ctx context.Context, r *Request) (Response, error) {
		var m map[string]int
		m["x"]++ // nil map write: a panic the edge must turn into a 500
		return OK(nil), nil
	}}}
}

func errOf(t *testing.T, resp events.APIGatewayV2HTTPResponse) ErrorDetail {
	t.Helper()
	var b ErrorBody
	if err := json.Unmarshal([]byte(resp.Body), &b); err != nil {
		t.Fatalf("body %q: %v", resp.Body, err)
	}
	if b.RequestID != "r1" {
		t.Fatalf("requestId = %q", b.RequestID)
	}
	return b.Error
}

func TestBadInputAnswers4xxNamingTheField(t *testing.T) {
	h := Lambda(decodeRoutes())
	tests := []struct {
		body   string
		status int
		field  string
	}{
		{`{"name":`, 400, "body"},
		{`not json`, 400, "body"},
		{``, 400, "body"},
		{`{"name": 5}`, 400, "name"},
		{`{"count": "x"}`, 400, "count"},
		{`{"inner": {"flag": "yes"}}`, 400, "inner.flag"},
		{`{"name":"a"} {"name":"b"}`, 400, "body"},
		{`[1,2]`, 400, "body"},
		{`{"name":"` + strings.Repeat("a", MaxBody) + `"}`, 413, ""},
	}
	for _, tt := range tests {
		resp, err := h(context.Background(), ev("POST /x", tt.body, store.RoleStudio))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.status {
			t.Errorf("%.40q: status %d want %d (%s)", tt.body, resp.StatusCode, tt.status, resp.Body)
			continue
		}
		if d := errOf(t, resp); d.Field != tt.field {
			t.Errorf("%.40q: field %q want %q", tt.body, d.Field, tt.field)
		}
	}
}

func TestRolesAndAuthentication(t *testing.T) {
	h := Lambda(decodeRoutes())
	resp, _ := h(context.Background(), ev("POST /x", `{}`, store.RoleAgent))
	if resp.StatusCode != 403 || errOf(t, resp).Code != "PERMISSION_DENIED" {
		t.Fatalf("wrong role: %d %s", resp.StatusCode, resp.Body)
	}
	anon := ev("POST /x", `{}`, "")
	anon.RequestContext.Authorizer.Lambda[CtxTenantID] = ""
	resp, _ = h(context.Background(), anon)
	if resp.StatusCode != 401 || errOf(t, resp).Code != "UNAUTHENTICATED" {
		t.Fatalf("no key: %d %s", resp.StatusCode, resp.Body)
	}
	resp, _ = h(context.Background(), ev("POST /x", `{"name":"a"}`, store.RoleStudio))
	if resp.StatusCode != 200 || !strings.Contains(resp.Body, `"name":"a"`) {
		t.Fatalf("ok: %d %s", resp.StatusCode, resp.Body)
	}
}

func TestPanicBecomes500(t *testing.T) {
	resp, err := Lambda(decodeRoutes())(context.Background(), ev("GET /boom", "", store.RoleStudio))
	if err != nil || resp.StatusCode != 500 || errOf(t, resp).Code != "INTERNAL" {
		t.Fatalf("%d %s %v", resp.StatusCode, resp.Body, err)
	}
}

func TestProblemOfCRMErrors(t *testing.T) {
	tests := []struct {
		err        error
		status     int
		retryAfter string
		crmCode    string
	}{
		{&crm.Error{Code: crm.InvalidArgument, Status: 400, CRMCode: "REQUIRED_FIELD_MISSING", Message: "Required fields are missing: [LastName]"}, 422, "", "REQUIRED_FIELD_MISSING"},
		{&crm.Error{Code: crm.ResourceExhausted, Retryable: true, Status: 429, RetryAfter: 1500 * time.Millisecond}, 429, "2", ""},
		{&crm.Error{Code: crm.ResourceExhausted, Retryable: true, Status: 403, CRMCode: "REQUEST_LIMIT_EXCEEDED"}, 429, "1", "REQUEST_LIMIT_EXCEEDED"},
		{&crm.Error{Code: crm.Unavailable, Status: 503, RetryAfter: 3 * time.Second}, 503, "3", ""},
		{&crm.Error{Code: crm.Unavailable, Status: 500}, 502, "", ""},
		{&crm.Error{Code: crm.DeadlineExceeded}, 504, "", ""},
		{&crm.Error{Code: crm.Unauthenticated, Status: 401}, 502, "", ""},
		{apperr.Field("x", "bad"), 400, "", ""},
		{apperr.New(apperr.Unprocessable, "wrong action"), 422, "", ""},
		{store.ErrNotFound, 404, "", ""},
	}
	for _, tt := range tests {
		p := ProblemOf(tt.err)
		if p.Status != tt.status || p.Headers()["Retry-After"] != tt.retryAfter {
			t.Errorf("%v: status %d retry %q, want %d %q", tt.err, p.Status, p.Headers()["Retry-After"], tt.status, tt.retryAfter)
		}
		if tt.crmCode != "" && (p.Detail.CRMError == nil || p.Detail.CRMError.Code != tt.crmCode) {
			t.Errorf("%v: crmError %+v", tt.err, p.Detail.CRMError)
		}
	}
}
