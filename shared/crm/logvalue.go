package crm

import (
	"log/slog"
	"strings"
)

// LogValue keeps an Error in a log line to what may be logged: the
// operation, the portable code, the CRM's status and code, the field of a
// refusal. The CRM's message (it may quote record values) and the wrapped
// error stay out; the HTTP edge and the job consumer log errors the same way
// (logx.ErrorText).
func (e *Error) LogValue() slog.Value {
	if e == nil {
		return slog.StringValue("<nil>")
	}
	attrs := []slog.Attr{slog.String("op", e.Op), slog.String("code", string(e.Code)), slog.Int("status", e.Status)}
	if e.CRMCode != "" {
		attrs = append(attrs, slog.String("crmCode", e.CRMCode))
	}
	if e.Field != "" {
		attrs = append(attrs, slog.String("field", e.Field))
	}
	return slog.GroupValue(attrs...)
}

// LogValue shows which credentials are set, never their values. Without
// it slog's JSON handler would marshal the struct, secrets and all (String
// covers fmt only).
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("set", strings.Join(c.Names(), ",")), slog.String("values", "redacted"))
}

// LogValue keeps a Config in a log line to what names the CRM instance:
// slog does not resolve the Credentials inside a struct it marshals, so
// without this a logged Config would carry its secrets.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("configurationId", c.ConfigurationID), slog.String("crm", string(c.Type)),
		slog.String("baseUrl", c.BaseURL), slog.String("auth", string(c.Auth.Type)), slog.Any("credentials", c.Credentials))
}

var (
	_ slog.LogValuer = (*Error)(nil)
	_ slog.LogValuer = Credentials{}
	_ slog.LogValuer = Config{}
)
