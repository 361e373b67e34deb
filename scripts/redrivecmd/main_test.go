package main

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/redrive"
)

func TestParse(t *testing.T) {
	const awsURL = "https://sqs.eu-west-1.amazonaws.com/123456789012/q"
	tests := []struct {
		args       []string
		want       options
		wantTarget redrive.Target
		wantErr    string
	}{
		{[]string{"-queue", "timeline"}, options{queue: "timeline", prefix: localPrefix},
			redrive.Target{Name: "crmflow-local-timeline"}, ""},
		{[]string{"-queue", "memorialize", "-prefix", "crmflow-test", "-table", "crmflow-local", "-max", "5"},
			options{queue: "memorialize", prefix: "crmflow-test", table: "crmflow-local", max: 5},
			redrive.Target{Name: "crmflow-test-memorialize"}, ""},
		{[]string{"-to", awsURL, "-from", awsURL + "-dlq"}, options{to: awsURL, from: awsURL + "-dlq", prefix: localPrefix},
			redrive.Target{URL: awsURL, DLQURL: awsURL + "-dlq"}, ""},
		{nil, options{}, redrive.Target{}, "say which queue"},
		{[]string{"-from", "u"}, options{}, redrive.Target{}, "say which queue"},
		{[]string{"-queue", "timeline", "-to", "u"}, options{}, redrive.Target{}, "not both"},
		{[]string{"-queue", "search"}, options{}, redrive.Target{}, "must be timeline or memorialize"},
		{[]string{"-queue", "timeline", "-max", "-1"}, options{}, redrive.Target{}, "-max"},
		{[]string{"-queue", "timeline", "extra"}, options{}, redrive.Target{}, `unexpected argument "extra"`},
		{[]string{"-nope"}, options{}, redrive.Target{}, "flag provided but not defined"},
	}
	for _, tc := range tests {
		got, err := parse(tc.args, io.Discard)
		switch {
		case tc.wantErr == "" && (err != nil || got != tc.want || got.target() != tc.wantTarget):
			t.Errorf("parse(%q) = %+v (target %+v), %v; want %+v (target %+v)", tc.args, got, got.target(), err, tc.want, tc.wantTarget)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("parse(%q) error = %v, want one containing %q", tc.args, err, tc.wantErr)
		}
	}
	if _, err := parse([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("parse(-h) = %v, want flag.ErrHelp", err)
	}
}
