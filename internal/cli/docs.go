package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

type docsOptions struct {
	man, markdown string
}

func (a *app) newDocsCmd() *cobra.Command {
	opts := &docsOptions{}
	cmd := &cobra.Command{
		Use:   "docs --man DIR | --markdown DIR",
		Short: "Write reference pages for every command",
		Long: `Write reference pages generated from the command tree: man pages (section 1)
with --man, Markdown pages with --markdown, one page per command, named after
the command's path (capscore_score.md, capscore-score.1). The pages hold the
help text each command prints with --help. An existing page is replaced; a
name taken by anything but a regular file is refused.`,
		Example: `  capscore docs --man /usr/local/share/man/man1
  capscore docs --markdown docs/reference`,
		Args: args(cobra.NoArgs),
		// Writing the pages reads no config file; only the flags are checked.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return checkApplies(cmd) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (opts.man == "") == (opts.markdown == "") {
				return usagef("docs: give exactly one of --man DIR or --markdown DIR")
			}
			return a.writeDocs(cmd.Root(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.man, "man", "", "write man pages into `DIR`")
	cmd.Flags().StringVar(&opts.markdown, "markdown", "", "write Markdown pages into `DIR`")
	writesOnly(cmd, "writes man or Markdown pages only")
	return writesNoFile(cmd, "writes into the folder of --man or --markdown")
}

// docPage is one command's reference page.
type docPage struct {
	name string
	data []byte
}

// docPages renders a page for root and every command below it that help
// lists.
func (a *app) docPages(root *cobra.Command, man bool) ([]docPage, error) {
	// Pages carry no generation line, and a man page's date is the
	// revision's when the build recorded one, so one binary writes the same
	// bytes each time.
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Title: "CAPSCORE", Section: "1", Source: "capscore", Manual: "capscore manual"}
	if t, err := time.Parse(time.RFC3339, a.version().Time); err == nil {
		header.Date = &t
	}
	var pages []docPage
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if err := walk(sub); err != nil {
				return err
			}
		}
		var buf bytes.Buffer
		var err error
		var name string
		if man {
			h := *header
			err = doc.GenMan(c, &h, &buf)
			name = strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		} else {
			err = doc.GenMarkdown(c, &buf)
			name = strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
		}
		if err != nil {
			return fmt.Errorf("docs: %s: %w", c.CommandPath(), err)
		}
		pages = append(pages, docPage{name, buf.Bytes()})
		return nil
	}
	return pages, walk(root)
}

func (a *app) writeDocs(root *cobra.Command, opts *docsOptions) error {
	dir := opts.markdown
	if opts.man != "" {
		dir = opts.man
	}
	pages, err := a.docPages(root, opts.man != "")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("docs: %w", err)
	}
	for _, p := range pages {
		if err := writeRegular(filepath.Join(dir, p.name), p.data); err != nil {
			return fmt.Errorf("docs: %w", err)
		}
	}
	fmt.Fprintf(a.io.Err, "capscore: wrote %d pages to %s\n", len(pages), dir)
	return nil
}

// writeRegular writes data to path through a temporary file renamed over
// it, refusing a path taken by anything but a regular file (a pipe would
// block, a device would be replaced).
func writeRegular(path string, data []byte) error {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s: exists and is not a regular file; remove it or choose another folder", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
