package sandbox

import "sync"

// StaticTokens is the set of static bearer tokens (API keys, private app
// tokens) a sandbox accepts. An expired token stays known, so a sandbox can
// answer "expired" rather than "invalid" for it. The zero value is empty and
// ready to use; it is safe for concurrent use.
type StaticTokens struct {
	mu    sync.Mutex
	valid map[string]bool // token → still valid
}

// Add makes tok valid.
func (t *StaticTokens) Add(tok ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.valid == nil {
		t.valid = map[string]bool{}
	}
	for _, v := range tok {
		t.valid[v] = true
	}
}

// ExpireAll revokes every token, as rotating keys in a CRM's settings does.
func (t *StaticTokens) ExpireAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for v := range t.valid {
		t.valid[v] = false
	}
}

// Check reports whether tok is valid, and whether it was ever added.
func (t *StaticTokens) Check(tok string) (valid, known bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	valid, known = t.valid[tok]
	return valid, known
}
