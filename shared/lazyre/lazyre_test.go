package lazyre

import "testing"

func TestLazy(t *testing.T) {
	r := New(`^[a-z]{1,3}$`)
	if !r.MatchString("abc") || r.MatchString("abcd") || r.String() != `^[a-z]{1,3}$` {
		t.Fatal("wrong matches")
	}
	if got := New(`(a)(b)`).FindStringSubmatch("xab"); len(got) != 3 || got[2] != "b" {
		t.Fatal(got)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a bad pattern must panic on first use")
		}
	}()
	New(`(`).MatchString("x")
}
