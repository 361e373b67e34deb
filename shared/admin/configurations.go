package admin

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/lazyre"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/secrets"
	"github.com/crmflow/crmflow/shared/store"
)

// Timeout bounds of a configuration (SPEC §4.5): the Studio-facing Lambdas time
// out at 25 s, so a CRM deadline must end well before.
const (
	DefaultTimeoutMs = 4000
	MinTimeoutMs     = 500
	MaxTimeoutMs     = 20000
)

// ConfigurationInput is the body of PUT /v1/configurations/{id}.
type ConfigurationInput struct {
	Name        string           `json:"name"`
	CRM         crm.Type         `json:"crm"`
	BaseURL     string           `json:"baseUrl"`
	AppURL      string           `json:"appUrl"`
	APIVersion  string           `json:"apiVersion"`
	Auth        crm.Auth         `json:"auth"`
	Credentials *crm.Credentials `json:"credentials"`
	TimeoutMs   int              `json:"timeoutMs"`
	// DefaultRegion: see store.Configuration.DefaultRegion.
	DefaultRegion string `json:"defaultRegion"`
	// EntityOrder, BestMatchMargin: see store.Configuration.
	EntityOrder     []string `json:"entityOrder"`
	BestMatchMargin *float64 `json:"bestMatchMargin"`
}

// ConfigurationView is a configuration as the API shows it: credentials only
// as "set".
type ConfigurationView struct {
	store.Configuration
	Credentials map[string]string `json:"credentials"`
}

func view(c store.Configuration) ConfigurationView {
	v := ConfigurationView{Configuration: c, Credentials: map[string]string{}}
	for _, n := range c.CredentialNames {
		v.Credentials[n] = "set"
	}
	return v
}

var apiVersion = lazyre.New(`^v?[0-9]{1,3}(\.[0-9]{1,3}){0,2}$`)

// requiredCredentials says which auth fields and credentials each auth type needs.
func requiredCredentials(a crm.Auth, c crm.Credentials) (field, msg string) {
	need := func(f, v string) (string, string) {
		if strings.TrimSpace(v) == "" {
			return f, "is required for auth.type " + string(a.Type)
		}
		return "", ""
	}
	type req struct{ f, v string }
	var reqs []req
	switch a.Type {
	case crm.AuthClientCredentials:
		reqs = []req{{"auth.clientId", a.ClientID}, {"credentials.clientSecret", c.ClientSecret}}
	case crm.AuthJWTBearer:
		reqs = []req{{"auth.clientId", a.ClientID}, {"auth.username", a.Username}, {"credentials.privateKey", c.PrivateKey}}
	case crm.AuthBasic:
		reqs = []req{{"auth.username", a.Username}, {"credentials.password", c.Password}}
	case crm.AuthAPIToken:
		reqs = []req{{"auth.email", a.Email}, {"credentials.apiToken", c.APIToken}}
	case crm.AuthBearerToken:
		reqs = []req{{"credentials.token", c.Token}}
	}
	for _, r := range reqs {
		if f, m := need(r.f, r.v); f != "" {
			return f, m
		}
	}
	return "", ""
}

