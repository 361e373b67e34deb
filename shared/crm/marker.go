package crm

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/crmflow/crmflow/shared/lazyre"
)

// plainKey is a write key a marker may hold as it is.
var plainKey = lazyre.New(`^[A-Za-z0-9._:-]+$`)

// WriteMarkerPrefix starts every write marker of kind: "crmflow:{kind}:".
func WriteMarkerPrefix(kind WriteKind) string { return "crmflow:" + string(kind) + ":" }

// WriteMarker is the text a driver stores in a CRM field (correlation_id,
// external_id, a key field) to find a keyed write again:
// crmflow:{kind}:{key}, or, when the key holds characters other than
// letters, digits and . _ : - or the marker would be longer than max bytes,
// crmflow:{kind}:sha256:{hex of the key's digest, its first digest bytes}.
// "" for no key. Each driver's max and digest are fixed by the field it
// uses: changing them would hide the writes made before.
func WriteMarker(kind WriteKind, key string, max, digest int) string {
	if key == "" {
		return ""
	}
	prefix := WriteMarkerPrefix(kind)
	if plainKey.MatchString(key) && len(prefix)+len(key) <= max {
		return prefix + key
	}
	sum := sha256.Sum256([]byte(key))
	return prefix + "sha256:" + hex.EncodeToString(sum[:min(digest, len(sum))])
}
