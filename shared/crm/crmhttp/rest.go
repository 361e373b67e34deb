package crmhttp

import (
	"context"
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// Client sends one driver's calls to its CRM's REST API, the way go-github's
// Client does: one Do that builds the request, adds the CRM's credential and
// headers, retries once with a fresh token when a cached one is refused, maps
// a non-2xx answer through the driver's CheckResponse and decodes the rest.
// A driver fills in a Client when it connects and supplies only what is its
// own: the credential, the fixed headers, the error mapping, and (rarely) a
// decoder. The zero value of each optional field does the common thing.
type Client struct {
	HTTP    *http.Client  // ConnectorClient's copy; see NewClient
	Timeout time.Duration // per request, the token fetch excluded; none when 0
	CRM     string        // the CRM's name, for "unreadable answer from <CRM>"
	Base    string        // what Call.Path is appended to: the API root

	// Auth returns the credential of one request. When it hands out a
	// cached token (Credential.Token), Tokens is where a refused one is
	// dropped before the single retry. Nil sends no Authorization header.
	Auth   func(context.Context) (Credential, error)
	Tokens *TokenCache

	// Header, if set, adds the CRM's fixed headers to every request, after
	// Accept and Content-Type (application/json) and the credential.
	Header func(http.Header)

	// CheckResponse turns a non-2xx answer into the portable error the
	// driver documents (its status, code and message mapping). Required.
	CheckResponse func(op string, r *Reply) error

	// Decode reads a 2xx answer into out; nil is Decode with CRM (plain
	// encoding/json). ServiceNow unwraps {"result": …}; Zendesk keeps
	// numbers exact.
	Decode func(op string, r *Reply, out any) error

	// Unescaped writes bodies without escaping <, > and & (MarshalUnescaped),
	// for CRMs whose texts are HTML.
	Unescaped bool
}

// Call is one request of a Client.
type Call struct {
	Op     string // the operation, for errors: "hubspot: search contacts"
	Method string
	Path   string // below Client.Base, ids validated and segments escaped already
	Next   string // a paging link the CRM handed out, sent verbatim instead of Path and Query; the driver checks it first
	Query  string // the encoded query, without "?"; url.Values.Encode or the CRM's own encoding
	Body   any    // marshalled as JSON; nil sends no body
	// Raw, when set, is sent as the body instead of Body's JSON; Header
	// then sets its Content-Type (a Dataverse $batch is multipart/mixed).
	Raw []byte
	// Header, if set, adds this call's own headers, after the client's.
	Header func(http.Header)
	// AnyStatus hands non-2xx answers back to the caller instead of
	// CheckResponse's error (a Salesforce 300 lists records; a Dataverse
	// $batch reports its failures inside). A 401 is an error all the same.
	AnyStatus bool
}

// Credential is what one request is authorized with.
type Credential struct {
	Authorization string // the Authorization header's value; none when ""
	// Token is the cached token Authorization carries, "" for static
	// credentials: only a cached token is dropped and retried on a 401.
	Token string
	// Base, when set, replaces Client.Base for this request (Salesforce's
	// instance address comes with its token).
	Base string
}

// StaticAuth is an Auth for credentials that never change (an API key, a
// private app token, basic credentials): authorization is the whole header
// value, "Bearer …" or "Basic …". A 401 is not retried.
func StaticAuth(authorization string) func(context.Context) (Credential, error) {
	return func(context.Context) (Credential, error) { return Credential{Authorization: authorization}, nil }
}

// BearerAuth is an Auth for an OAuth token kept in tokens and fetched by
// fetch (one fetch in flight; see TokenCache). op names the token fetch in
// errors. Use it with Client.Tokens set to the same cache.
func BearerAuth(tokens *TokenCache, op string, fetch func(context.Context) (Token, error)) func(context.Context) (Credential, error) {
	return func(ctx context.Context) (Credential, error) {
		tok, err := CachedToken(ctx, tokens, op, fetch)
		if err != nil {
			return Credential{}, err
		}
		return Credential{Authorization: "Bearer " + tok, Token: tok}, nil
	}
}

// Do sends cl and decodes a 2xx answer into out (when out is not nil and
// the answer is not a 204). It returns the answer, for its headers (paging
// links) or, with AnyStatus, its status. An error is a *crm.Error: the
// transport's (TransportError), the credential's, CheckResponse's, or an
// unreadable answer.
func (c *Client) Do(ctx context.Context, cl Call, out any) (*Reply, error) {
	payload := cl.Raw
	if payload == nil {
		var err error
		if c.Unescaped {
			payload, err = PayloadUnescaped(cl.Op, cl.Body)
		} else {
			payload, err = Payload(cl.Op, cl.Body)
		}
		if err != nil {
			return nil, err
		}
	}
	r, err := RetryUnauthorized(c.Tokens, func() (*Reply, string, error) {
		var cred Credential
		if c.Auth != nil {
			var err error
			if cred, err = c.Auth(ctx); err != nil {
				return nil, "", err
			}
		}
		target, query := cl.Next, ""
		if target == "" {
			base := c.Base
			if cred.Base != "" {
				base = cred.Base
			}
			target, query = base+cl.Path, cl.Query
		}
		r, err := Do(ctx, c.HTTP, c.Timeout, Request{Op: cl.Op, Method: cl.Method, URL: target, Query: query, Body: payload,
			Header: func(h http.Header) {
				if cred.Authorization != "" {
					h.Set("Authorization", cred.Authorization)
				}
				if c.Header != nil {
					c.Header(h)
				}
				if cl.Header != nil {
					cl.Header(h)
				}
			}})
		if c.Tokens == nil {
			return r, "", err // nowhere to drop a refused token: no retry
		}
		return r, cred.Token, err
	})
	if err != nil {
		return nil, err
	}
	if !r.OK() && (!cl.AnyStatus || r.Status == http.StatusUnauthorized) {
		return nil, c.check(cl.Op, r)
	}
	if out == nil || !r.OK() || r.Status == http.StatusNoContent {
		return r, nil
	}
	if c.Decode != nil {
		return r, c.Decode(cl.Op, r, out)
	}
	return r, Decode(cl.Op, c.CRM, r, out)
}

// check is CheckResponse, or for a Client without one an Internal error
// that names the status (never a success).
func (c *Client) check(op string, r *Reply) error {
	if c.CheckResponse != nil {
		return c.CheckResponse(op, r)
	}
	return &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: c.CRM + " answered " + http.StatusText(r.Status)}
}