// PutConfiguration creates (201, with the built-in workflows) or replaces (200)
// a configuration. On replace, credentials may be left out to keep the stored ones.
func (s *Service) PutConfiguration(ctx context.Context, tenantID, id string, in ConfigurationInput) (ConfigurationView, bool, error) {
	if !ids.Valid(id) {
		return ConfigurationView{}, false, apperr.Field("configurationId", ids.Rule)
	}
	existing, err := s.Store.GetConfiguration(ctx, tenantID, id)
	created := errors.Is(err, store.ErrNotFound)
	if err != nil && !created {
		return ConfigurationView{}, false, err
	}
	d, err := s.validateConfiguration(&in)
	if err != nil {
		return ConfigurationView{}, false, err
	}
	secretName := secrets.Name(s.SecretPrefix, tenantID, id)
	var creds crm.Credentials
	switch {
	case in.Credentials != nil:
		creds = *in.Credentials
	case created:
		return ConfigurationView{}, false, apperr.Field("credentials", "is required when a configuration is created")
	default:
		if creds, err = s.Secrets.Get(ctx, existing.SecretName); err != nil {
			return ConfigurationView{}, false, fmt.Errorf("read stored credentials: %w", err)
		}
	}
	if f, m := requiredCredentials(in.Auth, creds); f != "" {
		return ConfigurationView{}, false, apperr.Field(f, "%s", m)
	}
	if err := s.checkWithDriver(in, creds); err != nil {
		return ConfigurationView{}, false, err
	}
	if in.Credentials != nil {
		if err := s.Secrets.Put(ctx, secretName, creds); err != nil {
			return ConfigurationView{}, false, fmt.Errorf("store credentials: %w", err)
		}
	}
	now := s.now()
	c := store.Configuration{
		TenantID: tenantID, ID: id, Name: strings.TrimSpace(in.Name), CRM: in.CRM, BaseURL: strings.TrimRight(in.BaseURL, "/"),
		AppURL: strings.TrimRight(in.AppURL, "/"), APIVersion: in.APIVersion, Auth: in.Auth, CredentialNames: creds.Names(), SecretName: secretName,
		TimeoutMs: in.TimeoutMs, DefaultRegion: in.DefaultRegion, EntityOrder: in.EntityOrder, BestMatchMargin: in.BestMatchMargin,
		Created: now, Updated: now,
	}
	if !created {
		c.Created = existing.Created
	}
	if err := s.Store.PutConfiguration(ctx, &c); err != nil {
		return ConfigurationView{}, false, err
	}
	if created {
		if err := s.Store.PutWorkflows(ctx, Catalog(d, tenantID, id)...); err != nil {
			return ConfigurationView{}, false, fmt.Errorf("create built-in workflows: %w", err)
		}
	}
	s.changed(tenantID, id)
	return view(c), created, nil
}

func (s *Service) validateConfiguration(in *ConfigurationInput) (crm.Driver, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return crm.Driver{}, apperr.Field("name", "is required")
	}
	if len(in.Name) > 200 {
		return crm.Driver{}, apperr.Field("name", "is longer than 200 characters")
	}
	if in.CRM == "" {
		return crm.Driver{}, apperr.Field("crm", "is required")
	}
	d, ok := s.Registry.Driver(in.CRM)
	if !ok {
		names := make([]string, 0)
		for _, t := range s.Registry.Types() {
			names = append(names, string(t))
		}
		return crm.Driver{}, apperr.Field("crm", "must be one of %s", strings.Join(names, ", "))
	}
	base, err := checkCRMURL("baseUrl", in.BaseURL, d.HostAllowed, s.Local, false)
	if err != nil {
		return crm.Driver{}, err
	}
	if in.AppURL != "" {
		if _, err := checkCRMURL("appUrl", in.AppURL, appHostRule(d, base), s.Local, false); err != nil {
			return crm.Driver{}, err
		}
	}
	if in.APIVersion != "" && !apiVersion.MatchString(in.APIVersion) {
		return crm.Driver{}, apperr.Field("apiVersion", "must look like v62.0")
	}
	if in.Auth.Type == "" {
		return crm.Driver{}, apperr.Field("auth.type", "is required")
	}
	allowed := false
	for _, t := range d.AuthTypes {
		allowed = allowed || t == in.Auth.Type
	}
	if !allowed {
		names := make([]string, len(d.AuthTypes))
		for i, t := range d.AuthTypes {
			names[i] = string(t)
		}
		return crm.Driver{}, apperr.Field("auth.type", "must be one of %s for %s", strings.Join(names, ", "), d.Label)
	}
	if in.Auth.TokenURL != "" {
		if _, err := checkCRMURL("auth.tokenUrl", in.Auth.TokenURL, tokenHostRule(d, base), s.Local, true); err != nil {
			return crm.Driver{}, err
		}
	}
	if len(in.Auth.ApplicationContext) > 40 {
		return crm.Driver{}, apperr.Field("auth.applicationContext", "is longer than 40 characters")
	}
	if in.DefaultRegion = strings.ToUpper(strings.TrimSpace(in.DefaultRegion)); in.DefaultRegion != "" && !phone.KnownRegion(in.DefaultRegion) {
		return crm.Driver{}, apperr.Field("defaultRegion", "must be a country code libphonenumber knows (ISO 3166-1 alpha-2, such as US, GB, DE, JP)")
	}
	if err := checkRanking(d, in); err != nil {
		return crm.Driver{}, err
	}
	switch {
	case in.TimeoutMs == 0:
		in.TimeoutMs = DefaultTimeoutMs
	case in.TimeoutMs < MinTimeoutMs || in.TimeoutMs > MaxTimeoutMs:
		return crm.Driver{}, apperr.Field("timeoutMs", "must be between %d and %d", MinTimeoutMs, MaxTimeoutMs)
	}
	return d, nil
}

