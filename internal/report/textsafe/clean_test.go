package textsafe

import "testing"

func TestCleanEscapes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"title\x1b]0;owned\x07 rest", "title rest"},
		{"link \x1b]8;;http://x\x1b\\text\x1b]8;;\x1b\\", "link text"},
		{"bell\x07 and nul\x00", "bell and nul"},
		{"csi\u009bcut", "csicut"},
		{"raw\x9bbyte", "raw\uFFFDbyte"},
		{"trailing\x1b", "trailing"},
		{"line\nbreak\ttab", "line\nbreak\ttab"},
	} {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
