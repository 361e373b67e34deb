package jobs

// truncate cuts s to at most n characters (runes); n ≤ 0 keeps s.
func truncate(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
