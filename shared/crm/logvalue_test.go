package crm

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Credentials, a Config and a bare CRM error passed to slog or fmt by
// mistake log no secret and no CRM message. (slog does not resolve a
// wrapped error; logx's handler redacts those: TestErrorsLoggedAsValuesAreRedacted.)
func TestLogValuesRedact(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	creds := Credentials{ClientSecret: "s3cr3t-client", Password: "hunter2-pass"}
	err := fmt.Errorf("wrapped: %w", &Error{Code: InvalidArgument, Status: 400, CRMCode: "FIELD_INVALID", Op: "salesforce: create Contact",
		Message: "Jane Doe's phone 4155550100 is invalid", Err: errors.New("inner secret-ish detail")})
	var ce *Error
	errors.As(err, &ce)
	log.Info("oops", "credentials", creds, "error", ce, "text", slog.AnyValue(creds),
		"config", Config{ConfigurationID: "c1", Type: Salesforce, BaseURL: "https://acme.my.salesforce.com", Credentials: creds})
	fmt.Fprintf(&buf, " %v %s %+v %#v", creds, creds, creds, creds)
	out := buf.String()
	for _, secret := range []string{"s3cr3t-client", "hunter2-pass", "Jane Doe", "4155550100", "inner secret-ish"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q logged: %s", secret, out)
		}
	}
	for _, want := range []string{"clientSecret,password", `"crmCode":"FIELD_INVALID"`, `"status":400`, "salesforce: create Contact"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing: %s", want, out)
		}
	}
}
