package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestDocsMatchHelp writes the Markdown and man pages and checks that each
// command has one of each, and that every part of what `--help` prints for
// it (synopsis, usage line, examples, flags) stands in its Markdown page.
func TestDocsMatchHelp(t *testing.T) {
	dir := t.TempDir()
	md, man := filepath.Join(dir, "md"), filepath.Join(dir, "man")
	for _, args := range [][]string{{"docs", "--markdown", md}, {"docs", "--man", man}} {
		if r := runCLI(t, nil, args...); r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
	}
	a := &app{getenv: func(string) (string, bool) { return "", false }}
	root := a.newRoot()
	// What execution adds to the tree before any command runs.
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	pages := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() && !sub.IsAdditionalHelpTopicCommand() {
				walk(sub)
			}
		}
		pages++
		c.InitDefaultHelpFlag()
		page, err := os.ReadFile(filepath.Join(md, strings.ReplaceAll(c.CommandPath(), " ", "_")+".md"))
		if err != nil {
			t.Errorf("%s: no Markdown page: %v", c.CommandPath(), err)
			return
		}
		manPage, err := os.ReadFile(filepath.Join(man, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1"))
		if err != nil || !strings.Contains(string(manPage), `.TH "CAPSCORE" "1"`) {
			t.Errorf("%s: no man page or no .TH line: %v", c.CommandPath(), err)
		}
		help := runCLI(t, nil, append(strings.Fields(c.CommandPath())[1:], "--help")...)
		if help.code != 0 {
			t.Errorf("%s --help: exit %d", c.CommandPath(), help.code)
			return
		}
		parts := []string{c.NonInheritedFlags().FlagUsages(), c.InheritedFlags().FlagUsages()}
		if c.Runnable() {
			parts = append(parts, c.UseLine())
		}
		if c.Long != "" {
			parts = append(parts, c.Long)
		} else {
			parts = append(parts, c.Short)
		}
		if c.Example != "" {
			parts = append(parts, c.Example)
		}
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if !strings.Contains(help.stdout, p) {
				t.Errorf("%s --help lacks %q", c.CommandPath(), p)
			}
			if !strings.Contains(string(page), p) {
				t.Errorf("%s's Markdown page lacks what --help prints:\n%s", c.CommandPath(), p)
			}
		}
	}
	walk(root)
	for _, d := range []string{md, man} {
		if entries, _ := os.ReadDir(d); len(entries) != pages {
			t.Errorf("%s holds %d pages, want %d", d, len(entries), pages)
		}
	}
}

func TestDocsUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"docs"}, {"docs", "--man", dir, "--markdown", dir}} {
		if r := runCLI(t, nil, args...); r.code != 2 || !strings.Contains(r.stderr, "exactly one of --man DIR or --markdown DIR") {
			t.Errorf("%v: exit %d, %q; want a usage error", args, r.code, r.stderr)
		}
	}
	// A page name taken by a folder is refused, not replaced.
	if err := os.MkdirAll(filepath.Join(dir, "capscore.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, nil, "docs", "--markdown", dir); r.code != 1 || !strings.Contains(r.stderr, "not a regular file") {
		t.Errorf("docs over a folder: exit %d, %q; want a refusal", r.code, r.stderr)
	}
}
