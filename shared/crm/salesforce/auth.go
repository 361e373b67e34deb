package salesforce

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

const (
	grantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	// defaultAudience is the JWT audience when a configuration names none.
	defaultAudience = "https://login.salesforce.com"
	// maxTokenAge caps how long a session is reused: Salesforce sends no
	// expires_in, and a session that outlives its org's timeout costs a 401.
	maxTokenAge = time.Hour
	// assertionLifetime is the JWT exp Salesforce expects: at most 3 minutes ahead.
	assertionLifetime = 3 * time.Minute
)

// auth is the API client's Auth: the session token (from the cache, one
// fetch in flight) and the instance address it is good on, which the calls
// go to. A refused token is dropped from c.tokens and fetched once more.
func (c *connector) auth(ctx context.Context) (crmhttp.Credential, error) {
	tok, err := crmhttp.CachedToken(ctx, &c.tokens, "salesforce: get token", c.fetchToken)
	if err != nil {
		return crmhttp.Credential{}, err
	}
	inst := c.origin
	if p := c.instance.Load(); p != nil {
		inst = *p
	}
	return crmhttp.Credential{Authorization: "Bearer " + tok, Token: tok, Base: inst}, nil
}

// fetchToken runs the configured OAuth grant.
func (c *connector) fetchToken(ctx context.Context) (crmhttp.Token, error) {
	const op = "salesforce: get token"
	form := url.Values{}
	switch c.cfg.Auth.Type {
	case crm.AuthJWTBearer:
		assertion, err := c.assertion()
		if err != nil {
			return crmhttp.Token{}, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "cannot sign the JWT assertion", Err: err}
		}
		form.Set("grant_type", grantJWTBearer)
		form.Set("assertion", assertion)
	default:
		form.Set("grant_type", "client_credentials")
		form.Set("client_id", c.cfg.Auth.ClientID)
		form.Set("client_secret", c.cfg.Credentials.ClientSecret)
	}
	resp, err := crmhttp.Do(ctx, c.api.HTTP, c.cfg.Timeout, crmhttp.Request{Op: op, Method: http.MethodPost, URL: c.tokenURL,
		Body: []byte(form.Encode()), Header: crmhttp.FormContent})
	if err != nil {
		return crmhttp.Token{}, err
	}
	body := resp.Body
	if resp.Status != http.StatusOK {
		return crmhttp.Token{}, tokenError(op, resp.Status, body)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		InstanceURL string `json:"instance_url"`
	}
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		return crmhttp.Token{}, &crm.Error{Code: crm.Internal, Op: op, Status: resp.Status, Message: "token endpoint answered without an access token"}
	}
	inst, err := c.checkInstance(op, tr.InstanceURL)
	if err != nil {
		return crmhttp.Token{}, err
	}
	c.instance.Store(&inst)
	return crmhttp.Token{Value: tr.AccessToken, Expires: c.now().Add(maxTokenAge)}, nil
}

// checkInstance accepts an instance_url only on the configuration's own host:
// a token endpoint must not be able to send the session (and every record
// value after it) somewhere else.
func (c *connector) checkInstance(op, raw string) (string, error) {
	if raw == "" {
		return c.origin, nil
	}
	u, err := url.Parse(raw)
	if err == nil && u.Scheme+"://"+strings.ToLower(u.Host) == c.origin && u.User == nil {
		return c.origin, nil
	}
	return "", &crm.Error{Code: crm.InvalidArgument, Op: op,
		Message: "token endpoint named an instance_url that is not the configuration's baseUrl; set baseUrl to the org's My Domain address"}
}

// tokenError maps a refused grant ({"error","error_description"}) to
// Unauthenticated; an overloaded or failing endpoint stays retryable.
func tokenError(op string, status int, body []byte) error {
	ae := apiError(op, status, body)
	if ae.Retryable {
		return ae
	}
	e := &crm.Error{Code: crm.Unauthenticated, Op: op, Status: status, CRMCode: ae.CRMCode, Message: ae.Message}
	var oe struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &oe) == nil && oe.Error != "" {
		e.CRMCode, e.Message = oe.Error, oe.Description
	}
	return e
}

// assertion builds the RS256-signed JWT of the JWT bearer flow.
func (c *connector) assertion() (string, error) {
	aud := c.cfg.Auth.Audience
	if aud == "" {
		aud = defaultAudience
	}
	claims, err := json.Marshal(struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Exp int64  `json:"exp"`
	}{c.cfg.Auth.ClientID, c.cfg.Auth.Username, aud, c.now().Add(assertionLifetime).Unix()})
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + enc.EncodeToString(claims)
	digest := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(nil, c.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return signing + "." + enc.EncodeToString(sig), nil
}

// parsePrivateKey reads an RSA key in PKCS#1 or PKCS#8 PEM. Keys pasted into
// JSON often carry literal "\n" instead of line breaks; those are accepted.
func parsePrivateKey(text string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil && strings.Contains(text, `\n`) {
		block, _ = pem.Decode([]byte(strings.ReplaceAll(text, `\n`, "\n")))
	}
	if block == nil {
		return nil, errors.New("not a PEM block")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("not an RSA key (RS256 needs one)")
		}
		return rk, nil
	}
	return nil, errors.New("PEM block is " + block.Type + ", want RSA PRIVATE KEY or PRIVATE KEY")
}
