// Package lazyre is a regular expression compiled on first use. Every
// function links all seven CRM drivers, and a package-level
// regexp.MustCompile runs at every cold start whether or not a configuration
// of that CRM exists; counted repeats such as {0,127} make compiling cost a
// tenth of a millisecond or more each. With lazyre only the patterns a warm
// Lambda really uses are compiled, once.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp compiles its pattern the first time it is used. A bad pattern
// panics then, as regexp.MustCompile would at init; tests compile every one.
type Regexp struct {
	expr string
	get  func() *regexp.Regexp
}

// New returns a Regexp for expr.
func New(expr string) *Regexp {
	return &Regexp{expr: expr, get: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// Compiled returns the compiled expression.
func (r *Regexp) Compiled() *regexp.Regexp { return r.get() }

// String returns the source text.
func (r *Regexp) String() string { return r.expr }

// MatchString reports whether s contains a match.
func (r *Regexp) MatchString(s string) bool { return r.get().MatchString(s) }

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.get().FindStringSubmatch(s) }

// FindString is regexp.Regexp.FindString.
func (r *Regexp) FindString(s string) string { return r.get().FindString(s) }

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.get().ReplaceAllString(src, repl)
}