// checkWithDriver builds the configuration's connector once, without any
// CRM call, so what only the driver knows (an apiVersion it does not speak,
// a credential of the wrong shape) is refused when the admin saves it rather
// than when the first call comes in.
func (s *Service) checkWithDriver(in ConfigurationInput, creds crm.Credentials) error {
	cfg := crm.Config{Type: in.CRM, BaseURL: strings.TrimRight(in.BaseURL, "/"),
		AppURL: strings.TrimRight(in.AppURL, "/"), APIVersion: in.APIVersion, Auth: in.Auth, Credentials: creds,
		Timeout: time.Duration(in.TimeoutMs) * time.Millisecond}
	var err error
	if d, ok := s.Registry.Driver(in.CRM); ok && d.ConfigCheck != nil {
		err = d.ConfigCheck(cfg)
	}
	if err == nil {
		_, err = s.Registry.New(cfg, unusedClient)
	}
	if err == nil {
		return nil
	}
	e, ok := crm.AsError(err)
	if !ok {
		return apperr.Field("crm", "the %s driver cannot use this configuration: %v", in.CRM, err)
	}
	field := e.Field
	if field == "" {
		field = "configuration"
	}
	return apperr.Field(field, "%s", e.Message)
}

// unusedClient is handed to a connector built only to check a configuration;
// it refuses every request, so the check can never reach a CRM.
var unusedClient = &http.Client{Transport: refuseAll{}}

type refuseAll struct{}

func (refuseAll) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("a configuration check makes no CRM call")
}

// GetConfiguration reads one configuration.
func (s *Service) GetConfiguration(ctx context.Context, tenantID, id string) (ConfigurationView, error) {
	c, err := s.Store.GetConfiguration(ctx, tenantID, id)
	if err != nil {
		return ConfigurationView{}, missing(err, "configurationId", "configuration")
	}
	return view(c), nil
}

// ListConfigurations lists a tenant's configurations.
func (s *Service) ListConfigurations(ctx context.Context, tenantID string) ([]ConfigurationView, error) {
	cs, err := s.Store.ListConfigurations(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]ConfigurationView, len(cs))
	for i, c := range cs {
		out[i] = view(c)
	}
	return out, nil
}

// DeleteConfiguration removes a configuration, its workflows, mappings and secret.
func (s *Service) DeleteConfiguration(ctx context.Context, tenantID, id string) error {
	c, err := s.Store.GetConfiguration(ctx, tenantID, id)
	if err != nil {
		return missing(err, "configurationId", "configuration")
	}
	if err := s.Store.DeleteConfiguration(ctx, tenantID, id); err != nil {
		return err
	}
	if err := s.Secrets.Delete(ctx, c.SecretName); err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return fmt.Errorf("delete credentials: %w", err)
	}
	s.changed(tenantID, id)
	return nil
}

func (s *Service) changed(tenantID, id string) {
	if s.Changed != nil {
		s.Changed(tenantID, id)
	}
}

func missing(err error, field, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.Missing(field, what)
	}
	return err
}

// maxEntityOrder bounds a configuration's entityOrder.
const maxEntityOrder = 20

// checkRanking checks the search ranking settings and puts entityOrder in
// the CRM's canonical spelling (results carry it).
func checkRanking(d crm.Driver, in *ConfigurationInput) error {
	if len(in.EntityOrder) > maxEntityOrder {
		return apperr.Field("entityOrder", "names %d entities; at most %d", len(in.EntityOrder), maxEntityOrder)
	}
	for i, e := range in.EntityOrder {
		field := "entityOrder[" + strconv.Itoa(i) + "]"
		canon, err := d.Canonical(strings.TrimSpace(e))
		if err != nil {
			return apperr.Refused(field, err)
		}
		if slices.Contains(in.EntityOrder[:i], canon) {
			return apperr.Field(field, "names %s twice", canon)
		}
		in.EntityOrder[i] = canon
	}
	if m := in.BestMatchMargin; m != nil && (math.IsNaN(*m) || *m <= 0 || *m > 1) {
		return apperr.Field("bestMatchMargin", "must be above 0 and at most 1 (leave it out to name a best match only when there is one match)")
	}
	return nil
}
