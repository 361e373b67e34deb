package crmtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// RealFile reads a recorded or published CRM answer of the driver under
// test, testdata/real/name (testdata/real/SOURCES.md names its source).
func RealFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "real", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// CheckRealFilesListed: every file under the driver's testdata/real is
// named in its SOURCES.md and decoded by a test in its real_test.go.
func CheckRealFilesListed(t *testing.T) {
	t.Helper()
	sources := string(RealFile(t, "SOURCES.md"))
	test, err := os.ReadFile("real_test.go")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "real"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "SOURCES.md" {
			continue
		}
		if !strings.Contains(sources, "`"+e.Name()+"`") {
			t.Errorf("%s has no source in SOURCES.md", e.Name())
		}
		if !strings.Contains(string(test), `"`+e.Name()+`"`) {
			t.Errorf("%s is decoded by no test", e.Name())
		}
	}
}
