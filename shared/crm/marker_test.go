package crm

import (
	"strings"
	"testing"
)

func TestWriteMarker(t *testing.T) {
	for _, c := range []struct {
		key         string
		max, digest int
		want        string
	}{
		{"", 100, 16, ""},
		{"job_abc", 100, 16, "crmflow:timeline:job_abc"},
		{"job 7/ä", 100, 16, "crmflow:timeline:sha256:"},               // other characters: a digest
		{strings.Repeat("k", 90), 100, 12, "crmflow:timeline:sha256:"}, // too long for max: a digest
	} {
		got := WriteMarker(WriteActivity, c.key, c.max, c.digest)
		if !strings.HasPrefix(got, c.want) || (strings.HasSuffix(c.want, "sha256:") && len(got) != len(c.want)+2*c.digest) ||
			(!strings.HasSuffix(c.want, "sha256:") && got != c.want) {
			t.Errorf("WriteMarker(%q, %d, %d) = %q, want %q…", c.key, c.max, c.digest, got, c.want)
		}
	}
	if WriteMarker(WriteActivity, "job 1", 100, 16) == WriteMarker(WriteMemorialization, "job 1", 100, 16) {
		t.Error("the kind must tell markers apart")
	}
}
