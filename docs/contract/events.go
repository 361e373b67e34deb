package contract

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"

	"github.com/aws/aws-lambda-go/events"
)

// EventRequest is the HTTP request an API Gateway payload 2.0 event stands
// for: method, raw path and query, headers and body.
func EventRequest(ev events.APIGatewayV2HTTPRequest) (*http.Request, []byte, error) {
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(ev.Body)
		if err != nil {
			return nil, nil, fmt.Errorf("event body: %w", err)
		}
		body = b
	}
	u := &url.URL{Scheme: "https", Host: "api.example", RawQuery: ev.RawQueryString}
	p, err := url.PathUnescape(ev.RawPath)
	if err != nil {
		return nil, nil, fmt.Errorf("event rawPath: %w", err)
	}
	u.Path, u.RawPath = p, ev.RawPath
	if u.RawQuery == "" && len(ev.QueryStringParameters) > 0 {
		q := url.Values{}
		for k, v := range ev.QueryStringParameters {
			q.Set(k, v)
		}
		u.RawQuery = q.Encode()
	}
	method := ev.RequestContext.HTTP.Method
	if method == "" {
		return nil, nil, fmt.Errorf("event has no requestContext.http.method")
	}
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, v := range ev.Headers {
		req.Header.Set(k, v)
	}
	return req, body, nil
}

// ValidateEvent checks the request an API Gateway event stands for.
func ValidateEvent(ev events.APIGatewayV2HTTPRequest) error {
	req, _, err := EventRequest(ev)
	if err != nil {
		return err
	}
	return ValidateRequest(req)
}

// ValidateEventResponse checks a function's answer to an event.
func ValidateEventResponse(ev events.APIGatewayV2HTTPRequest, resp events.APIGatewayV2HTTPResponse) error {
	req, _, err := EventRequest(ev)
	if err != nil {
		return err
	}
	h := http.Header{}
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			return fmt.Errorf("response body: %w", err)
		}
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	return ValidateResponse(req, status, h, body)
}
