package cli

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/redrive"
)

// The flags of ./scripts/redrive, now crmflow redrive (was scripts/redrivecmd's TestParse).
func TestRedriveOptions(t *testing.T) {
	const awsURL = "https://sqs.eu-west-1.amazonaws.com/123456789012/q"
	tests := []struct {
		args       []string
		want       redriveOptions
		wantTarget redrive.Target
		wantErr    string
	}{
		{[]string{"-queue", "timeline"}, redriveOptions{queue: "timeline", prefix: localPrefix},
			redrive.Target{Name: "crmflow-local-timeline"}, ""},
		{[]string{"--queue", "memorialize", "-prefix", "crmflow-test", "-table", "crmflow-local", "-max", "5"},
			redriveOptions{queue: "memorialize", prefix: "crmflow-test", table: "crmflow-local", max: 5},
			redrive.Target{Name: "crmflow-test-memorialize"}, ""},
		{[]string{"-to", awsURL, "-from", awsURL + "-dlq"}, redriveOptions{to: awsURL, from: awsURL + "-dlq", prefix: localPrefix},
			redrive.Target{URL: awsURL, DLQURL: awsURL + "-dlq"}, ""},
		{nil, redriveOptions{}, redrive.Target{}, "say which queue"},
		{[]string{"-from", "u"}, redriveOptions{}, redrive.Target{}, "say which queue"},
		{[]string{"-queue", "timeline", "-to", "u"}, redriveOptions{}, redrive.Target{}, "not both"},
		{[]string{"-queue", "search"}, redriveOptions{}, redrive.Target{}, "must be timeline or memorialize"},
		{[]string{"-queue", "timeline", "-max", "-1"}, redriveOptions{}, redrive.Target{}, "-max"},
	}
	for _, tc := range tests {
		fs := flag.NewFlagSet("redrive", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		o := redriveFlags(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		err := o.check()
		switch {
		case tc.wantErr == "" && (err != nil || *o != tc.want || o.target() != tc.wantTarget):
			t.Errorf("redrive %q = %+v (target %+v), %v; want %+v (target %+v)", tc.args, *o, o.target(), err, tc.want, tc.wantTarget)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("redrive %q error = %v, want one containing %q", tc.args, err, tc.wantErr)
		}
	}
}

func TestRedriveCommandLine(t *testing.T) {
	// The AWS SDK reads the process's environment, not the command's Env.
	t.Setenv("CRMFLOW_AWS_ENDPOINT", "http://sqs.example.com")
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"redrive", "-queue", "timeline", "extra"}, ExitUsage, `unexpected argument "extra"`},
		{[]string{"redrive", "-nope"}, ExitUsage, "flag provided but not defined"},
		{[]string{"redrive", "-queue", "search"}, ExitUsage, "must be timeline or memorialize"},
		// An endpoint that is not loopback is refused before any AWS call.
		{[]string{"redrive", "-queue", "timeline"}, ExitError, "must point at a loopback address"},
	} {
		res := run(t, "", nil, tc.args...)
		if res.code != tc.code || !strings.Contains(res.stderr, tc.stderr) {
			t.Errorf("crmflow %q: exit %d, stderr %q; want %d and %q", tc.args, res.code, res.stderr, tc.code, tc.stderr)
		}
	}
}
