// Package ids makes the random identifiers and API keys crmflow hands out.
package ids

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

var enc = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// New returns prefix_ followed by 16 random bytes in lower-case base32
// (26 characters), e.g. "cfg_k3j…". Ids are unguessable so they cannot be probed.
func New(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("ids: crypto/rand failed: " + err.Error()) // the OS has no randomness: nothing sane to do
	}
	return prefix + "_" + enc.EncodeToString(b[:])
}

// KeyPrefix starts every API key, so leaked keys are recognisable by scanners.
const KeyPrefix = "cfk_"

// NewKey returns a new API key (shown once) and the hash that is stored.
func NewKey() (key, hash string) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("ids: crypto/rand failed: " + err.Error())
	}
	key = KeyPrefix + enc.EncodeToString(b[:])
	return key, HashKey(key)
}

// HashKey is the stored form of a key: SHA-256 in hex. Keys carry 256 random
// bits, so a fast hash is enough (no salt or KDF needed, unlike passwords).
func HashKey(key string) string {
	s := sha256.Sum256([]byte(key))
	return hex.EncodeToString(s[:])
}

// LooksLikeKey reports whether s has the shape of a crmflow key, so malformed
// keys are refused before any store lookup.
func LooksLikeKey(s string) bool {
	if !strings.HasPrefix(s, KeyPrefix) || len(s) < len(KeyPrefix)+20 || len(s) > 200 {
		return false
	}
	for _, r := range s[len(KeyPrefix):] {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// MaxLength bounds every id a client names: configuration, workflow,
// mapping, contact.
const MaxLength = 128

// Rule says what Valid takes, for the 400 that refuses an id.
const Rule = "must be 1-128 characters of letters, digits, _ . : -"

// Valid reports whether s may be used as an id: 1-128 letters, digits and
// _ . : - (no separators that could reach a key or a path). A loop, not a
// regular expression: it runs on every request and costs nothing at init.
func Valid(s string) bool {
	if len(s) == 0 || len(s) > MaxLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}
