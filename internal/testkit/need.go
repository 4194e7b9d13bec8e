package testkit

import (
	"os"
	"os/exec"
	"testing"
)

// Need stops a test that lacks a tool: on a CI machine, where .ci/run and
// make test install every one, it fails; elsewhere it is skipped, never
// silently passed. msg says what is missing and how to get it.
func Need(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Python returns a Python 3 that imports module (the system's Python,
// where Debian's packages install), or stops the test (Need) naming the
// Debian package to install.
func Python(t testing.TB, module, debianPackage string) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import "+module).Run() == nil {
			return py
		}
	}
	Need(t, "no python3 with "+module+" (apt-get install "+debianPackage+")")
	return ""
}
